"""Sign-in attempts: ten failures in 15 minutes, per account or per address, then a wait."""

from datetime import UTC, datetime

import pytest
from limits.storage import MemoryStorage

from profiles.accounts import limits, routes, services
from profiles.extensions import db

from .conftest import PASSWORD, build_app, empty_redis, inspecting

EMAIL = "sam@riverside.example"
REDIS_TEST_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(autouse=True)
def quick_password_checks(monkeypatch, password_hash):
    """Argon2 is slow on purpose; these tests count attempts, so passwords are checked quickly."""

    def verify(stored_hash, password):
        return stored_hash == password_hash and password == PASSWORD

    monkeypatch.setattr(services, "verify_password", verify)


def attempt(app, password, email=EMAIL, address="192.0.2.1", **headers):
    """One try at signing in, from a browser that is not signed in, at an address."""
    return app.test_client().post(
        "/sign-in",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
        headers=headers,
    )


def fail(app, times, **where):
    """Sign in with a wrong password this many times."""
    for _ in range(times):
        assert attempt(app, "not the password", **where).status_code == 400


def test_after_ten_failures_even_the_right_password_must_wait(app, account, monkeypatch):
    fail(app, 10)
    checked = []
    monkeypatch.setattr(routes, "authenticate", lambda *args: checked.append(args))
    response = attempt(app, PASSWORD)
    assert response.status_code == 429
    assert not checked, "the password was checked while sign-in was refused"
    page = response.get_data(as_text=True)
    assert "Too many attempts to sign in. Try again after " in page
    assert "in about 15 minutes." in page
    assert 850 < int(response.headers["Retry-After"]) <= 900


def test_the_wait_is_told_as_a_clock_time_in_the_uk_and_in_minutes():
    # 1:04:30pm UTC is 2:04:30pm in British Summer Time; the clock rounds up to the minute.
    moment = datetime(2026, 7, 1, 13, 4, 30, tzinfo=UTC).timestamp()
    message = limits.wait_message(moment, now=moment - 11.5 * 60)
    assert message == "Too many attempts to sign in. Try again after 2:05pm, in about 12 minutes."
    winter = datetime(2026, 1, 5, 9, 0, tzinfo=UTC).timestamp()
    assert "after 9:00am, in about 1 minute." in limits.wait_message(winter, now=winter - 20)


def test_the_address_rule_counts_failures_on_any_account(app, account):
    # Someone trying one password on many accounts from one address is stopped as well;
    # the account they did not try is still open from anywhere else.
    for number in range(10):
        attempt(app, "not the password", email=f"guess{number}@riverside.example")
    assert attempt(app, PASSWORD).status_code == 429
    assert attempt(app, PASSWORD, address="198.51.100.7").status_code == 302


def test_the_account_rule_counts_failures_from_any_address(app, account):
    for number in range(10):
        fail(app, 1, address=f"192.0.2.{number + 10}")
    response = attempt(app, PASSWORD, address="198.51.100.7")
    assert response.status_code == 429
    other = attempt(app, "not the password", email="ffion@bryn.example", address="203.0.113.9")
    assert other.status_code == 400


def test_only_failures_use_up_the_allowance(app, account):
    fail(app, 5)
    assert attempt(app, PASSWORD).status_code == 302
    fail(app, 4)
    assert attempt(app, PASSWORD).status_code == 302  # the 11th attempt, 9th failure
    fail(app, 1)
    assert attempt(app, PASSWORD).status_code == 429


def test_a_form_with_a_missing_field_is_not_counted(app, account):
    for _ in range(12):
        assert attempt(app, "").status_code == 400
    assert attempt(app, PASSWORD).status_code == 302


def test_each_app_counts_in_its_own_memory(app, account, database_url):
    counter = app.extensions["sign_in_counts"].shared
    assert isinstance(counter.storage, MemoryStorage)
    fail(app, 10)
    assert attempt(app, PASSWORD).status_code == 429
    other = build_app(database_url)
    assert other.extensions["sign_in_counts"].shared.storage is not counter.storage
    assert attempt(other, PASSWORD).status_code == 302
    with other.app_context():
        db.engine.dispose()


def test_forwarded_addresses_count_only_from_a_trusted_proxy(database_url, account):
    def forwarded_for(address):
        return {"X-Forwarded-For": address}

    # Without a trusted proxy the header is ignored, so it cannot dodge the address rule.
    spoofed = build_app(database_url)
    for number in range(10):
        fail(spoofed, 1, email=f"guess{number}@x.example", **forwarded_for(f"10.0.0.{number}"))
    assert attempt(spoofed, PASSWORD, **forwarded_for("10.0.0.99")).status_code == 429

    proxied = build_app(database_url, TRUSTED_PROXIES=1)
    for number in range(10):
        fail(proxied, 1, email=f"guess{number}@x.example", **forwarded_for("10.0.0.1"))
    assert attempt(proxied, PASSWORD, **forwarded_for("10.0.0.1")).status_code == 429
    assert attempt(proxied, PASSWORD, **forwarded_for("10.0.0.2")).status_code == 302
    for built in (spoofed, proxied):
        with built.app_context():
            db.engine.dispose()


@pytest.fixture
def redis_db():
    """Redis database 15, emptied before and after the test."""
    with empty_redis(REDIS_TEST_URL) as client:
        yield client


def test_with_redis_every_web_node_shares_the_count(database_url, account, redis_db, monkeypatch):
    monkeypatch.setenv("PROFILES_REDIS_URL", REDIS_TEST_URL)
    nodes = [build_app(database_url), build_app(database_url)]
    assert "Redis" in type(nodes[0].extensions["sign_in_counts"].shared.storage).__name__
    fail(nodes[0], 10)
    assert attempt(nodes[1], PASSWORD).status_code == 429
    stored = b" ".join(redis_db.keys("*"))
    assert stored, "nothing was counted in Redis"
    assert b"riverside" not in stored and b"192.0.2.1" not in stored
    for node in nodes:
        node.extensions["sign_in_counts"].shared.storage.storage.close()
        with node.app_context():
            db.engine.dispose()


def test_while_redis_cannot_be_reached_people_still_sign_in_and_guesses_are_still_limited(
    database_url, account, monkeypatch, caplog
):
    # Nothing listens on port 1: the connection is refused, as when Redis is down.
    monkeypatch.setenv("PROFILES_REDIS_URL", "redis://127.0.0.1:1/0")
    app = build_app(database_url)
    assert attempt(app, PASSWORD).status_code == 302
    assert "cannot be reached (ConnectionError)" in caplog.text
    assert "riverside" not in caplog.text and "192.0.2.1" not in caplog.text
    fail(app, 10)
    assert attempt(app, PASSWORD).status_code == 429
    with inspecting(app):
        db.engine.dispose()
