"""Sessions: kept on the server, ended after a spell without a request, with a cookie that
carries only a random id and is Secure over HTTPS.

What a session holds lives in the app's database, or in Redis when REDIS_URL is set, through
Flask-Session. The id changes on signing in and out, and signing out deletes what the
session held, so a copy of the cookie taken before then opens nothing.
"""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta

from flask import Flask, current_app, has_request_context, request, session
from flask_login import logout_user, user_logged_in, user_logged_out
from flask_session.base import ServerSideSession, ServerSideSessionInterface
from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import User, WebSession, utcnow
from ..services import in_unit_of_work, once_saved

LAST_SEEN = "last_seen"
# The cookie outlives the idle limit by this much, so that the next visit can say why the
# person was signed out, and a page sent on their return is kept for them (with it its form
# token stays valid); the server ends the session at the idle limit all the same.
NOTICE_PERIOD = timedelta(hours=24)
# Posting these changes nothing that could be lost by being signed out.
NOTHING_TO_SAVE = {"accounts.sign_out", "accounts.sign_out_everywhere"}
# Redis keys of sessions start with this; the rest is the hash of the cookie's id.
REDIS_PREFIX = "session:"
# After Redis fails to answer, sessions are kept in the database for this long before it is
# asked again, so that each request does not wait on it (nor log it).
REDIS_RETRY_SECONDS = 30


