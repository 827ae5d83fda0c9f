"""The app starts, migrates itself and refuses a broken kind file."""

import pytest

from profiles import create_app
from profiles.kinds import KindError, load_kinds


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


def test_broken_kind_file_names_file_and_problem(tmp_path):
    (tmp_path / "adult.toml").write_text(
        'label = "Adult"\ndescription = "x"\n[[sections]]\nkey = "a"\nheading = "A"\n'
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
