"""History: every save keeps a revision; the changes between any two; restore; undo."""

from __future__ import annotations

from datetime import date

import pytest
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


def audit_actions(app):
    from profiles.models import AuditEvent

    with inspecting(app):
        return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


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


def test_a_staff_profile_starts_its_history_and_any_member_of_staff_sees_it(app, create_account):
    from .conftest import sign_in_as

    _, jo = create_account(email="jo@riverside.example", name="Jo Carer", role="staff")
    client = app.test_client()
    sign_in_as(client, jo)
    client.post("/account/staff-profile/start")
    with inspecting(app):
        pid = db.session.scalar(select(Profile.id))
    assert revisions(app, pid) == [(1, "Created", jo)]
    response = client.get(f"/profiles/{pid}/history")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is only one version so far." in page
    assert "Jo Carer" in page.split("<h2>Versions</h2>")[1]
    assert "Restore this version" not in page  # the only version is the current one


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


def doc(sections=None, **fields):
    """A revision document with these sections ({key: [(uid, text), ...]}) and fields."""
    return {
        "kind": "adult",
        "name": "Margaret Jones",
        "language": "en",
        **fields,
        "sections": [
            {
                "key": key,
                "items": [text for _, text in items],
                "uids": [uid for uid, _ in items],
            }
            for key, items in (sections or {}).items()
        ],
        "layout": {"design": "classic", "paper": "A4"},
    }


def test_diff_finds_added_removed_changed_and_moved_statements():
    from profiles.history.diff import compare

    old = doc({"support": [("a", "Knock first."), ("b", "Speak slowly."), ("c", "Tea, no sugar.")]})
    new = doc(
        {
            "support": [
                ("c", "Tea, no sugar."),
                ("a", "Knock and wait."),
                ("d", "Sit where I can see you."),
            ]
        }
    )
    changes = compare(old, new)
    (section,) = changes.sections
    assert section.key == "support" and not section.heading_changed
    summary = [(c.change, c.text, c.moved_from, c.moved_to) for c in section.statements]
    assert summary == [
        ("moved", "Tea, no sugar.", 3, 1),
        ("changed", "Knock and wait.", None, None),
        ("removed", "Speak slowly.", None, None),
        ("added", "Sit where I can see you.", None, None),
    ]
    changed = section.statements[1]
    assert changed.old_text == "Knock first."
    assert changed.words == (
        ("same", "Knock "),
        ("removed", "first."),
        ("added", "and wait."),
    )


def test_diff_of_the_same_document_is_nothing_and_statements_match_by_uid_not_text():
    from profiles.history.diff import compare

    same = doc({"support": [("a", "Knock first.")]})
    assert compare(same, same).nothing
    # The same words under another uid are another statement: one removed, one added.
    changes = compare(same, doc({"support": [("z", "Knock first.")]}))
    assert [c.change for c in changes.sections[0].statements] == ["removed", "added"]


def test_diff_names_heading_fact_name_photo_and_review_date_changes():
    from profiles.history.diff import Detail, compare

    old = doc(
        {"important": [("a", "My cat.")]},
        preferred_name="Peggy",
        facts=[{"label": "Allergies", "value": "None"}, {"label": "GP", "value": "Dr Rao"}],
        photo={"media_type": "image/jpeg", "sha256": "1" * 64, "description": "Me"},
        review_due="2027-03-01",
    )
    new = doc(
        {"important": [("a", "My cat.")]},
        name="Margaret Okafor",
        facts=[
            {"label": "Allergies", "value": "Penicillin"},
            {"label": "Next of kin", "value": "Tom"},
        ],
        photo={"media_type": "image/jpeg", "sha256": "2" * 64, "description": "Me"},
        review_due="2027-09-01",
    )
    new["sections"][0]["heading"] = "What matters to Peggy"
    changes = compare(old, new, default_heading=lambda key: "What is important to me")
    assert changes.details == (
        Detail("Photo", "The photo it had", "A different photo"),
        Detail("Full name", "Margaret Jones", "Margaret Okafor"),
        Detail("Name they like to be called", "Peggy", ""),
        Detail("Review date", "1 March 2027", "1 September 2027"),
    )
    assert changes.facts == (
        Detail("Allergies", "None", "Penicillin"),
        Detail("Next of kin", "", "Tom"),
        Detail("GP", "Dr Rao", ""),
    )
    (section,) = changes.sections
    assert (section.old_heading, section.heading) == (
        "What is important to me",
        "What matters to Peggy",
    )
    assert section.heading_changed and section.statements == ()


