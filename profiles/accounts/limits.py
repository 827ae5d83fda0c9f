"""Sign-in attempts: after 10 failures in 15 minutes, for an account or an address, a wait."""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter, RateLimiter
from redis.exceptions import RedisError

from ..templating import UK_TIME
from .services import normalise_email

FAILURES = parse("10 per 15 minutes")
T = TypeVar("T")


def init_app(app: Flask) -> None:
    """Give this app a limiter of its own, counting in memory, or in Redis when REDIS_URL is set."""
    # Flask-Limiter keeps its storage on the extension object, so one object bound to several
    # apps (as the tests make) would share their counts; each app gets its own instead.
    limiter = Limiter(
        key_func=get_remote_address,
        storage_uri=app.config["REDIS_URL"] or "memory://",
        # Ten failures within any 15 minutes: a fixed window would let 20 through across the
        # boundary between two windows.
        strategy="moving-window",
        # A store that does not answer must not hold up signing in for long.
        storage_options={"socket_timeout": 2, "socket_connect_timeout": 2},
    )
    limiter.init_app(app)
    app.extensions["sign_in_limiter"] = limiter
    app.extensions["sign_in_fallback"] = MovingWindowRateLimiter(MemoryStorage())


def _counting(action: Callable[[RateLimiter], T]) -> T:
    """Count in the shared store; while it cannot be reached, in this process instead.

    Staff must still be able to sign in when Redis is down, and guesses are still limited
    (per process, so a little more loosely) until it is back.
    """
    try:
        return action(current_app.extensions["sign_in_limiter"].limiter)
    except (RedisError, OSError) as exc:
        current_app.logger.warning(
            "The store for sign-in attempts cannot be reached (%s); counting in this "
            "process until it is back.",
            type(exc).__name__,
        )
        return action(current_app.extensions["sign_in_fallback"])


def _pseudonym(value: str) -> str:
    """A keyed hash, so the store holds no email or IP address (personal data) in clear."""
    secret = current_app.config["SECRET_KEY"]
    key = secret if isinstance(secret, bytes) else secret.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


def _who(email: str) -> list[tuple[str, str, str]]:
    """What failures are counted against: the account named, and the address asking.

    The address rule also stops someone trying one password on many accounts. Staff behind
    one shared connection (a care home's broadband) share its allowance.
    """
    return [
        ("sign-in", "account", _pseudonym(normalise_email(email))),
        ("sign-in", "address", _pseudonym(request.remote_addr or "")),
    ]


def try_again_at(email: str) -> float | None:
    """When this account and address may next try to sign in, or None when they may now."""
    who = _who(email)

    def latest_wait(counter: RateLimiter) -> float | None:
        waits = [
            counter.get_window_stats(FAILURES, *key)[0]
            for key in who
            if not counter.test(FAILURES, *key)
        ]
        return max(waits, default=None)

    return _counting(latest_wait)


def record_failure(email: str) -> None:
    """Count a failed sign-in against the account and the address."""
    who = _who(email)

    def hit(counter: RateLimiter) -> None:
        for key in who:
            counter.hit(FAILURES, *key)

    _counting(hit)


def seconds_until(moment: float, now: float | None = None) -> int:
    """Whole seconds from now until a moment, at least one."""
    return max(1, math.ceil(moment - (time.time() if now is None else now)))


def wait_message(moment: float, now: float | None = None) -> str:
    """The refusal in words: 'Try again after 2:05pm, in about 12 minutes.'"""
    # Rounded up, so that trying at the time given always works.
    minutes = math.ceil(seconds_until(moment, now) / 60)
    clock = datetime.fromtimestamp(math.ceil(moment / 60) * 60, UTC).astimezone(UK_TIME)
    hour = clock.strftime("%I").lstrip("0")
    at = f"{hour}:{clock:%M}{'am' if clock.hour < 12 else 'pm'}"
    return (
        f"Too many attempts to sign in. Try again after {at}, in about {minutes} "
        f"minute{'' if minutes == 1 else 's'}."
    )
