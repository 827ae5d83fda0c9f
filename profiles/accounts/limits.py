"""Sign-in attempts: after 10 failures in 15 minutes, for an account or an address, a wait.

Sign-in links asked for by email (a forgotten password) are counted the same way, so that
nobody can flood a person's inbox with them; and so are contributions sent through an
invitation link, so that nobody can flood a profile's queue.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from flask import Flask, current_app, request

from ..templating import UK_TIME
from .services import normalise_email

if TYPE_CHECKING:
    from limits import RateLimitItem
    from limits.strategies import RateLimiter

FAILURES = "10 per 15 minutes"
# Emailed sign-in links: a few for one email address, and more from one internet address,
# which colleagues behind a care home's broadband share.
LINKS_PER_ACCOUNT = "3 per hour"
LINKS_PER_ADDRESS = "10 per hour"
# Contributions sent through invitation links, from one internet address: a family sharing
# a connection has room enough, a flood does not.
CONTRIBUTIONS_PER_ADDRESS = "10 per hour"
# Share links, opened without an account: enough for a ward or a school behind one
# connection to open and print many, not enough to try tokens or access codes at length.
LINK_OPENINGS_PER_ADDRESS = "120 per 10 minutes"
# Wrong access codes for one link, and from one address, as for signing in.
CODE_FAILURES = "10 per 15 minutes"
T = TypeVar("T")
Count = Callable[["RateLimiter"], T]
# A rule (one of the limits above) and what it counts against.
Check = tuple[str, tuple[str, str, str]]


class Counters(NamedTuple):
    """What counting needs, made together on first use."""

    shared: RateLimiter  # every worker and web node's (this process's own without Redis)
    fallback: RateLimiter  # this process's, while the shared store cannot be reached
    unreachable: tuple[type[Exception], ...]  # what a store that cannot be reached raises


class SignInCounts:
    """Where this app counts failed sign-ins: in Redis when REDIS_URL is set, else in memory.

    Made on the first sign-in, not when the app starts: most processes (commands, print
    workers) never count one, and need not load the rate-limit library or Redis's client.
    """

    def __init__(self, redis_url: str) -> None:
        self.redis_url = redis_url
        self._made: Counters | None = None
        self._making = threading.Lock()

    def _make(self) -> Counters:
        with self._making:
            if self._made is None:
                from limits.storage import MemoryStorage, storage_from_string
                from limits.strategies import MovingWindowRateLimiter

                # Ten failures within any 15 minutes: a fixed window would let 20 through
                # across the boundary between two windows. A store that does not answer must
                # not hold up signing in for long.
                shared = storage_from_string(
                    self.redis_url or "memory://", socket_timeout=2, socket_connect_timeout=2
                )
                unreachable: tuple[type[Exception], ...] = (OSError,)
                if self.redis_url:
                    from redis.exceptions import RedisError

                    unreachable = (RedisError, OSError)
                self._made = Counters(
                    shared=MovingWindowRateLimiter(shared),
                    fallback=MovingWindowRateLimiter(MemoryStorage()),
                    unreachable=unreachable,
                )
            return self._made

    @property
    def shared(self) -> RateLimiter:
        """The counter every worker and web node shares (its own memory without Redis)."""
        return self._make().shared

    def counting(self, action: Count[T]) -> T:
        """Count in the shared store; while it cannot be reached, in this process instead.

        Staff must still be able to sign in when Redis is down, and guesses are still limited
        (per process, so a little more loosely) until it is back.
        """
        counters = self._make()
        try:
            return action(counters.shared)
        except counters.unreachable as exc:
            current_app.logger.warning(
                "The store for sign-in attempts cannot be reached (%s); counting in this "
                "process until it is back.",
                type(exc).__name__,
            )
            return action(counters.fallback)


def init_app(app: Flask) -> None:
    """Give this app counts of its own, so that apps in one process never share them."""
    app.extensions["sign_in_counts"] = SignInCounts(app.config["REDIS_URL"])


def _counting(action: Count[T]) -> T:
    return current_app.extensions["sign_in_counts"].counting(action)


def _pseudonym(value: str) -> str:
    """A keyed hash, so the store holds no email or IP address (personal data) in clear."""
    secret = current_app.config["SECRET_KEY"]
    key = secret if isinstance(secret, bytes) else secret.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


def _who(counted: str, email: str) -> list[tuple[str, str, str]]:
    """What is counted against: the account named, and the address asking.

    The address rule also stops someone trying one password on many accounts. Staff behind
    one shared connection (a care home's broadband) share its allowance.
    """
    return [
        (counted, "account", _pseudonym(normalise_email(email))),
        (counted, "address", _pseudonym(request.remote_addr or "")),
    ]


@cache
def _rule(limit: str) -> RateLimitItem:
    from limits import parse

    return parse(limit)


def _latest_wait(checks: list[Check]) -> float | None:
    """When every check will allow one more, or None when they all do now."""

    def latest_wait(counter: RateLimiter) -> float | None:
        waits = [
            counter.get_window_stats(_rule(limit), *key)[0]
            for limit, key in checks
            if not counter.test(_rule(limit), *key)
        ]
        return max(waits, default=None)

    return _counting(latest_wait)


def _hit(checks: list[Check]) -> None:
    def hit(counter: RateLimiter) -> None:
        for limit, key in checks:
            counter.hit(_rule(limit), *key)

    _counting(hit)


def _sign_in(email: str) -> list[Check]:
    return [(FAILURES, key) for key in _who("sign-in", email)]


def try_again_at(email: str) -> float | None:
    """When this account and address may next try to sign in, or None when they may now."""
    return _latest_wait(_sign_in(email))


def record_failure(email: str) -> None:
    """Count a failed sign-in against the account and the address."""
    _hit(_sign_in(email))


def link_wait(email: str) -> float | None:
    """When a sign-in link may next be emailed to this address at this address's asking, or
    None when it may be now, which counts as one. Counted whether or not the address has an
    account, so that the answer says nothing about who has one."""
    account, address = _who("link", email)
    checks = [(LINKS_PER_ACCOUNT, account), (LINKS_PER_ADDRESS, address)]
    until = _latest_wait(checks)
    if until is None:
        _hit(checks)
    return until


def contribution_wait() -> float | None:
    """When this address may next send a contribution, or None when it may now, which
    counts as one."""
    return _address_wait(CONTRIBUTIONS_PER_ADDRESS, "contribute")


def opening_wait() -> float | None:
    """When this address may next open a share link, or None when it may now, which counts
    as one. Every request for a link's pages counts, whether its token works or not."""
    return _address_wait(LINK_OPENINGS_PER_ADDRESS, "link-opening")


def _address_wait(limit: str, action: str) -> float | None:
    """When this request's address may next do something limited per address, or None when
    it may now, which counts as one."""
    checks = [(limit, (action, "address", _pseudonym(request.remote_addr or "")))]
    until = _latest_wait(checks)
    if until is None:
        _hit(checks)
    return until


def _access_code(link_id: int) -> list[Check]:
    return [
        (CODE_FAILURES, ("access-code", "link", str(link_id))),
        (CODE_FAILURES, ("access-code", "address", _pseudonym(request.remote_addr or ""))),
    ]


def code_wait(link_id: int) -> float | None:
    """When an access code may next be tried for this link from this address, or None."""
    return _latest_wait(_access_code(link_id))


def record_code_failure(link_id: int) -> None:
    """Count a wrong access code against the link and the address."""
    _hit(_access_code(link_id))


def seconds_until(moment: float, now: float | None = None) -> int:
    """Whole seconds from now until a moment, at least one."""
    return max(1, math.ceil(moment - (time.time() if now is None else now)))


def wait_message(
    moment: float, now: float | None = None, too_many: str = "Too many attempts to sign in."
) -> str:
    """The refusal in words: 'Too many attempts to sign in. Try again after 2:05pm, in about
    12 minutes.'"""
    # Rounded up, so that trying at the time given always works.
    minutes = math.ceil(seconds_until(moment, now) / 60)
    clock = datetime.fromtimestamp(math.ceil(moment / 60) * 60, UTC).astimezone(UK_TIME)
    hour = clock.strftime("%I").lstrip("0")
    at = f"{hour}:{clock:%M}{'am' if clock.hour < 12 else 'pm'}"
    return (
        f"{too_many} Try again after {at}, in about {minutes} minute{'' if minutes == 1 else 's'}."
    )
