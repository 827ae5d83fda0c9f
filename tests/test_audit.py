"""The audit trail: every view, change, print, export, import and deletion is recorded,
and an organisation's administrators can read it, filter it and download it."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from profiles.extensions import db
from profiles.models import AuditEvent, Profile

from .conftest import EXAMPLES, inspecting, sign_in_as
from .test_transfer import upload
from .test_wizard import existing


def events(app) -> list[tuple[str, int | None, int]]:
    """Every recorded event, oldest first, as (action, user id, profile id)."""
    with inspecting(app):
        query = select(AuditEvent).order_by(AuditEvent.id)
        return [(e.action, e.user_id, e.profile_id) for e in db.session.scalars(query)]


def add_event(app, organisation_id, action, profile_id, user_id=None, at=None):
    """An event written straight to the database, at a chosen time."""
    with inspecting(app):
        event = AuditEvent(
            organisation_id=organisation_id, user_id=user_id, profile_id=profile_id, action=action
        )
        if at is not None:
            event.at = at
        db.session.add(event)
        db.session.commit()


def rows(page: str) -> int:
    """How many entries a page of the audit log shows (the header row is not one)."""
    return page.count("</tr>") - 1


def test_starting_a_profile_records_who_created_it(app, client, account):
    response = client.post("/profiles/new", data={"kind": "adult", "name": "Margaret Jones"})
    pid = int(response.headers["Location"].split("/")[2])
    assert events(app) == [("created", account[1], pid)]


def test_a_save_that_changes_content_is_recorded_and_one_that_does_not_is_not(
    app, client, create_profile, account
):
    pid = create_profile(statements={"support": ["Knock first."]})
    data, _ = existing(app, pid, "support")
    client.post(f"/profiles/{pid}/steps/support", data={**data, "action": "save"})
    client.post(f"/profiles/{pid}/steps/support", data={**data, "action": "next"})
    assert events(app) == []
    client.post(f"/profiles/{pid}/steps/support", data={**data, "answer_0": "Say who you are."})
    assert events(app) == [("changed", account[1], pid)]
    # A save refused because someone saved first changes nothing, so records nothing.
    stale = {"name": "Peggy Jones", "language": "en", "version": "1", "action": "next"}
    assert client.post(f"/profiles/{pid}/steps/about", data=stale).status_code == 409
    assert events(app) == [("changed", account[1], pid)]
    # A section's page from before that save is merged with it, and recorded.
    merged = {**data, "version": "1", "answer_0": "Speak slowly."}
    assert client.post(f"/profiles/{pid}/steps/support", data=merged).status_code == 302
    assert events(app) == [("changed", account[1], pid)] * 2


def test_opening_a_step_or_the_preview_records_a_view_but_a_redirect_does_not(
    app, client, create_profile, account
):
    pid = create_profile()
    assert client.get(f"/profiles/{pid}").status_code == 302
    assert events(app) == []
    assert client.get(f"/profiles/{pid}/steps/about").status_code == 200
    assert client.get(f"/profiles/{pid}/preview").status_code == 200
    assert events(app) == [("viewed", account[1], pid)] * 2


def test_printing_on_the_web_and_the_command_line_is_recorded(
    app, client, runner, create_profile, account, tmp_path
):
    pid = create_profile(statements={"support": ["Knock first."]})
    assert client.get(f"/profiles/{pid}/profile.pdf").status_code == 200
    result = runner.invoke(args=["render", str(pid), "-o", str(tmp_path / "p.pdf")])
    assert result.exit_code == 0, result.output
    assert events(app) == [("printed", account[1], pid), ("printed", None, pid)]


def test_exporting_on_the_web_and_the_command_line_is_recorded(
    app, client, runner, create_profile, account
):
    pid = create_profile()
    assert client.get(f"/profiles/{pid}/export.json").status_code == 200
    assert runner.invoke(args=["export", str(pid)]).exit_code == 0
    assert events(app) == [("exported", account[1], pid), ("exported", None, pid)]


def test_importing_on_the_web_and_the_command_line_is_recorded(app, client, runner, account):
    adult = (EXAMPLES / "adult.json").read_bytes()
    assert upload(client, ("adult.json", adult)).status_code == 302
    result = runner.invoke(args=["import", str(EXAMPLES / "team.json")])
    assert result.exit_code == 0, result.output
    with inspecting(app):
        first, second = db.session.scalars(select(Profile.id).order_by(Profile.id))
    assert events(app) == [("imported", account[1], first), ("imported", None, second)]


def test_an_import_whose_event_cannot_be_recorded_leaves_no_profile(
    app, client, account, monkeypatch
):
    def refuse(*args, **kwargs):
        raise RuntimeError("the audit trail cannot be written")

    monkeypatch.setattr("profiles.transfer.importer.record", refuse)
    adult = (EXAMPLES / "adult.json").read_bytes()
    with pytest.raises(RuntimeError):
        upload(client, ("adult.json", adult))
    with inspecting(app):
        assert db.session.scalars(select(Profile.id)).all() == []
    assert events(app) == []


def test_a_deletion_is_recorded_and_outlives_the_profile_without_its_name(
    app, client, create_profile, account
):
    pid = create_profile(name="Tom Evans")
    client.get(f"/profiles/{pid}/steps/about")
    response = client.post(f"/profiles/{pid}/delete", data={"confirm": "Tom Evans"})
    assert response.status_code == 302
    with inspecting(app):
        assert db.session.get(Profile, pid) is None
    assert events(app) == [("viewed", account[1], pid), ("deleted", account[1], pid)]
    page = client.get("/audit").get_data(as_text=True)
    assert f"Id {pid}, since deleted" in page
    assert "Tom Evans" not in page


def test_the_log_lists_newest_first_with_who_and_which_profile(
    app, client, create_profile, account
):
    org, sam = account
    pid = create_profile(name="Margaret Jones")
    # Later than the profile was made, as every event about it is.
    add_event(app, org, "viewed", pid, sam, at=datetime(2030, 3, 1, 9, 5, tzinfo=UTC))
    add_event(app, org, "printed", pid, None, at=datetime(2030, 3, 2, 14, 30, tzinfo=UTC))
    page = client.get("/audit").get_data(as_text=True)
    assert rows(page) == 2
    printed, viewed = page.index("Printed"), page.index("Viewed")
    assert printed < viewed
    assert "2 March 2030 at 2:30pm" in page and "1 March 2030 at 9:05am" in page
    assert "Command line" in page and "Sam Keyworker" in page
    assert f"Margaret Jones</a> (id {pid})" in page


def test_an_entry_older_than_a_profile_with_the_same_id_does_not_name_it(
    app, client, create_profile, account
):
    # SQLite may give a new profile the id of one deleted before it.
    pid = create_profile(name="Margaret Jones")
    add_event(app, account[0], "deleted", pid, account[1], at=datetime(2020, 1, 1, tzinfo=UTC))
    page = client.get("/audit").get_data(as_text=True)
    assert f"Id {pid}, since deleted" in page and "Margaret Jones" not in page


def test_the_log_filters_by_person_profile_and_dates(app, client, create_account, account):
    org, sam = account
    _, jo = create_account(email="jo@riverside.example", role="staff", name="Jo Carer")
    add_event(app, org, "viewed", 1, sam, at=datetime(2026, 3, 1, 12, tzinfo=UTC))
    add_event(app, org, "changed", 2, jo, at=datetime(2026, 3, 5, 12, tzinfo=UTC))
    # Half past eleven at night on 31 March in UTC is already 1 April in British Summer Time.
    add_event(app, org, "printed", 2, jo, at=datetime(2026, 3, 31, 23, 30, tzinfo=UTC))

    page = client.get(f"/audit?person={jo}").get_data(as_text=True)
    assert rows(page) == 2 and "Viewed" not in page
    page = client.get("/audit?profile=1").get_data(as_text=True)
    assert rows(page) == 1 and "Viewed" in page
    page = client.get("/audit?since=02/03/2026&until=31/03/2026").get_data(as_text=True)
    assert rows(page) == 1 and "Changed" in page
    page = client.get("/audit?since=1/4/2026").get_data(as_text=True)
    assert rows(page) == 1 and "Printed" in page
    page = client.get(f"/audit?person={sam}&profile=2").get_data(as_text=True)
    assert "No entries match these filters" in page


def test_filters_that_make_no_sense_say_what_to_fix(client):
    response = client.get("/audit?profile=twelve&since=31/02/2026")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter the profile id as a whole number, such as 12" in page
    assert "Enter the first date as day, month and year" in page
    page = client.get("/audit?since=05/03/2026&until=01/03/2026").get_data(as_text=True)
    assert "The last date is before the first date" in page
    assert client.get("/audit?profile=99999999999").status_code == 400
    assert client.get("/audit?person=12345").status_code == 400


def test_the_log_shows_fifty_entries_a_page(app, client, account):
    org, sam = account
    for minute in range(51):
        add_event(app, org, "viewed", 7, sam, at=datetime(2026, 3, 1, 9, minute, tzinfo=UTC))
    page = client.get("/audit?profile=7").get_data(as_text=True)
    assert rows(page) == 50 and "Page 1 of 2" in page and "9:50am" in page
    assert 'href="/audit?page=2&amp;profile=7"' in page
    page = client.get("/audit?page=2&profile=7").get_data(as_text=True)
    assert rows(page) == 1 and "9:00am" in page
    assert "There are no entries on page 9" in client.get("/audit?page=9").get_data(as_text=True)


def test_the_csv_has_times_in_utc_ids_and_names_with_the_same_filters(
    app, client, create_account, account
):
    org, sam = account
    _, eve = create_account(email="eve@riverside.example", role="staff", name="=cmd()")
    add_event(app, org, "viewed", 3, sam, at=datetime(2026, 7, 1, 9, 5, tzinfo=UTC))
    add_event(app, org, "exported", 4, eve, at=datetime(2026, 7, 2, 10, 0, tzinfo=UTC))
    add_event(app, org, "printed", 4, None, at=datetime(2026, 7, 3, 11, 0, tzinfo=UTC))
    response = client.get("/audit/events.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    assert list(csv.reader(io.StringIO(response.get_data(as_text=True)))) == [
        ["time", "person id", "person name", "action", "profile id"],
        ["2026-07-03T11:00:00+00:00", "", "Command line", "printed", "4"],
        # A name a spreadsheet would run as a formula is kept as text.
        ["2026-07-02T10:00:00+00:00", str(eve), "'=cmd()", "exported", "4"],
        ["2026-07-01T09:05:00+00:00", str(sam), "Sam Keyworker", "viewed", "3"],
    ]
    filtered = client.get("/audit/events.csv?profile=3").get_data(as_text=True)
    assert filtered.splitlines()[1:] == [f"2026-07-01T09:05:00+00:00,{sam},Sam Keyworker,viewed,3"]
    page = client.get("/audit?profile=3").get_data(as_text=True)
    assert 'href="/audit/events.csv?profile=3"' in page


def test_staff_cannot_see_the_log(app, client, create_account):
    _, jo = create_account(email="jo@riverside.example", role="staff", name="Jo Carer")
    staff = app.test_client()
    sign_in_as(staff, jo)
    for path in ("/audit", "/audit/events.csv"):
        response = staff.get(path)
        assert response.status_code == 403
        assert "Sam Keyworker" not in response.get_data(as_text=True)
    assert 'href="/audit"' not in staff.get("/").get_data(as_text=True)
    assert 'href="/audit"' in client.get("/").get_data(as_text=True)


def test_an_organisation_sees_only_its_own_events(app, client, create_account, account):
    other, ffion = create_account(
        email="ffion@bryn.example", slug="bryn-home-care", name="Ffion Other"
    )
    add_event(app, account[0], "viewed", 1, account[1])
    add_event(app, other, "deleted", 2, ffion)
    page = client.get("/audit").get_data(as_text=True)
    assert rows(page) == 1 and "Deleted" not in page and "Ffion" not in page
    assert client.get(f"/audit?person={ffion}").status_code == 400
    assert "No entries match" in client.get("/audit?profile=2").get_data(as_text=True)
    csv_text = client.get("/audit/events.csv").get_data(as_text=True)
    assert len(csv_text.splitlines()) == 2 and "deleted" not in csv_text
    theirs = app.test_client()
    sign_in_as(theirs, ffion)
    page = theirs.get("/audit").get_data(as_text=True)
    assert rows(page) == 1 and "Deleted" in page and "Sam" not in page


def test_nothing_in_the_app_can_change_or_delete_an_entry(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/audit")]
    assert {rule.endpoint for rule in rules} == {"audit.index", "audit.download"}
    for rule in rules:
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule
