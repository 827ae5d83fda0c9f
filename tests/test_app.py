"""The app starts, migrates itself and refuses a broken kind file."""

from contextlib import ExitStack, contextmanager

import pytest

from profiles import create_app
from profiles.kinds import KINDS_DIR, KindError, load_kinds

from .conftest import build_app, inspecting, new_postgres_database


def test_library_page_loads(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Profiles" in response.get_data(as_text=True)


def test_fresh_sqlite_database_is_migrated_on_first_start(tmp_path):
    path = tmp_path / "fresh.db"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{path}"})
    client = app.test_client()
    response = client.get("/")
    assert response.headers["Location"] == "/setup"  # a fresh install is set up first
    assert "Set up One-Page Profiles" in client.get("/setup").get_data(as_text=True)
    assert path.exists()


def test_every_kind_file_loads():
    kinds = load_kinds()
    assert kinds["adult"].section_keys == ("appreciation", "important", "support")
    for section in kinds["adult"].sections:
        assert 4 <= len(section.prompts) <= 7


def test_kinds_come_in_the_order_their_files_give(tmp_path):
    assert list(load_kinds()) == ["adult", "child", "staff", "team", "hospital"]
    adult = (KINDS_DIR / "adult.toml").read_text()
    (tmp_path / "b.toml").write_text(adult)
    (tmp_path / "a.toml").write_text(adult.replace("order = 1", "order = 2"))
    assert list(load_kinds(tmp_path)) == ["b", "a"]
    (tmp_path / "c.toml").write_text(adult.replace("order = 1\n", ""))
    with pytest.raises(KindError, match=r"c\.toml: 'order' must be a whole number"):
        load_kinds(tmp_path)


def test_broken_kind_file_names_file_and_problem(tmp_path):
    (tmp_path / "adult.toml").write_text(
        'order = 1\nlabel = "Adult"\ndescription = "x"\n[[sections]]\nkey = "a"\nheading = "A"\n'
        'intro = "i"\n[[sections.prompts]]\nquestion = "q"\nhelp = "h"\npoor = "p"\ngood = "g"\n'
    )
    with pytest.raises(KindError, match=r"adult\.toml: sections\[0\]: needs 4 to 7"):
        load_kinds(tmp_path)


def test_kind_file_that_is_not_toml_is_named(tmp_path):
    (tmp_path / "child.toml").write_text("label = \n")
    with pytest.raises(KindError, match=r"child\.toml"):
        load_kinds(tmp_path)


def test_migrations_build_exactly_the_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from profiles.extensions import db

    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


@contextmanager
def older_install(backend: str, tmp_path, revision: str):
    """An app context on a new database migrated only as far as an older revision."""
    from flask_migrate import upgrade

    from profiles.extensions import MIGRATIONS_DIR, bind_migrations, db

    with ExitStack() as stack:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path / 'older.db'}"
        else:
            url = stack.enter_context(new_postgres_database())
        app = build_app(url)
        with inspecting(app):
            bind_migrations()
            upgrade(directory=str(MIGRATIONS_DIR), revision=revision)
            try:
                yield
            finally:
                db.session.remove()
                db.engine.dispose()