def test_diff_of_documents_without_uids_matches_statements_by_text():
    from profiles.history.diff import compare

    old = {"sections": [{"key": "support", "items": ["A", "B", "C"]}]}
    new = {"sections": [{"key": "support", "items": ["B", "A", "C", "D"]}]}
    statements = compare(old, new).sections[0].statements
    summary = [(c.change, c.text, c.moved_from, c.moved_to) for c in statements]
    assert summary == [("moved", "B", 2, 1), ("added", "D", None, None)]


def test_history_page_lists_versions_and_shows_the_changes_between_two_chosen(
    app, client, create_profile
):
    pid = create_profile(statements={"support": ["Knock first.", "Speak slowly."]})
    data, ids = existing(app, pid, "support")
    data["statements-0-text"] = "Knock and wait."
    client.post(f"/profiles/{pid}/steps/support", data={**data, "answer_0": "Tea, no sugar."})
    data, ids = existing(app, pid, "support")
    client.post(f"/profiles/{pid}/steps/support", data={**data, "action": f"remove:{ids[1]}"})

    response = client.get(f"/profiles/{pid}/history")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "History of Margaret Jones\u2019s profile" in page
    versions = page.split("<h2>Versions</h2>")[1]
    rows = [row.split("</tr>")[0] for row in versions.split("<tr>")[2:]]
    assert ["Sam Keyworker" in row for row in rows] == [True, True, False]
    assert "Not signed in (the command line or a link)" in rows[2] and "Created" in rows[2]
    # By default: the latest change, version 2 against version 3.
    assert "Changes from version 2 to version 3" in page
    assert "Removed</strong> <del>Speak slowly.</del>" in page
    assert "Knock and wait." not in page.split("Changes from")[1].split("Versions")[0]

    page = client.get(f"/profiles/{pid}/history?older=1&newer=3").get_data(as_text=True)
    assert "Changes from version 1 to version 3" in page
    changed = (
        'Knock <del><span class="visually-hidden">removed: </span>first.</del>'
        '<ins><span class="visually-hidden">added: </span>and wait.</ins>'
    )
    assert changed in page
    assert "Added</strong> Tea, no sugar." in page
    assert "<del>Speak slowly.</del>" in page

    # A version the profile does not have is a problem on the form, not an error page.
    response = client.get(f"/profiles/{pid}/history?older=1&newer=99")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert "Choose a version from the list of 3 versions" in page
    assert client.get(f"/profiles/{pid}/history?older=x%00&newer=").status_code == 400


