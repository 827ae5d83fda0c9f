"""A request or a command keeps all of its changes or none: nothing is ever half-written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from profiles.extensions import db
from profiles.models import AuditEvent, Profile

from .conftest import EXAMPLES, inspecting


def state(app, profile_id: int) -> tuple:
    """What a reader of the database would notice: statements, version, audit events."""
    with inspecting(app):
        profile = db.session.get(Profile, profile_id)
        return (
            [st.text for st in profile.section("important").statements],
            profile.version,
            db.session.scalar(select(func.count(AuditEvent.id))),
        )


def test_a_failure_after_a_save_keeps_nothing_of_it(app, client, create_profile, monkeypatch):
    from profiles.wizard import flow

    pid = create_profile(statements={"important": ["Tea first thing."]})
    before = state(app, pid)

    def broken(*args, **kwargs):
        raise RuntimeError("the page could not be answered")

    # After the section is saved, the change recorded and the step written, the page fails.
    monkeypatch.setattr(flow, "flash", broken)
    with pytest.raises(RuntimeError, match="could not be answered"):
        client.post(
            f"/profiles/{pid}/steps/important",
            data={"answer_0": "My daughter visits on Sundays.", "action": "save"},
        )
    assert state(app, pid) == before
    monkeypatch.undo()
    # The same save, answered, keeps the statement, the new version and its audit event.
    client.post(
        f"/profiles/{pid}/steps/important",
        data={"answer_0": "My daughter visits on Sundays.", "action": "next"},
    )
    statements, version, events = state(app, pid)
    assert sorted(statements) == ["My daughter visits on Sundays.", "Tea first thing."]
    assert (version, events) == (before[1] + 1, before[2] + 1)


def test_a_command_that_fails_after_importing_keeps_nothing(app, runner, monkeypatch):
    from profiles.transfer import commands

    def broken(action):
        raise RuntimeError("the terminal went away")

    monkeypatch.setattr(commands, "once_saved", broken)
    result = runner.invoke(args=["import", str(EXAMPLES / "adult.json")])
    assert isinstance(result.exception, RuntimeError)
    with inspecting(app):
        assert db.session.scalar(select(func.count(Profile.id))) == 0
        assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


def test_a_save_that_loses_a_race_is_made_again_on_the_saved_version(
    app, client, create_profile, monkeypatch
):
    """The second save passed the version check, then lost the race to the database."""
    from profiles.wizard import services

    pid = create_profile(statements={"important": ["Tea first thing."]})
    touch = services.touch

    def someone_else_saves_first(profile):
        with db.engine.begin() as connection:
            connection.execute(
                text("UPDATE profile SET version = version + 1 WHERE id = :id"), {"id": pid}
            )
        monkeypatch.setattr(services, "touch", touch)
        touch(profile)

    monkeypatch.setattr(services, "touch", someone_else_saves_first)
    # PostgreSQL would make the other save wait for this one: here it goes first regardless.
    monkeypatch.setattr(services, "wait_for_other_saves", lambda profile: None)
    before = state(app, pid)
    response = client.post(
        f"/profiles/{pid}/steps/important",
        data={"answer_0": "Chapel on Sunday mornings.", "action": "next"},
    )
    # Nothing of the first try is kept; the second, on the other save's version, goes in.
    assert response.status_code == 302
    statements, version, events = state(app, pid)
    assert statements == [*before[0], "Chapel on Sunday mornings."]
    assert events == before[2] + 1
    assert version == before[1] + 2  # the other save's, then this one's


def test_a_change_that_could_not_be_saved_is_not_announced_as_saved(
    app, client, create_account, monkeypatch
):
    from profiles.models import User

    _, jo = create_account(email="jo@riverside.example", role="staff", name="Jo Carer")

    def database_gone():
        raise RuntimeError("the database went away")

    app.config["PROPAGATE_EXCEPTIONS"] = False  # show the error page, as in production
    monkeypatch.setattr(db.session, "commit", database_gone)
    response = client.post(f"/staff/{jo}/deactivate")
    monkeypatch.undo()
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Your last change was not saved" in page
    assert "can no longer sign in" not in page
    # Nor on the next page: the message about the change went with the change.
    assert "can no longer sign in" not in client.get("/staff").get_data(as_text=True)
    with inspecting(app):
        assert db.session.get(User, jo).active


def test_create_admin_says_nothing_of_an_account_it_could_not_save(app, runner, monkeypatch):
    def database_gone():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(db.session, "commit", database_gone)
    result = runner.invoke(
        args=["create-admin", "--organisation", "Bryn Home Care", "--email",
              "ffion@bryn.example", "--name", "Ffion Evans"],
        input="kettle garden bluebell\nkettle garden bluebell\n",
    )  # fmt: skip
    monkeypatch.undo()
    assert result.exit_code != 0 and "is an administrator" not in result.output