def older_profile(organisation_id: int, **values) -> int:
    """A profile written as an older release's table holds it, not as today's model does."""
    from datetime import UTC, datetime

    from sqlalchemy import MetaData, Table

    from profiles.extensions import db

    profiles = Table("profile", MetaData(), autoload_with=db.session.connection())
    now = datetime.now(UTC)
    columns = {
        **dict.fromkeys(("preferred_name", "written_by", "consent_by"), ""),
        "organisation_id": organisation_id, "kind": "adult", "name": "Sam",
        "language": "en", "design": "classic", "paper": "A4", "facts": [],
        "status": "draft", "step": "about", "version": 1, "consent_relationship": "",
        "created_at": now, "updated_at": now, **values,
    }  # fmt: skip
    insert = profiles.insert().values({k: v for k, v in columns.items() if k in profiles.c})
    return db.session.execute(insert).inserted_primary_key[0]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrading_an_older_install_lets_its_first_administrators_add_organisations(
    backend, tmp_path
):
    from flask_migrate import upgrade
    from sqlalchemy import select, text

    from profiles.extensions import MIGRATIONS_DIR, bind_migrations, db
    from profiles.models import User

    # The install as it was before organisations could be added on the web.
    with older_install(backend, tmp_path, "e4dabfe4522f"):
        db.session.execute(
            text(
                "INSERT INTO organisation (id, name, slug, created_at) VALUES "
                "(1, 'Riverside', 'riverside', CURRENT_TIMESTAMP), "
                "(2, 'Bryn', 'bryn', CURRENT_TIMESTAMP)"
            )
        )
        # The one who set it up, a member of staff, another organisation's administrator
        # and a second administrator of the first, invited but not yet joined.
        accounts = ((1, "administrator", "x"), (1, "staff", "x"), (2, "administrator", "x"))
        accounts += ((1, "administrator", ""),)
        for number, (org, role, password_hash) in enumerate(accounts, start=1):
            db.session.execute(
                text(
                    "INSERT INTO account (id, organisation_id, email, name, password_hash, "
                    "role, active, session_version, created_at) VALUES (:id, :org, :email, "
                    "'Someone', :hash, :role, TRUE, 1, CURRENT_TIMESTAMP)"
                ),
                {
                    "id": number,
                    "org": org,
                    "email": f"{number}@example.org",
                    "role": role,
                    "hash": password_hash,
                },
            )
        db.session.commit()
        bind_migrations()
        upgrade(directory=str(MIGRATIONS_DIR))
        admins = db.session.scalars(select(User.id).where(User.install_admin))
        assert list(admins) == [1]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrading_keeps_each_staff_profile_with_the_first_account_that_named_it(backend, tmp_path):
    from flask_migrate import upgrade
    from sqlalchemy import select, text

    from profiles.extensions import MIGRATIONS_DIR, bind_migrations, db
    from profiles.models import Organisation, User

    # Before one account per staff profile was enforced.
    with older_install(backend, tmp_path, "45507fc8aee2"):
        organisation = Organisation(name="Riverside", slug="riverside")
        db.session.add(organisation)
        db.session.flush()
        profile_id = older_profile(organisation.id, kind="staff", name="Sam")
        for number in (1, 2):
            db.session.execute(
                text(
                    "INSERT INTO account (id, organisation_id, email, name, password_hash, "
                    "role, install_admin, active, session_version, staff_profile_id, "
                    "created_at) VALUES (:id, :org, :email, 'Sam', 'x', 'staff', FALSE, "
                    "TRUE, 1, :profile, CURRENT_TIMESTAMP)"
                ),
                {"id": number, "org": organisation.id, "email": f"{number}@example.org",
                 "profile": profile_id},
            )  # fmt: skip
        db.session.commit()
        bind_migrations()
        upgrade(directory=str(MIGRATIONS_DIR))
        linked = db.session.execute(select(User.id, User.staff_profile_id).order_by(User.id))
        assert [tuple(row) for row in linked] == [(1, profile_id), (2, None)]


def test_templates_and_static_files_are_found_in_a_checkout_and_in_an_installed_wheel(tmp_path):
    from profiles.render.assets import STATIC_DIR, TEMPLATES_DIR, shipped

    assert (TEMPLATES_DIR / "base.html").is_file()
    assert (STATIC_DIR / "css" / "app.css").is_file()
    checkout = tmp_path / "project" / "profiles"
    checkout.mkdir(parents=True)
    assert shipped("templates", checkout) == tmp_path / "project" / "templates"
    (checkout / "templates").mkdir()  # as a wheel installs them, inside the package
    assert shipped("templates", checkout) == checkout / "templates"


def test_the_latest_revision_read_from_the_files_is_alembics_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from profiles.extensions import MIGRATIONS_DIR, latest_revision

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert latest_revision() == ScriptDirectory.from_config(config).get_current_head()