def test_restore_brings_back_old_text_as_a_new_version_and_keeps_the_newer_one(
    app, client, create_profile, account
):
    pid = create_profile(statements={"support": ["Knock first."]}, preferred_name="Peggy")
    data, _ = existing(app, pid, "support")
    client.post(
        f"/profiles/{pid}/steps/support",
        data={**data, "statements-0-text": "Walk straight in.", "answer_0": "Shout hello."},
    )
    with inspecting(app):
        uids = [st.uid for st in db.session.get(Profile, pid).section("support").statements]

    page = client.get(f"/profiles/{pid}/history/1/restore").get_data(as_text=True)
    assert "Restore version 1?" in page
    assert "What will change" in page

    response = client.post(f"/profiles/{pid}/history/1/restore", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Version 1 is restored as version 3." in page
    assert texts(app, pid, "support") == ["Knock first."]
    assert revisions(app, pid) == [
        (1, "Created", None),
        (2, "Changed", account[1]),
        (3, "Restored version 1", account[1]),
    ]
    # The restored statement is the same statement; the newer version is still there.
    with inspecting(app):
        assert [st.uid for st in db.session.get(Profile, pid).section("support").statements] == [
            uids[0]
        ]
    assert document(app, pid, 2)["sections"][2]["items"] == ["Walk straight in.", "Shout hello."]
    page = client.get(f"/profiles/{pid}/history?older=2&newer=3").get_data(as_text=True)
    assert "Removed</strong> <del>Shout hello.</del>" in page
    # The audit trail: the restore is a change, then each showing of the history a view.
    assert audit_actions(app)[-3:] == ["changed", "viewed", "viewed"]


def test_restore_keeps_a_photo_that_is_no_longer_the_one_the_version_had(
    app, client, create_profile
):
    from .test_wizard import jpeg_bytes, post_multipart, upload

    pid = create_profile(statements={"support": ["Knock first."]})
    post_multipart(
        client,
        f"/profiles/{pid}/steps/photo",
        {"photo": upload(jpeg_bytes(), "me.jpg"), "description": "Me", "action": "save"},
    )
    response = client.post(f"/profiles/{pid}/history/1/restore", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "the profile keeps its current photo" in page
    with inspecting(app):
        assert db.session.get(Profile, pid).photo is not None


def test_undo_after_remove_puts_the_statement_back_in_its_place_as_a_new_version(
    app, client, create_profile
):
    pid = create_profile(statements={"support": ["Knock first.", "Speak slowly.", "Tea."]})
    data, ids = existing(app, pid, "support")
    with inspecting(app):
        removed_uid = db.session.get(Profile, pid).section("support").statements[1].uid
    response = client.post(
        f"/profiles/{pid}/steps/support",
        data={**data, "action": f"remove:{ids[1]}"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Statement removed." in page
    assert f'value="undo:{removed_uid}:1"' in page
    assert texts(app, pid, "support") == ["Knock first.", "Tea."]
    # The offer is for the page after the removal only.
    later = client.get(f"/profiles/{pid}/steps/support").get_data(as_text=True)
    assert "Undo" not in later

    # Undo saves the page as any button does: a new answer typed meanwhile is kept too.
    data, _ = existing(app, pid, "support")
    response = client.post(
        f"/profiles/{pid}/steps/support",
        data={**data, "answer_0": "Sit where I can see you.", "action": f"undo:{removed_uid}:1"},
        follow_redirects=True,
    )
    assert "Statement put back." in response.get_data(as_text=True)
    assert texts(app, pid, "support") == [
        "Knock first.",
        "Speak slowly.",
        "Tea.",
        "Sit where I can see you.",
    ]
    with inspecting(app):
        assert db.session.get(Profile, pid).section("support").statements[1].uid == removed_uid
    assert [what for _, what, _ in revisions(app, pid)] == [
        "Created",
        "Changed",
        "Put back a removed statement",
    ]

    # Pressed again (from an old page, say): it is already back, and nothing is doubled.
    data, _ = existing(app, pid, "support")
    response = client.post(
        f"/profiles/{pid}/steps/support",
        data={**data, "action": f"undo:{removed_uid}:1"},
        follow_redirects=True,
    )
    assert "That statement is already back in the profile." in response.get_data(as_text=True)
    assert len(texts(app, pid, "support")) == 4


def test_the_rights_zip_holds_every_version_with_who_when_and_what(app, client, create_profile):
    import io
    import json
    import zipfile

    pid = create_profile(statements={"support": ["Knock first."]})
    data, _ = existing(app, pid, "support")
    client.post(
        f"/profiles/{pid}/steps/support",
        data={**data, "statements-0-text": "Knock and wait."},
    )
    response = client.get(f"/profiles/{pid}/everything.zip")
    with zipfile.ZipFile(io.BytesIO(response.data)) as zipped:
        assert "history.json" in zipped.read("README.txt").decode()
        kept = json.loads(zipped.read("history.json"))
    assert [(v["version"], v["by"], v["what"]) for v in kept] == [
        (1, "Not signed in (the command line or a link)", "Created"),
        (2, "Sam Keyworker", "Changed"),
    ]
    assert kept[0]["profile"]["sections"][2]["items"] == ["Knock first."]
    assert kept[1]["profile"]["sections"][2]["items"] == ["Knock and wait."]
    assert kept[1]["at"].endswith("+00:00")


def test_deleting_a_profile_deletes_its_history(app, client, create_profile):
    from sqlalchemy import func

    pid = create_profile(name="Tom Evans", statements={"support": ["Knock first."]})
    keep = create_profile(name="Ann Lee")
    client.post(f"/profiles/{pid}/steps/support", data={"answer_0": "Tea."})
    assert len(revisions(app, pid)) == 2
    response = client.post(f"/profiles/{pid}/delete", data={"confirm": "Tom Evans"})
    assert response.status_code == 302
    with inspecting(app):
        assert db.session.scalar(select(func.count(Revision.id))) == 1
    assert revisions(app, keep) == [(1, "Created", None)]


def test_another_organisations_history_is_not_found_and_stays_as_it_was(
    app, client, create_profile, create_account
):
    other_org, _ = create_account(email="ffion@bryn.example", slug="bryn-home-care")
    theirs = create_profile(name="Someone Else", organisation_id=other_org)
    ours = create_profile(name="Margaret Jones")
    for url in (
        f"/profiles/{theirs}/history",
        f"/profiles/{theirs}/history?older=1&newer=1",
        f"/profiles/{theirs}/history/1/restore",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert b"Someone Else" not in response.data
    assert client.post(f"/profiles/{theirs}/history/1/restore").status_code == 404
    assert revisions(app, theirs) == [(1, "Created", None)]
    # Nor is another profile's version found through ours.
    assert client.get(f"/profiles/{ours}/history/2/restore").status_code == 404
    assert client.get(f"/profiles/{ours}/history").status_code == 200


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrading_gives_every_statement_a_uid_and_every_profile_its_first_version(
    backend, tmp_path
):
    from flask_migrate import upgrade
    from sqlalchemy import text

    from profiles.extensions import MIGRATIONS_DIR, bind_migrations
    from profiles.models import Organisation, Statement

    from .test_app import older_install, older_profile

    # Before history was kept.
    with older_install(backend, tmp_path, "b7f7eeeb1bcf"):
        organisation = Organisation(name="Riverside", slug="riverside")
        db.session.add(organisation)
        db.session.flush()
        pid = older_profile(organisation.id, name="Margaret Jones", version=7)
        db.session.execute(
            text("INSERT INTO section (id, profile_id, key, heading, position) VALUES "
                 "(1, :pid, 'appreciation', NULL, 0), (2, :pid, 'support', 'Help me', 1)"),
            {"pid": pid},
        )  # fmt: skip
        db.session.execute(
            text("INSERT INTO statement (section_id, position, text) VALUES "
                 "(2, 1, 'Speak slowly.'), (2, 0, 'Knock first.')")
        )  # fmt: skip
        db.session.commit()
        bind_migrations()
        upgrade(directory=str(MIGRATIONS_DIR))
        uids = db.session.scalars(select(Statement.uid).order_by(Statement.position)).all()
        assert len(set(uids)) == 2 and all(len(uid) == 32 for uid in uids)
        (revision,) = db.session.scalars(select(Revision)).all()
        assert (revision.profile_id, revision.number, revision.user_id) == (pid, 7, None)
        assert revision.what == "Before history was kept"
        assert revision.document["name"] == "Margaret Jones"
        assert revision.document["sections"] == [
            {"key": "appreciation", "items": [], "uids": []},
            {"key": "support", "heading": "Help me", "items": ["Knock first.", "Speak slowly."],
             "uids": uids},
        ]  # fmt: skip


def test_a_restore_that_meets_another_save_restores_nothing_and_says_so(
    app, client, create_profile, monkeypatch
):
    from profiles.history import routes

    pid = create_profile(statements={"support": ["Knock first."]})
    client.post(f"/profiles/{pid}/steps/support", data={"answer_0": "Tea."})
    real_restore = routes.restore

    def restore_while_someone_saves(profile, revision):
        # Another request saves the profile between this one reading and writing it.
        with inspecting(app):
            db.session.get(Profile, pid).version = 99
            db.session.commit()
        return real_restore(profile, revision)

    monkeypatch.setattr(routes, "restore", restore_while_someone_saves)
    response = client.post(f"/profiles/{pid}/history/1/restore", follow_redirects=True)
    assert response.status_code == 200
    assert "so nothing was restored" in response.get_data(as_text=True)
    # As the other save left it (a new answer goes after the statements already saved).
    assert texts(app, pid, "support") == ["Knock first.", "Tea."]
    assert [n for n, _, _ in revisions(app, pid)] == [1, 2]


def test_restoring_other_words_makes_a_ready_profile_a_draft_again(app, client, create_profile):
    pid = create_profile(statements={"support": ["Knock first."]}, status="ready")
    data, _ = existing(app, pid, "support")
    client.post(f"/profiles/{pid}/steps/support", data={**data, "answer_0": "Tea."})
    with inspecting(app):
        db.session.get(Profile, pid).status = "ready"  # checked again, and marked ready
        db.session.commit()
    response = client.post(f"/profiles/{pid}/history/1/restore", follow_redirects=True)
    assert "so it is a draft again" in response.get_data(as_text=True)
    with inspecting(app):
        assert db.session.get(Profile, pid).status == "draft"


def test_a_profile_with_no_versions_kept_says_so(app, client, create_profile):
    pid = create_profile()
    with inspecting(app):
        db.session.execute(Revision.__table__.delete())
        db.session.commit()
    response = client.get(f"/profiles/{pid}/history")
    assert response.status_code == 200
    assert "No versions are kept yet" in response.get_data(as_text=True)


def test_agreeing_accepting_a_contribution_and_a_review_are_versions_named_for_what_they_were(
    app, client, create_profile
):
    from .conftest import agree_to
    from .test_contributions import ANN, accept, make_link, waiting_ids

    pid = create_profile(statements={"appreciation": ["I am kind."]})
    agree_to(client, pid)
    app.test_client().post(make_link(client, pid), data=ANN)
    [cid] = waiting_ids(app, pid)
    accepted = accept(client, pid, cid, ANN["answer_appreciation"])
    assert accepted.status_code in (302, 303)
    next_year = str(date.today().year + 1)
    reviewed = client.post(
        f"/reviews/{pid}",
        data={"note": "Still right.", "next_due-day": "1", "next_due-month": "3",
              "next_due-year": next_year},
    )  # fmt: skip
    assert reviewed.status_code in (302, 303)
    whats = [what for _, what, _ in revisions(app, pid)]
    assert whats[-3:] == ["Agreed", "Accepted a contribution", "Reviewed"]
    page = client.get(f"/profiles/{pid}/history").get_data(as_text=True)
    assert "From Ann Smith (daughter)" in page
    assert "Still right." in page


def accepted_contribution(app, client, pid) -> None:
    """Ann's appreciation, sent through an invitation and accepted into the profile."""
    from .test_contributions import ANN, accept, make_link, waiting_ids

    app.test_client().post(make_link(client, pid), data=ANN)
    [cid] = waiting_ids(app, pid)
    accepted = accept(client, pid, cid, ANN["answer_appreciation"])
    assert accepted.status_code in (302, 303)


def test_undo_puts_back_a_contributed_statement_still_credited_to_its_contributor(
    app, client, create_profile
):
    from .test_contributions import statements_of

    pid = create_profile(statements={"appreciation": ["I am kind."]})
    accepted_contribution(app, client, pid)
    credited = ("Mum makes everyone laugh at Sunday lunch.", "Ann Smith (daughter)")
    assert statements_of(app, pid, "appreciation") == [("I am kind.", None), credited]
    data, ids = existing(app, pid, "appreciation")
    with inspecting(app):
        uid = db.session.get(Profile, pid).section("appreciation").statements[1].uid
        version = db.session.get(Profile, pid).version
    client.post(f"/profiles/{pid}/steps/appreciation", data={**data, "action": f"remove:{ids[1]}"})
    assert statements_of(app, pid, "appreciation") == [("I am kind.", None)]

    data, _ = existing(app, pid, "appreciation")
    response = client.post(
        f"/profiles/{pid}/steps/appreciation",
        data={**data, "action": f"undo:{uid}:{version}"},
        follow_redirects=True,
    )
    assert "Statement put back." in response.get_data(as_text=True)
    assert statements_of(app, pid, "appreciation") == [("I am kind.", None), credited]


def test_restoring_a_version_keeps_who_contributed_each_statement(app, client, create_profile):
    from .test_contributions import statements_of

    pid = create_profile(statements={"appreciation": ["I am kind."]})
    accepted_contribution(app, client, pid)
    with inspecting(app):
        with_it = db.session.get(Profile, pid).version
    assert document(app, pid, with_it)["sections"][0]["by"] == [None, "Ann Smith (daughter)"]
    # A version without any contribution keeps no list of them.
    assert "by" not in document(app, pid, 1)["sections"][0]
    data, ids = existing(app, pid, "appreciation")
    client.post(f"/profiles/{pid}/steps/appreciation", data={**data, "action": f"remove:{ids[1]}"})

    response = client.post(f"/profiles/{pid}/history/{with_it}/restore", follow_redirects=True)
    assert f"Version {with_it} is restored" in response.get_data(as_text=True)
    assert statements_of(app, pid, "appreciation") == [
        ("I am kind.", None),
        ("Mum makes everyone laugh at Sunday lunch.", "Ann Smith (daughter)"),
    ]


def test_a_version_kept_before_credits_were_restores_and_puts_back_as_before(
    app, client, create_profile
):
    from .test_contributions import statements_of

    pid = create_profile(statements={"appreciation": ["I am kind.", "I sing."]})
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        profile.section("appreciation").statements[0].contributed_by = "Ann Smith (daughter)"
        db.session.commit()
    data, ids = existing(app, pid, "appreciation")
    client.post(f"/profiles/{pid}/steps/appreciation", data={**data, "action": f"remove:{ids[1]}"})
    # Version 1 was kept without any "by": the statement still there keeps its credit,
    # the one put back by restoring has none.
    client.post(f"/profiles/{pid}/history/1/restore")
    assert statements_of(app, pid, "appreciation") == [
        ("I am kind.", "Ann Smith (daughter)"),
        ("I sing.", None),
    ]


def test_the_restore_preview_lists_only_what_a_restore_brings_back(app, client, create_profile):
    from .test_reviews import review_date

    pid = create_profile(statements={"support": ["Knock first."]})
    data, _ = existing(app, pid, "support")
    client.post(f"/profiles/{pid}/steps/support", data={**data, "answer_0": "Tea."})
    next_year = str(date.today().year + 1)
    client.post(
        f"/profiles/{pid}/steps/review",
        data=review_date("1", "6", next_year, design="columns", paper="Letter"),
    )
    page = client.get(f"/profiles/{pid}/history/1/restore").get_data(as_text=True)
    assert "The design, paper, review date and agreement stay as they are now" in page
    assert "Removed</strong> <del>Tea.</del>" in page
    for kept in ("Design", "columns", "Paper", "US Letter", "Review date"):
        assert f'<th scope="row">{kept}</th>' not in page and f"Now: {kept}" not in page
    client.post(f"/profiles/{pid}/history/1/restore")
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        assert (profile.design, profile.paper) == ("columns", "Letter")


def test_remove_and_undo_land_on_the_words_that_say_so_just_under_written_so_far(
    app, client, create_profile
):
    pid = create_profile(statements={"support": ["Knock first.", "Speak slowly."]})
    data, ids = existing(app, pid, "support")
    with inspecting(app):
        uid = db.session.get(Profile, pid).section("support").statements[0].uid
    removed = client.post(
        f"/profiles/{pid}/steps/support", data={**data, "action": f"remove:{ids[0]}"}
    )
    assert removed.headers["Location"].endswith("/steps/support#undo")
    page = client.get(removed.headers["Location"]).get_data(as_text=True)
    heading, banner = page.index('id="statements"'), page.index('id="undo"')
    assert (
        heading < banner < page.index("Statement removed.") < page.index('<ol class="statements"')
    )

    data, _ = existing(app, pid, "support")
    undone = client.post(f"/profiles/{pid}/steps/support", data={**data, "action": f"undo:{uid}:1"})
    assert undone.headers["Location"].endswith("/steps/support#undo")
    page = client.get(undone.headers["Location"]).get_data(as_text=True)
    assert page.count("Statement put back.") == 1
    assert (
        page.index('id="statements"') < page.index('id="undo"') < page.index("Statement put back.")
    )
    assert "Undo" not in page
    # Said once: the page shown again later says nothing of it.
    later = client.get(f"/profiles/{pid}/steps/support").get_data(as_text=True)
    assert "Statement put back." not in later


def test_history_names_designs_and_paper_as_people_chose_them_not_by_their_ids(
    app, client, create_profile
):
    from .test_reviews import review_date

    pid = create_profile(statements={"support": ["Knock first."]})
    next_year = str(date.today().year + 1)
    client.post(
        f"/profiles/{pid}/steps/review",
        data=review_date("1", "6", next_year, design="easy-read", paper="A5"),
    )
    page = client.get(f"/profiles/{pid}/history?older=1&newer=2").get_data(as_text=True)
    changes = page.split("Changes from")[1].split("<h2>Versions</h2>")[0]
    assert "Was: Classic<br>Now: Easy read" in changes
    assert "Was: A4 (UK)<br>Now: A5 (half of A4, for a bedside frame)" in changes
    assert "easy-read" not in changes and "classic" not in changes


def test_each_version_in_the_drop_downs_says_when_who_and_what_so_two_in_a_minute_differ(
    app, client, create_profile
):
    import re

    pid = create_profile(statements={"support": ["Knock first.", "Speak slowly."]})
    data, ids = existing(app, pid, "support")
    client.post(f"/profiles/{pid}/steps/support", data={**data, "action": f"remove:{ids[1]}"})
    page = client.get(f"/profiles/{pid}/history").get_data(as_text=True)
    older = page.split('name="older"')[1].split("</select>")[0]
    options = re.findall(r"<option[^>]*>([^<]*)</option>", older)
    assert len(options) == 2 and len(set(options)) == 2
    assert re.match(
        r"Version 2: \d{1,2} \w+ \d{4} at \d{1,2}:\d\d[ap]m, Sam Keyworker, ", options[0]
    )
    assert options[1].startswith("Version 1: ") and "Created" in options[1]
