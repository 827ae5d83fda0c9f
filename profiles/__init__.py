"""One-Page Profiles: guided prompts that print a profile on exactly one page."""

from __future__ import annotations

import os
import secrets
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .render.assets import STATIC_DIR, TEMPLATES_DIR
from .render.child import for_the_process


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then PROFILES_* variables, then tests."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(TEMPLATES_DIR),
        static_folder=str(STATIC_DIR),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        DATABASE_URL=f"sqlite:///{Path(app.instance_path) / 'profiles.db'}",
        # Photos may be up to 10 MB, which is about 13.4 MB inside an imported file as
        # base64; the margin lets the form itself say what is too big.
        MAX_CONTENT_LENGTH=20 * 1024 * 1024,
        # A tablet left for hours must still save what was typed on it.
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        # Care homes share devices: a session left this long without a request ends.
        SESSION_IDLE_MINUTES=30,
        # Rate limits (and later the job queue) keep their counts here; memory when empty.
        REDIS_URL="",
        # A print still laying out after this many seconds is stopped (see render/child.py).
        RENDER_TIMEOUT=20,
        # How many reverse proxies in front of the app to believe about the client's
        # address and scheme; 0 believes none, so nobody can pose as another address.
        TRUSTED_PROXIES=0,
        # The address people open the app at, such as https://profiles.example.org: emailed
        # links start with it, never with whatever host a request named.
        BASE_URL="",
        # SQL errors would otherwise print names and statements into the logs.
        SQLALCHEMY_ENGINE_OPTIONS={"hide_parameters": True},
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("PROFILES")
    if test_config:
        app.config.update(test_config)

    app.config.setdefault("AUTO_MIGRATE", app.config["DATABASE_URL"].startswith("sqlite:"))
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(app.config["DATABASE_URL"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret(Path(app.instance_path))
    if app.config.get("SMTP_HOST") and not app.config["BASE_URL"]:
        app.logger.warning(
            "Links are not emailed: set PROFILES_BASE_URL to the address people open the app "
            "at (such as https://profiles.example.org) as well as PROFILES_SMTP_HOST."
        )
    if app.config["TRUSTED_PROXIES"]:
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    # The app lives as long as the process, so what building it makes is set aside from the
    # garbage collector; tests build hundreds of apps and keep none, so theirs is not.
    with nullcontext() if app.testing else for_the_process():
        assemble(app)
    return app


def assemble(app: Flask) -> None:
    """Bind the extensions, load the kinds, register every area's pages and commands, and
    bring an embedded database up to date."""
    # Imported here, not at the top: importing the package (as a print worker does) then
    # does not load the database or the web app.
    from . import (
        accounts,
        audit,
        batch,
        cli,
        contributions,
        converters,
        errors,
        groups,
        history,
        library,
        logs,
        organisations,
        printing,
        reviews,
        rights,
        security,
        sharing,
        staff,
        templating,
        transfer,
        wizard,
    )
    from .accounts import access, limits
    from .extensions import csrf, db, init_migrations
    from .kinds import load_kinds
    from .services import unit_of_work

    logs.init_app(app)
    db.init_app(app)
    csrf.init_app(app)
    app.extensions["profile_kinds"] = load_kinds()
    access.init_app(app)
    limits.init_app(app)
    converters.init_app(app)
    for area in (
        accounts,
        staff,
        rights,
        library,
        wizard,
        printing,
        transfer,
        audit,
        organisations,
        groups,
        batch,
        contributions,
        sharing,
        history,
        reviews,
    ):
        app.register_blueprint(area.bp)
    # Each request's changes are one unit of work: committed once when its view answers,
    # rolled back if it raises (the error pages then say what happened).
    for endpoint, view in app.view_functions.items():
        app.view_functions[endpoint] = unit_of_work()(view)
    errors.init_app(app)
    printing.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    init_migrations(app)


def database_uri(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def instance_secret(instance: Path) -> str:
    """A random secret kept in the instance folder, made on first run: never a default."""
    path = instance / "secret_key"
    try:
        # Created readable by its owner only, and only once when several workers start.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_hex(32))
    return path.read_text().strip()
