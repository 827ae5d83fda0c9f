"""Log lines that name a page never hold a working link.

The token of an invitation, sign-in or contribution link is in the link's address, and so
in the line a web server logs for the request that opens it. Wherever this process logs
requests (the development server, gunicorn's access log, the app's own log of errors), the
token is replaced by a mask before the line is written. Proxies in front of the app keep
logs of their own: see the README.
"""

from __future__ import annotations

import logging
import re

from flask import Flask

# A link's address: /invitation/, /contribute/ or /shared/ and its token, up to the end of
# the path.
LINK_TOKEN = re.compile(r"(/(?:invitation|contribute|shared)/)[^\s\"'?#/\\]+")
MASK = r"\1[link hidden]"
# Loggers that write the address of a request: the development server's, gunicorn's
# access log, and gunicorn's error log (which names a request that failed).
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


class MaskLinkTokens(logging.Filter):
    """Replace a link's token in a log line by a mask; every line is still written."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed line is logging's to report, not this filter's
            return True
        masked = LINK_TOKEN.sub(MASK, message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


# One filter for the whole process: adding it again to a logger changes nothing.
MASK_LINK_TOKENS = MaskLinkTokens()


def init_app(app: Flask) -> None:
    """Mask link tokens in the app's own log and in every request log of this process."""
    for logger in (app.logger, *map(logging.getLogger, REQUEST_LOGGERS)):
        logger.addFilter(MASK_LINK_TOKENS)
