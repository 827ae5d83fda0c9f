"""Sessions: kept on the server, ending when left idle, the cookie's flags, changing a
password, every device."""

import hashlib
import re
import time
from datetime import timedelta

import pytest
from flask import request as flask_request
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature
from sqlalchemy import func, select

from profiles.accounts.passwords import verify_password
from profiles.extensions import db
from profiles.models import User, WebSession, utcnow

from .conftest import PASSWORD, build_app, empty_redis, inspecting, sign_in_as

NEW_PASSWORD = "lantern orchard pebble"
IDLE_MESSAGE = (
    "You were signed out because the page was left for 30 minutes. Sign in again to carry on."
)


def leave_for(client, minutes: float) -> None:
    """Pretend the session's last request was this many minutes ago."""
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - minutes * 60


def session_version(app, user_id: int) -> int:
    with inspecting(app):
        return db.session.get(User, user_id).session_version


def test_a_session_left_for_30_minutes_ends_and_says_why(client):
    assert client.get("/").status_code == 200
    leave_for(client, 31)
    response = client.get("/profiles/new")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=%2Fprofiles%2Fnew"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert IDLE_MESSAGE in page
    assert "Sign in to see that page." not in page
    assert client.get("/").headers["Location"].startswith("/sign-in")


def test_each_request_starts_the_30_minutes_again(client):
    leave_for(client, 29)
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        assert time.time() - session["last_seen"] < 5
    leave_for(client, 29)
    assert client.get("/").status_code == 200


def test_a_change_sent_after_the_idle_time_is_not_saved_and_says_so(app, client):
    leave_for(client, 45)
    invitation = {"name": "Jo Carer", "email": "jo@riverside.example", "role": "staff"}
    response = client.post("/staff", data=invitation, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert (
        "You were signed out because the page was left for 30 minutes, so your last change "
        "was not saved." in page
    )
    assert "then make the change again" in page
    with inspecting(app):
        assert db.session.scalar(select(func.count(User.id))) == 1


def test_a_file_asked_for_after_the_idle_time_gets_401(client, create_profile):
    pid = create_profile()
    leave_for(client, 31)
    assert client.get(f"/profiles/{pid}/export.json").status_code == 401
    assert client.get("/").headers["Location"].startswith("/sign-in")


@pytest.fixture
def app_with_env(database_url, monkeypatch):
    """Build an app after setting PROFILES_* variables, as a server's environment does."""
    built = []

    def build(**variables):
        for name, value in variables.items():
            monkeypatch.setenv(f"PROFILES_{name}", value)
        built.append(build_app(database_url))
        return built[-1]

    yield build
    for app in built:
        with inspecting(app):
            db.engine.dispose()


def test_the_idle_time_is_set_by_an_environment_variable(app_with_env, account):
    app = app_with_env(SESSION_IDLE_MINUTES="5")
    assert app.config["SESSION_IDLE_MINUTES"] == 5
    assert app.permanent_session_lifetime == timedelta(minutes=5, hours=24)
    client = app.test_client()
    sign_in_as(client, account[1])
    leave_for(client, 4)
    assert client.get("/").status_code == 200
    leave_for(client, 6)
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "the page was left for 5 minutes. Sign in again to carry on." in page


@pytest.mark.parametrize("value", ["0", "half an hour", "-3"])
def test_an_idle_time_that_is_not_a_number_of_minutes_is_refused_at_start(app_with_env, value):
    with pytest.raises(
        ValueError, match=r"\(PROFILES_SESSION_IDLE_MINUTES\) must be a whole number"
    ):
        app_with_env(SESSION_IDLE_MINUTES=value)


def test_signing_in_starts_a_fresh_session_with_a_cookie_that_expires(app, account):
    client = app.test_client()
    leave_for(client, 120)  # left behind by someone who signed out on this browser hours ago
    response = client.post(
        "/sign-in", data={"email": "sam@riverside.example", "password": PASSWORD}
    )
    cookie = response.headers["Set-Cookie"]
    assert "Expires=" in cookie
    assert app.permanent_session_lifetime == timedelta(minutes=30, hours=24)
    assert "remember_token" not in str(response.headers)
    assert client.get("/").status_code == 200


def session_cookie(response) -> str:
    return next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))


