"""Extensions, created unbound here and bound to the app in create_app(), and the database's
migrations, whose tools are loaded only when they are needed."""

from __future__ import annotations

import ast
import re
import sqlite3
from pathlib import Path

import click
from flask import Flask, current_app, has_app_context
from flask.cli import ScriptInfo
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class Base(DeclarativeBase):
    # Named constraints keep migrations identical on SQLite and PostgreSQL.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()
login_manager = LoginManager()


# How long a request waits for SQLite's write lock before giving up, in milliseconds.
SQLITE_WAIT_MS = 20_000


@event.listens_for(Engine, "connect")
def _enforce_sqlite_foreign_keys(dbapi_connection, connection_record) -> None:
    # SQLite ignores ON DELETE CASCADE unless asked, and deleting a profile relies on it.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # SQLite lets one writer in at a time and others wait their turn, polling, for up to
        # this long; Python's 5 seconds were too little for ten staff saving at once, when
        # one of them could keep losing its turn and be sent an error instead of saving.
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_WAIT_MS}")
        cursor.close()
        # SQLite's own lower() knows only A to Z; search must find Łukasz and Élodie too.
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


# Migrations: Flask-Migrate and Alembic take a tenth of a second or more to load, which every
# command and every web worker would pay; they are loaded when a migration is to be run.


def bind_migrations(app: Flask | None = None) -> None:
    """Bind Flask-Migrate to the app (the current one unless given), loading it and Alembic."""
    app = app or current_app._get_current_object()
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(MIGRATIONS_DIR))


class MigrationCommands(click.Group):
    """`flask db`: Flask-Migrate's own group of commands, loaded when it is used."""

    def __init__(self) -> None:
        super().__init__("db", help="Database migrations (Flask-Migrate and Alembic).")

    @staticmethod
    def _group() -> click.Group:
        from flask_migrate.cli import db as commands

        return commands

    # Its options (-d, -x), its start (which reads them) and its commands are the group's.
    @property
    def params(self) -> list[click.Parameter]:
        return self._group().params

    @params.setter
    def params(self, value: list[click.Parameter]) -> None:
        pass  # the group has none of its own

    def invoke(self, ctx: click.Context):
        if has_app_context():
            bind_migrations()
        else:  # as under the test runner: the app the command line was given
            bind_migrations(ctx.ensure_object(ScriptInfo).load_app())
        return self._group().invoke(ctx)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._group().list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self._group().get_command(ctx, name)


def init_migrations(app: Flask) -> None:
    """Offer `flask db`, and bring an embedded database up to date when the app starts."""
    app.cli.add_command(MigrationCommands())
    if app.config["AUTO_MIGRATE"]:
        with app.app_context():
            if database_revision() != latest_revision():
                from flask_migrate import upgrade

                bind_migrations(app)
                upgrade(directory=str(MIGRATIONS_DIR))
            # Connections opened here are not handed on to the processes a server forks
            # from this one (gunicorn --preload): each opens its own.
            db.engine.dispose()


def latest_revision(folder: Path = MIGRATIONS_DIR / "versions") -> str | None:
    """The newest migration's revision, read from the files; None unless there is exactly one."""
    revisions, replaced = set(), set()
    for path in folder.glob("*.py"):
        found = dict(re.findall(r"^(revision|down_revision) = (.+)$", path.read_text(), re.M))
        revisions.add(ast.literal_eval(found["revision"]))
        down = ast.literal_eval(found["down_revision"])
        replaced.update(down if isinstance(down, tuple) else [down])
    heads = revisions - replaced
    return heads.pop() if len(heads) == 1 else None


def database_revision() -> str | None:
    """The revision the database is migrated to, or None for a database not yet set up."""
    with db.engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.scalar(text("SELECT version_num FROM alembic_version"))