def test_a_database_already_up_to_date_starts_without_loading_the_migration_tools(tmp_path):
    import subprocess
    import sys

    start = (
        "import sys; from profiles import create_app; "
        f"create_app({{'SECRET_KEY': 'x', 'DATABASE_URL': 'sqlite:///{tmp_path}/p.db'}}); "
        "print('alembic' in sys.modules)"
    )
    run = [sys.executable, "-c", start]
    first = subprocess.run(run, capture_output=True, text=True, check=True)
    again = subprocess.run(run, capture_output=True, text=True, check=True)
    assert (first.stdout.strip(), again.stdout.strip()) == ("True", "False")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_flask_db_upgrade_migrates_a_new_database_as_the_readme_says(backend, tmp_path):
    from sqlalchemy import inspect

    from profiles.extensions import db

    with ExitStack() as stack:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path / 'new.db'}"
        else:
            url = stack.enter_context(new_postgres_database())
        app = build_app(url)  # not migrated on start, as on PostgreSQL in production
        runner = app.test_cli_runner()
        upgraded = runner.invoke(args=["db", "upgrade"])
        assert upgraded.exit_code == 0, upgraded.output
        assert runner.invoke(args=["db", "current"]).exit_code == 0
        helped = runner.invoke(args=["db", "--help"])
        assert "--directory" in helped.output and "upgrade" in helped.output
        with app.app_context():
            assert {"profile", "account", "render_result"} <= set(
                inspect(db.engine).get_table_names()
            )
            db.engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrading_makes_profiles_written_before_findable_without_accents(backend, tmp_path):
    from flask_migrate import upgrade
    from sqlalchemy import select

    from profiles.extensions import MIGRATIONS_DIR, bind_migrations, db
    from profiles.models import Organisation, Profile

    # Before names were folded for searching.
    with older_install(backend, tmp_path, "8f7b1fca1b10"):
        organisation = Organisation(name="Riverside", slug="riverside")
        db.session.add(organisation)
        db.session.flush()
        older_profile(organisation.id, name="Stanisław Nowak", preferred_name="Staś")
        db.session.commit()
        bind_migrations()
        upgrade(directory=str(MIGRATIONS_DIR))
        assert db.session.scalars(select(Profile.search_name)).all() == ["stanislaw nowak stas"]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_going_back_a_release_keeps_every_section_and_statement(backend, tmp_path):
    """Downgrading alters the profile table; on SQLite that copies it, and dropping the old
    copy must never take the sections and statements that point at it."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from profiles.extensions import MIGRATIONS_DIR, db
    from profiles.models import Organisation

    with older_install(backend, tmp_path, "b7f7eeeb1bcf"):
        organisation = Organisation(name="Riverside", slug="riverside")
        db.session.add(organisation)
        db.session.flush()
        pid = older_profile(organisation.id, name="Margaret Jones")
        db.session.execute(
            text("INSERT INTO section (id, profile_id, key, position) VALUES "
                 "(1, :pid, 'support', 0)"),
            {"pid": pid},
        )  # fmt: skip
        db.session.execute(
            text("INSERT INTO statement (section_id, position, text) VALUES (1, 0, 'Tea.')")
        )
        db.session.commit()
        upgrade(directory=str(MIGRATIONS_DIR))
        downgrade(directory=str(MIGRATIONS_DIR), revision="b7f7eeeb1bcf")
        counts = [
            db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            for table in ("profile", "section", "statement")
        ]
        assert counts == [1, 1, 1]
        db.session.rollback()  # reading holds locks that altering the tables waits for
        upgrade(directory=str(MIGRATIONS_DIR))  # and forward again, as it was
        assert db.session.execute(text("SELECT count(*) FROM statement")).scalar() == 1


def test_sqlite_waits_long_enough_for_its_write_lock_that_many_staff_can_save_at_once(tmp_path):
    """Ten staff saving one profile take turns for SQLite's one writer: each waits up to 20
    seconds (Python's own 5 were too few, and one of them got an error instead of saving;
    see benchmarks/README.md, "Editing together")."""
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{tmp_path / 'wait.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 20_000
    engine.dispose()