def test_the_session_cookie_is_secure_over_https_only(client):
    over_https = session_cookie(client.get("/", base_url="https://localhost"))
    assert "; Secure" in over_https
    assert "; HttpOnly" in over_https and "; SameSite=Lax" in over_https
    over_http = session_cookie(client.get("/"))
    assert "Secure" not in over_http
    assert "; HttpOnly" in over_http and "; SameSite=Lax" in over_http


def test_the_cookie_is_always_secure_when_configured(app_with_env, account):
    client = app_with_env(SESSION_COOKIE_SECURE="true").test_client()
    sign_in_as(client, account[1])
    assert "; Secure" in session_cookie(client.get("/"))


def test_a_trusted_proxy_says_when_the_request_came_by_https(app_with_env, account):
    https = {"X-Forwarded-Proto": "https"}
    untrusting = app_with_env().test_client()
    sign_in_as(untrusting, account[1])
    assert "Secure" not in session_cookie(untrusting.get("/", headers=https))
    trusting = app_with_env(TRUSTED_PROXIES="1").test_client()
    sign_in_as(trusting, account[1])
    assert "; Secure" in session_cookie(trusting.get("/", headers=https))


def test_your_account_shows_who_you_are_and_what_you_can_do(client):
    page = client.get("/").get_data(as_text=True)
    assert '<a href="/account">Your account</a>' in page
    page = client.get("/account").get_data(as_text=True)
    for text in ("Sam Keyworker", "sam@riverside.example", "Riverside Care Home", "Administrator"):
        assert text in page
    assert 'href="/account/password"' in page
    assert 'action="/account/sign-out-everywhere"' in page