class DatabaseSessions(ServerSideSessionInterface):
    """Flask-Session's server-side sessions, kept in the app's own database.

    Flask-Session's SQLAlchemy store is not used as it is: it creates its table when the app
    starts (ours comes from the migrations, as the WebSession model), and commits the app's
    database session, which only a unit of work may do. Here each read and write uses a
    short transaction of its own, so it never commits a request's changes with it.
    """

    ttl = False  # expired rows stay until forget_expired() deletes them

    def __init__(self, app: Flask) -> None:
        # Sessions start as browser sessions: signing in makes them permanent (an Expires
        # date on the cookie), as Flask's own sessions did here.
        super().__init__(app, key_prefix="", permanent=False)

    def _register_cleanup_app_command(self) -> None:
        """The command that deletes expired sessions is the app's own forget-expired-sessions."""

    def _get_store_id(self, sid: str) -> str:
        """A hash of the cookie's id: what is stored gives no one a session to use."""
        return hashlib.sha256(sid.encode()).hexdigest()

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure when configured so, and whenever the request came by HTTPS."""
        return bool(super().get_cookie_secure(app)) or (has_request_context() and request.is_secure)

    # A new id: on signing in (against session fixation) and on signing out.

    def regenerate(self, session: ServerSideSession, ending: User | None = None) -> None:
        """Give the session a new id; what the old one held is deleted when the session is saved.

        Not at once: a request's own changes may hold the database's lock until they are
        committed, and a session is saved after that. ending: the account signing out.
        """
        if not hasattr(session, "replaces"):
            session.replaces = session.sid
        if isinstance(ending, User):
            session.ending = (ending.id, ending.session_version)
        session.sid = self._generate_sid(self.sid_length)
        session.modified = True

    def open_session(self, app: Flask, request) -> ServerSideSession:
        """The session the cookie names, marked as stored; or a new one."""
        session = super().open_session(app, request)
        session.stored = request.cookies.get(app.config["SESSION_COOKIE_NAME"]) == session.sid
        return session

    @staticmethod
    def only_if_still_there(session: ServerSideSession) -> bool:
        """Whether saving may only update the stored session, never bring it back.

        A request that began before its session was ended (signed out here or elsewhere,
        or left idle) ends after it: writing its session back would sign its person in
        again. Only a new session, or one given a new id, is written afresh.
        """
        return getattr(session, "stored", False) and not hasattr(session, "replaces")

    def save_session(self, app: Flask, session: ServerSideSession, response) -> None:
        if request.endpoint == "static":
            return  # a stylesheet or a font changes nothing in a session
        # The request's unit of work has committed what it changed by now; anything still
        # open (a claim that found nothing, a page that answered before its view) is never
        # kept, and is ended here as the request's end would, since on SQLite it would
        # hold the one write lock that saving the session needs.
        db.session.rollback()
        replaced = getattr(session, "replaces", None)
        if replaced is not None and replaced != session.sid:
            deleted = self._delete_session(self._get_store_id(replaced))
            if deleted is False and hasattr(session, "ending"):
                end_everywhere(*session.ending)
        super().save_session(app, session, response)

    # The store.

    def _retrieve_session_data(self, store_id: str) -> dict | None:
        query = select(WebSession.data).where(
            WebSession.id == store_id, WebSession.expiry > utcnow()
        )
        with db.engine.connect() as connection:
            data = connection.scalar(query)
        return None if data is None else self.serializer.decode(data)

    def _delete_session(self, store_id: str) -> None:
        with db.engine.begin() as connection:
            connection.execute(delete(WebSession).where(WebSession.id == store_id))

    def _upsert_session(
        self, session_lifetime: timedelta, session: ServerSideSession, store_id: str
    ) -> None:
        values = {
            "id": store_id,
            "data": self.serializer.encode(session),
            "expiry": utcnow() + session_lifetime,
        }
        if self.only_if_still_there(session):
            changed = {"data": values["data"], "expiry": values["expiry"]}
            statement = update(WebSession).where(WebSession.id == store_id).values(changed)
        else:
            dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
            statement = dialect.insert(WebSession).values(values)
            statement = statement.on_conflict_do_update(
                index_elements=[WebSession.id],
                set_={"data": statement.excluded.data, "expiry": statement.excluded.expiry},
            )
        with db.engine.begin() as connection:
            connection.execute(statement)

    def _delete_expired_sessions(self) -> int:
        with db.engine.begin() as connection:
            return connection.execute(
                delete(WebSession).where(WebSession.expiry <= utcnow())
            ).rowcount

    def forget_expired(self) -> int:
        """Delete every session that has expired; returns how many there were."""
        return self._delete_expired_sessions()


class RedisSessions(DatabaseSessions):
    """Sessions in Redis, shared by every worker and web node, which deletes them as they
    expire.

    While Redis cannot be reached they are kept in the database instead, so that people can
    still sign in and carry on; a session Redis does not have is looked for there too.
    """

    ttl = True

    def __init__(self, app: Flask, url: str) -> None:
        from redis import Redis
        from redis.exceptions import RedisError

        # A store that does not answer must not hold up every page for long.
        self.redis = Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.unreachable: tuple[type[Exception], ...] = (RedisError, OSError)
        self.down_until = 0.0
        super().__init__(app)

    def _in_redis(self, action):
        """action(redis)'s result, or UNREACHABLE while Redis cannot be reached."""
        if time.monotonic() < self.down_until:
            return UNREACHABLE
        try:
            return action(self.redis)
        except self.unreachable as exc:
            self.down_until = time.monotonic() + REDIS_RETRY_SECONDS
            # The kind of failure only.
            current_app.logger.warning(
                "The store for sessions cannot be reached (%s); keeping them in the database "
                "until it is back.",
                type(exc).__name__,
            )
            return UNREACHABLE

    def _retrieve_session_data(self, store_id: str) -> dict | None:
        data = self._in_redis(lambda redis: redis.get(REDIS_PREFIX + store_id))
        if data is UNREACHABLE or data is None:
            return super()._retrieve_session_data(store_id)
        return self.serializer.decode(data)

    def _delete_session(self, store_id: str) -> bool:
        """Delete the session; False when Redis could not be told, and may still hold it."""
        deleted = self._in_redis(lambda redis: redis.delete(REDIS_PREFIX + store_id))
        super()._delete_session(store_id)
        return deleted is not UNREACHABLE

    def _upsert_session(
        self, session_lifetime: timedelta, session: ServerSideSession, store_id: str
    ) -> None:
        data = self.serializer.encode(session)
        seconds = int(session_lifetime.total_seconds())
        key, existing = REDIS_PREFIX + store_id, self.only_if_still_there(session)
        stored = self._in_redis(lambda redis: redis.set(key, data, ex=seconds, xx=existing))
        if stored is UNREACHABLE:
            super()._upsert_session(session_lifetime, session, store_id)


