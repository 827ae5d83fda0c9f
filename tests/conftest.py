"""Fixtures: an app on a fresh database (SQLite and PostgreSQL), a client, factories."""

from __future__ import annotations

import os
import re
import shutil
import smtplib
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from profiles import create_app, database_uri
from profiles.extensions import db
from profiles.models import Organisation, Statement, User
from profiles.services import act_for, every_organisation, unit_of_work

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FULL_TESTS = os.environ.get("PROFILES_FULL_TESTS") == "1"
POSTGRES_URL = os.environ.get(
    "PROFILES_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def require_service(available: bool, reason: str) -> None:
    """Skip locally when a service is missing; in a full run (CI) that is a failure."""
    if available:
        return
    if FULL_TESTS:
        pytest.fail(f"{reason} (PROFILES_FULL_TESTS=1 needs it)")
    pytest.skip(reason)


def build_app(database_url: str, **config):
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test secret",
        "DATABASE_URL": database_url,
        "AUTO_MIGRATE": False,
        "WTF_CSRF_ENABLED": False,
    }
    settings.update(config)
    return create_app(settings)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite database migrated once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "profiles.db"
    app = build_app(f"sqlite:///{path}", AUTO_MIGRATE=True)
    with app.app_context():
        db.engine.dispose()
    return path


@contextmanager
def new_postgres_database():
    """The URL of a new, empty PostgreSQL database, dropped afterwards."""
    admin = create_engine(database_uri(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect():
            pass
    except Exception as exc:
        admin.dispose()
        require_service(False, f"PostgreSQL is not reachable at {POSTGRES_URL}: {exc}")
    name = f"profiles_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh PostgreSQL database for this run, migrated once and dropped at the end."""
    with new_postgres_database() as url:
        app = build_app(url, AUTO_MIGRATE=True)
        with app.app_context():
            db.engine.dispose()
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Every test that touches the database runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "profiles.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    url = request.getfixturevalue("postgres_url")
    yield url
    engine = create_engine(database_uri(url))
    tables = ", ".join(t.name for t in db.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@contextmanager
def empty_redis(url: str):
    """A Redis database, emptied before and after; missing Redis fails under CI."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.exceptions.RedisError as exc:
        client.close()
        require_service(False, f"Redis is not reachable at {url}: {exc}")
    client.flushdb()
    try:
        yield client
    finally:
        client.flushdb()
        client.close()


PASSWORD = "kettle garden bluebell"
# Where the app says it is reached, for the links it emails.
BASE_URL = "https://profiles.riverside.example"
TEST_ORGANISATION = ("Riverside Care Home", "riverside-care-home")


@contextmanager
def acting_for(app, slug: str = TEST_ORGANISATION[1]):
    """An app context acting for one organisation (made if new), as a signed-in request does:
    one unit of work, committed at the end of the block."""
    with app.app_context(), unit_of_work():
        org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
        if org is None:
            org = Organisation(name=slug.replace("-", " ").title(), slug=slug)
            db.session.add(org)
            db.session.flush()
        act_for(org.id)
        yield org


@contextmanager
def inspecting(app):
    """An app context that reads every organisation's rows, as someone checking the database."""
    with app.app_context(), every_organisation():
        yield


@pytest.fixture(scope="session")
def password_hash():
    """One real hash for every test account: hashing is slow on purpose."""
    from profiles.accounts.passwords import hash_password

    return hash_password(PASSWORD)


@pytest.fixture
def app(database_url):
    app = build_app(database_url)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def create_account(app, password_hash):
    """Make an organisation (if new) and an account in it; returns (organisation id, user id)."""

    def make(
        email="sam@riverside.example",
        slug=TEST_ORGANISATION[1],
        role="administrator",
        name="Sam Keyworker",
        install_admin=False,
    ):
        with acting_for(app, slug) as org:
            user = User(
                organisation=org,
                email=email,
                name=name,
                role=role,
                password_hash=password_hash,
                install_admin=install_admin,
            )
            db.session.add(user)
            db.session.commit()
            return org.id, user.id

    return make


@pytest.fixture
def account(create_account):
    """The signed-in person of most tests: an administrator of Riverside Care Home."""
    return create_account()


def sign_in_as(client, user_id: int) -> None:
    """Start a session for this account, as signing in does."""
    with client.session_transaction() as session:
        session["_user_id"] = f"{user_id}.1"
        session["_fresh"] = True


def agree_to(client, profile_id: int, by: str = "Margaret Jones") -> None:
    """Record, on the agreement step, that the person agreed to the profile as it is now."""
    response = client.post(
        f"/profiles/{profile_id}/steps/agree",
        data={"consent_self": "yes", "consent_by": by, "consent_date-day": "26",
              "consent_date-month": "5", "consent_date-year": "2026", "action": "save"},
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)


def tables_with_labelled_cells(page: str) -> list[list[str]]:
    """Each table's column headings, having checked that every cell carries its column's
    heading as its data-label: on a phone the rows become cards and the headings are
    hidden, so the label is all that says what a bare "No" or a date means."""
    found = []
    for table in re.findall(r"<table\b.*?</table>", page, flags=re.S):
        head = table.split("<thead>")[1].split("</thead>")[0]
        headings = [
            re.sub(r"<[^>]+>", "", heading).strip()
            for heading in re.findall(r"<th\b[^>]*>(.*?)</th>", head, flags=re.S)
        ]
        for row in table.split("<tbody>")[1].split("<tr>")[1:]:
            cells = re.findall(r"<td\b([^>]*)>", row)
            assert cells, row
            labels = [re.search(r'data-label="([^"]*)"', attrs) for attrs in cells]
            assert all(labels), row
            assert [label.group(1) for label in labels] == headings, row
        found.append(headings)
    return found


@pytest.fixture
def client(app, account):
    client = app.test_client()
    sign_in_as(client, account[1])
    return client


@pytest.fixture
def runner(app, account):
    return app.test_cli_runner()


@pytest.fixture
def create_profile(app, account):
    """Make a profile straight in the database: create_profile(name=..., statements={...})."""
    from profiles import services

    def make(name="Margaret Jones", kind="adult", statements=None, organisation_id=None, **fields):
        with app.app_context():
            act_for(organisation_id or account[0])
            profile = services.create_profile(kind, name)
            for field, value in fields.items():
                setattr(profile, field, value)
            for section in profile.sections:
                texts = (statements or {}).get(section.key, [])
                section.statements = [Statement(position=i, text=t) for i, t in enumerate(texts)]
            db.session.commit()
            return profile.id

    return make


@pytest.fixture
def outbox(app, monkeypatch):
    """A mail server set up for the app, that keeps every message it is given, as sent."""
    sent = []

    class KeepingSMTP:
        def __init__(self, host, port, timeout):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            pass

        def send_message(self, message):
            sent.append(message)

    monkeypatch.setattr(smtplib, "SMTP", KeepingSMTP)
    app.config.update(SMTP_HOST="mail.riverside.example", BASE_URL=BASE_URL)
    return sent
