"""History: every save keeps a revision; the changes between any two; restore; undo."""

from __future__ import annotations

from sqlalchemy import select

from profiles.extensions import db
from profiles.models import Profile, Revision

from .conftest import inspecting
from .test_wizard import existing, texts


def revisions(app, pid):
    """(number, what, user id) of each of the profile's revisions, oldest first."""
    with inspecting(app):
        query = select(Revision).where(Revision.profile_id == pid).order_by(Revision.number)
        return [(r.number, r.what, r.user_id) for r in db.session.scalars(query)]


def document(app, pid, number):
    with inspecting(app):
        query = select(Revision.document).where(
            Revision.profile_id == pid, Revision.number == number
        )
        return db.session.scalar(query)


def test_every_wizard_save_keeps_a_revision_with_who_and_when(app, client, account):
    response = client.post(
        "/profiles/new", data={"kind": "adult", "name": "Margaret Jones", "language": "en"}
    )
    pid = int(response.headers["Location"].split("/")[2])
    assert revisions(app, pid) == [(1, "Created", account[1])]

    client.post(
        f"/profiles/{pid}/steps/appreciation",
        data={"answer_0": "I remember birthdays.\nI make tea.", "action": "next"},
    )
    data, _ = existing(app, pid, "appreciation")
    data["statements-1-text"] = "I make very good tea."
    client.post(f"/profiles/{pid}/steps/appreciation", data={**data, "action": "save"})
    # Moving between steps without changing anything keeps no revision.
    client.post(f"/profiles/{pid}/steps/important", data={"action": "back"})

    assert revisions(app, pid) == [
        (1, "Created", account[1]),
        (2, "Changed", account[1]),
        (3, "Changed", account[1]),
    ]
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        uids = [st.uid for st in profile.section("appreciation").statements]
        assert profile.version == 3
    second, third = document(app, pid, 2), document(app, pid, 3)
    appreciation = third["sections"][0]
    assert appreciation["items"] == ["I remember birthdays.", "I make very good tea."]
    # An edited statement is the same statement: its uid stays.
    assert appreciation["uids"] == uids == second["sections"][0]["uids"]
    assert len(set(uids)) == 2


def test_a_statement_edited_in_place_keeps_its_uid_and_a_new_one_gets_its_own(
    app, client, create_profile
):
    pid = create_profile(statements={"support": ["Knock first."]})
    data, _ = existing(app, pid, "support")
    client.post(
        f"/profiles/{pid}/steps/support",
        data={**data, "statements-0-text": "Knock and wait.", "answer_0": "Speak slowly."},
    )
    assert texts(app, pid, "support") == ["Knock and wait.", "Speak slowly."]
    first, latest = document(app, pid, 1), document(app, pid, 2)
    old_uids, new_uids = first["sections"][2]["uids"], latest["sections"][2]["uids"]
    assert new_uids[0] == old_uids[0]
    assert new_uids[1] not in old_uids


def test_an_imported_profile_starts_its_history_as_the_file_had_it(app, runner, tmp_path):
    from .conftest import EXAMPLES

    example = sorted(EXAMPLES.glob("*.json"))[0]
    result = runner.invoke(args=["import", str(example)])
    assert result.exit_code == 0, result.output
    pid = int(result.output.split()[0])
    assert revisions(app, pid) == [(1, "Imported", None)]
    assert "photo" not in document(app, pid, 1) or "data" not in document(app, pid, 1)["photo"]