UNREACHABLE = object()


def init_app(app: Flask) -> None:
    """Keep sessions on the server, end those left for SESSION_IDLE_MINUTES, and send the
    cookie Secure over HTTPS."""
    minutes = app.config["SESSION_IDLE_MINUTES"]
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1:
        raise ValueError(
            "SESSION_IDLE_MINUTES (PROFILES_SESSION_IDLE_MINUTES) must be a whole number of "
            f"minutes, such as 30, not {minutes!r}."
        )
    app.permanent_session_lifetime = timedelta(minutes=minutes) + NOTICE_PERIOD
    if app.config["REDIS_URL"]:
        app.session_interface = RedisSessions(app, app.config["REDIS_URL"])
    else:
        app.session_interface = DatabaseSessions(app)
    user_logged_in.connect(start_session, app)
    user_logged_out.connect(new_id, app)


def start_session(sender: Flask, **extra) -> None:
    """On signing in: a new id, a cookie with an expiry date, and the idle clock started
    afresh. Sessions that have expired, anyone's, are deleted."""
    new_id(sender)
    session.permanent = True
    note_activity()
    forget = sender.session_interface.forget_expired
    if in_unit_of_work():
        once_saved(forget)  # once this request's changes are saved: SQLite has one writer
    else:
        forget()


def new_id(sender: Flask, user: User | None = None, **extra) -> None:
    """Move the session to a new id: what the old one held is deleted on the server, so a
    copy of the cookie from before opens nothing. On signing out, user is who signed out."""
    sender.session_interface.regenerate(session, ending=user)


def end_everywhere(user_id: int, version: int) -> None:
    """End every session of an account: for a sign-out whose session could not be deleted
    (Redis was out of reach, and could hand the session back once it returns). Better
    that the person signs in again on their other devices than that a copy of this
    cookie opens their account. Its own short transaction: the request's is over."""
    accounts = User.__table__
    with db.engine.begin() as connection:
        connection.execute(
            update(accounts)
            .where(accounts.c.id == user_id, accounts.c.session_version == version)
            .values(session_version=version + 1)
        )
    current_app.logger.warning(
        "A session could not be deleted from the store; account %s is signed out everywhere.",
        user_id,
    )


def note_activity() -> None:
    """Remember that this session made a request now."""
    session[LAST_SEEN] = int(time.time())


def left_idle() -> bool:
    """Whether this session went longer than SESSION_IDLE_MINUTES without a request."""
    last_seen = session.get(LAST_SEEN)
    limit = current_app.config["SESSION_IDLE_MINUTES"] * 60
    return isinstance(last_seen, int | float) and time.time() - last_seen > limit


def end_idle_session(kept: bool = False) -> str:
    """Sign out and forget this session; returns the message that says why.

    kept: what was being sent is kept for the person to send again after signing in.
    """
    logout_user()
    # The form token stays: a page still open in another tab can then be sent after its
    # person signs in again here, rather than be refused as expired with its text.
    token = session.get("csrf_token")
    session.clear()
    if token:
        session["csrf_token"] = token
    minutes = current_app.config["SESSION_IDLE_MINUTES"]
    left = f"the page was left for {minutes} minute{'' if minutes == 1 else 's'}"
    if kept:
        return (
            f"You were signed out because {left}, so your last change is not saved yet. "
            "What you typed is kept: sign in again and you can save it."
        )
    if request.method == "POST" and request.endpoint not in NOTHING_TO_SAVE:
        return (
            f"You were signed out because {left}, so your last change was not saved. "
            "Sign in again to carry on, then make the change again."
        )
    return f"You were signed out because {left}. Sign in again to carry on."
