"""The only way WeasyPrint may read anything: the app's own static files and data: URLs."""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .assets import STATIC_DIR


class RefusedURL(ValueError):
    """A URL the renderer will not read: anything but our static files and data: URLs."""


class StaticFetcher(URLFetcher):
    """Serve files inside one folder and data: URLs; refuse everything else before any I/O."""

    def __init__(self, root: Path = STATIC_DIR) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.root = root.resolve()

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme = url.partition(":")[0].lower()
        if scheme == "data":
            # urllib's data: handler only decodes the URL itself; it never opens anything.
            with DataHandler().data_open(Request(url)) as response:
                return URLFetcherResponse(
                    url, response.read(), {"Content-Type": response.headers["Content-Type"]}
                )
        if scheme == "file":
            path = self.static_path(url)
            media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media_type})
        raise RefusedURL(f"Refused to fetch {url!r}: only bundled files and data: URLs")

    def static_path(self, url: str) -> Path:
        """The file a file: URL names, if it is a file inside the root folder."""
        parts = urlsplit(url)
        raw = unquote(parts.path)
        if parts.netloc not in ("", "localhost") or ".." in raw.split("/") or "\\" in raw:
            raise RefusedURL(f"Refused to fetch {url!r}: not a plain path")
        # Check the spelling first, so a path outside the folder is never even looked at;
        # then again after resolving, so a symbolic link cannot lead out of it.
        path = Path(os.path.normpath(raw))
        if not path.is_absolute() or not path.is_relative_to(self.root):
            raise RefusedURL(f"Refused to fetch {url!r}: not a bundled file")
        path = path.resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise RefusedURL(f"Refused to fetch {url!r}: not a bundled file")
        return path


def static_url(path: str) -> str:
    """The file: URL of a file in the static folder, for WeasyPrint."""
    return (STATIC_DIR / path).as_uri()