def test_changing_the_password_keeps_this_device_and_signs_out_the_others(app, client, account):
    other_device = app.test_client()
    sign_in_as(other_device, account[1])
    assert client.get("/account/password").status_code == 200
    response = client.post(
        "/account/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Your password is changed. You are still signed in here" in page
    assert client.get("/").status_code == 200
    assert other_device.get("/").headers["Location"].startswith("/sign-in")
    assert session_version(app, account[1]) == 2
    with inspecting(app):
        stored = db.session.get(User, account[1]).password_hash
        assert verify_password(stored, NEW_PASSWORD) and not verify_password(stored, PASSWORD)
        assert NEW_PASSWORD not in stored
    fresh = app.test_client()
    old = {"email": "sam@riverside.example", "password": PASSWORD}
    assert fresh.post("/sign-in", data=old).status_code == 400
    new = {"email": "sam@riverside.example", "password": NEW_PASSWORD}
    assert fresh.post("/sign-in", data=new).headers["Location"] == "/"


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (
            {"current": "not my password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
            "That is not your current password. Check it and type it again.",
        ),
        ({"current": "", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, "Enter your current"),
        ({"current": PASSWORD, "password": "", "confirm": ""}, "Choose a new password"),
        ({"current": PASSWORD, "password": "short", "confirm": "short"}, "at least 12 characters"),
        (
            {
                "current": PASSWORD,
                "password": "sam keyworker rocks",
                "confirm": "sam keyworker rocks",
            },
            "should not include your name or email address",
        ),
        (
            {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": "something else"},
            "The two passwords are not the same",
        ),
        (
            {"current": PASSWORD, "password": PASSWORD, "confirm": PASSWORD},
            "The new password is the same as your current one",
        ),
    ],
)
def test_a_password_change_with_a_problem_says_what_and_changes_nothing(
    app, client, account, answers, message
):
    response = client.post("/account/password", data=answers)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and "There is a problem" in page
    assert session_version(app, account[1]) == 1
    assert client.get("/").status_code == 200


def test_problems_are_listed_in_the_order_of_the_page(client):
    page = client.post("/account/password", data={}).get_data(as_text=True)
    positions = [page.index(f'href="#{name}"') for name in ("current", "password", "confirm")]
    assert positions == sorted(positions)


def test_signing_out_of_every_device_includes_this_one(app, client, account):
    other_device = app.test_client()
    sign_in_as(other_device, account[1])
    response = client.post("/account/sign-out-everywhere", follow_redirects=True)
    assert "You are signed out on every device, including this one." in response.get_data(
        as_text=True
    )
    assert session_version(app, account[1]) == 2
    for device in (client, other_device):
        assert device.get("/").headers["Location"].startswith("/sign-in")
    signing_in = {"email": "sam@riverside.example", "password": PASSWORD}
    assert app.test_client().post("/sign-in", data=signing_in).headers["Location"] == "/"


def test_account_changes_need_the_form_token(database_url, account):
    app = build_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    sign_in_as(client, account[1])
    forged = {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post("/account/password", data=forged).status_code == 400
    assert client.post("/account/sign-out-everywhere").status_code == 400
    assert session_version(app, account[1]) == 1
    with inspecting(app):
        db.engine.dispose()


def test_typing_tells_the_server_the_person_is_still_here(client):
    leave_for(client, 20)
    assert client.post("/account/still-here").status_code == 204
    with client.session_transaction() as session:
        assert time.time() - session["last_seen"] < 5
    # It cannot bring back a session that has already ended.
    leave_for(client, 45)
    assert client.post("/account/still-here").status_code == 401
    assert client.get("/").headers["Location"].startswith("/sign-in")


# Sessions are kept on the server: the cookie carries only a random id.

SESSION_ID = re.compile(r"[A-Za-z0-9_-]{43}")  # 32 random bytes, URL-safe
REDIS_TEST_URL = "redis://127.0.0.1:6379/14"  # the rate-limit tests empty database 15


def cookie_value(client) -> str:
    return client.get_cookie("session").value


def stored_sessions(app) -> dict[str, bytes]:
    """What the database keeps for each session, by its hash of the cookie's id."""
    with inspecting(app):
        return dict(db.session.execute(select(WebSession.id, WebSession.data)).all())


def with_cookie(app, value: str):
    """Another browser with a copy of a session cookie, as someone who took one would have."""
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def test_a_copy_of_the_cookie_opens_nothing_once_its_person_has_signed_out(app, client):
    assert client.get("/account").status_code == 200
    copy = cookie_value(client)
    assert with_cookie(app, copy).get("/account").status_code == 200  # the copy works until...
    page = client.post("/sign-out", follow_redirects=True).get_data(as_text=True)
    assert "You are signed out." in page
    response = with_cookie(app, copy).get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")
    assert hashlib.sha256(copy.encode()).hexdigest() not in stored_sessions(app)
    assert client.get("/account").headers["Location"].startswith("/sign-in")


def test_a_page_still_being_made_as_its_person_signs_out_does_not_sign_them_in_again(app, client):
    """Say a thumbnail was still being sent when Sign out was pressed: that request ends
    last, and writing its session back would bring the ended session back to life."""
    copy = cookie_value(client)
    interface = app.session_interface
    with app.test_request_context("/account", headers={"Cookie": f"session={copy}"}):
        late = interface.open_session(app, flask_request)
        assert late.get("_user_id")
        assert client.post("/sign-out").status_code == 302
        late["last_seen"] = 1  # every page notes its visit
        interface.save_session(app, late, app.response_class())
    response = with_cookie(app, copy).get("/account")
    assert response.headers["Location"].startswith("/sign-in")
    assert hashlib.sha256(copy.encode()).hexdigest() not in stored_sessions(app)


def test_the_cookie_holds_only_an_id_and_the_session_is_kept_on_the_server(
    app, client, create_account
):
    _, jo = create_account(email="jo@riverside.example", role="staff", name="Jo Carer")
    response = client.post(f"/staff/{jo}/deactivate")
    assert response.status_code == 302
    value = cookie_value(client)
    assert SESSION_ID.fullmatch(value), value
    # Not a signed cookie carrying the session (its parts are joined by dots). A random id
    # may hold any two letters, such as "Jo": the name is looked for on the server, below.
    assert "." not in value
    with pytest.raises(BadSignature):
        SecureCookieSessionInterface().get_signing_serializer(app).loads(value)
    # The message waiting to be shown is kept on the server, under a hash of the id.
    stored = stored_sessions(app)
    key = hashlib.sha256(value.encode()).hexdigest()
    assert list(stored) == [key]
    assert b"Jo Carer can no longer sign in" in stored[key]
    assert value.encode() not in stored[key]
    page = client.get("/staff").get_data(as_text=True)
    assert "Jo Carer can no longer sign in" in page


def form_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_signing_in_gives_the_session_a_new_id(database_url, account):
    app = build_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = form_token(client.get("/sign-in").get_data(as_text=True))
    before = cookie_value(client)  # as someone could have set it on a shared tablet
    details = {"email": "sam@riverside.example", "password": PASSWORD, "csrf_token": token}
    assert client.post("/sign-in", data=details).headers["Location"] == "/"
    after = cookie_value(client)
    assert SESSION_ID.fullmatch(after) and after != before
    assert list(stored_sessions(app)) == [hashlib.sha256(after.encode()).hexdigest()]
    assert client.get("/account").status_code == 200
    response = with_cookie(app, before).get("/account")
    assert response.headers["Location"].startswith("/sign-in")
    # Forms on pages opened before signing in are still accepted.
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302
    assert client.get("/account").headers["Location"].startswith("/sign-in")
    with inspecting(app):
        db.engine.dispose()


@pytest.fixture
def redis_sessions():
    """Redis database 14, emptied before and after the test."""
    with empty_redis(REDIS_TEST_URL) as client:
        yield client


def test_with_redis_sessions_live_there_and_signing_out_deletes_them(
    app_with_env, account, redis_sessions
):
    app = app_with_env(REDIS_URL=REDIS_TEST_URL)
    client = app.test_client()
    signing_in = {"email": "sam@riverside.example", "password": PASSWORD}
    assert client.post("/sign-in", data=signing_in).headers["Location"] == "/"
    copy = cookie_value(client)
    key = f"session:{hashlib.sha256(copy.encode()).hexdigest()}".encode()
    assert redis_sessions.keys("*") == [key]
    assert 0 < redis_sessions.ttl(key) <= (30 + 24 * 60) * 60
    assert stored_sessions(app) == {}  # nothing in the database
    assert client.get("/account").status_code == 200
    client.post("/sign-out")
    assert key not in redis_sessions.keys("*")
    assert with_cookie(app, copy).get("/account").headers["Location"].startswith("/sign-in")
    # A second web node finds the same sessions.
    client.post("/sign-in", data=signing_in)
    other_node = app_with_env(REDIS_URL=REDIS_TEST_URL)
    assert with_cookie(other_node, cookie_value(client)).get("/account").status_code == 200
    for built in (app, other_node):
        built.session_interface.redis.close()


def test_while_redis_cannot_be_reached_sessions_are_kept_in_the_database(
    app_with_env, account, caplog
):
    app = app_with_env(REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens on port 1
    client = app.test_client()
    signing_in = {"email": "sam@riverside.example", "password": PASSWORD}
    assert client.post("/sign-in", data=signing_in).headers["Location"] == "/"
    assert "The store for sessions cannot be reached (ConnectionError)" in caplog.text
    assert list(stored_sessions(app)) == [hashlib.sha256(cookie_value(client).encode()).hexdigest()]
    assert client.get("/account").status_code == 200
    copy = cookie_value(client)
    client.post("/sign-out")
    assert with_cookie(app, copy).get("/account").headers["Location"].startswith("/sign-in")


def test_a_sign_out_while_redis_is_away_still_ends_the_session_when_it_returns(
    app_with_env, account, redis_sessions, monkeypatch, caplog
):
    app = app_with_env(REDIS_URL=REDIS_TEST_URL)
    client = app.test_client()
    signing_in = {"email": "sam@riverside.example", "password": PASSWORD}
    assert client.post("/sign-in", data=signing_in).headers["Location"] == "/"
    copy = cookie_value(client)
    interface = app.session_interface

    def away(*args, **kwargs):
        raise ConnectionError("Redis is restarting")

    with monkeypatch.context() as during:
        during.setattr(interface.redis, "delete", away)
        client.post("/sign-out")
    assert len(redis_sessions.keys("*")) >= 1  # Redis still holds the old session...
    interface.down_until = 0.0  # ...and is back
    response = with_cookie(app, copy).get("/account")
    assert response.headers["Location"].startswith("/sign-in")
    assert "signed out everywhere" in caplog.text
    interface.redis.close()


def keep_expired_session(app, key: str = "0" * 64) -> None:
    with inspecting(app):
        db.session.add(WebSession(id=key, data=b"", expiry=utcnow() - timedelta(minutes=1)))
        db.session.commit()


def test_expired_sessions_are_deleted_by_a_command_and_on_signing_in(app, client, runner):
    assert client.get("/").status_code == 200
    live = set(stored_sessions(app))
    keep_expired_session(app)
    result = runner.invoke(args=["forget-expired-sessions"])
    assert result.exit_code == 0, result.output
    assert result.output == "1 expired session deleted.\n"
    assert set(stored_sessions(app)) == live
    assert client.get("/").status_code == 200  # a live session is not touched
    keep_expired_session(app)
    signing_in = {"email": "sam@riverside.example", "password": PASSWORD}
    assert app.test_client().post("/sign-in", data=signing_in).status_code == 302
    assert "0" * 64 not in stored_sessions(app)
