"""Printing many: a group's booklet through the background job, its progress, what it
leaves out and why, blank backs, cancelling, a job whose worker died, RQ and the command."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, update

from profiles.batch.booklet import Booklet
from profiles.batch.runner import run_job
from profiles.extensions import db
from profiles.models import AuditEvent, Group, PrintJob, group_member, utcnow

from .conftest import build_app, empty_redis, inspecting, sign_in_as
from .test_printing import SUPPORT, TOO_MUCH

REDIS_TEST_URL = "redis://127.0.0.1:6379/12"  # sessions use 14, rate limits 15
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def rowan_unit(app, create_profile):
    """A group of four, made out of name order: two that print, one too long for a page
    and one with nothing written yet; and someone not in it."""
    people = {
        "Dan Evans": create_profile(name="Dan Evans", statements={"support": SUPPORT}),
        "Ben Carter": create_profile(name="Ben Carter", statements={"support": TOO_MUCH}),
        "Ada Brown": create_profile(name="Ada Brown", statements={"support": SUPPORT}),
        "Cara Davies": create_profile(name="Cara Davies"),
    }
    create_profile(name="Not In It", statements={"support": SUPPORT})
    group_id = make_group(app, "Rowan unit", people.values())
    return group_id, people


def make_group(app, name, profile_ids) -> int:
    with inspecting(app):
        from profiles.models import Organisation

        organisation_id = db.session.scalar(select(Organisation.id).limit(1))
        group = Group(organisation_id=organisation_id, name=name)
        db.session.add(group)
        db.session.flush()
        for profile_id in profile_ids:
            db.session.execute(
                group_member.insert().values(group_id=group.id, profile_id=profile_id)
            )
        db.session.commit()
        return group.id


def start(client, group_id, **fields) -> int:
    response = client.post(
        "/print-many", data={"choice": f"group-{group_id}", "paper": "A4", **fields}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def wait_for(client, job_id, seconds=90) -> dict:
    """Follow the job as the progress page does, until it finishes."""
    seen = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        progress = client.get(f"/print-many/{job_id}/progress.json").get_json()
        seen.append(progress["done"])
        if progress["finished"]:
            assert seen == sorted(seen)  # it only ever goes forward
            for thread in threading.enumerate():  # and its thread has let go of the database
                if thread.name.startswith("print-job-"):
                    thread.join(10)
            return progress
        time.sleep(0.2)
    raise AssertionError(f"the print job did not finish in {seconds} seconds: {seen}")


def title_of(state: str) -> str:
    """The page title of the Rowan unit's print run: its state first, as a tab shows it."""
    return f"<title>{state} \N{EN DASH} Group: Rowan unit \N{EN DASH} One-Page Profiles</title>"


def pages_of(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def printed_events(app) -> list[int]:
    with inspecting(app):
        query = select(AuditEvent.profile_id).where(AuditEvent.action == "printed")
        return sorted(db.session.scalars(query))


def test_a_group_prints_as_one_booklet_in_name_order_and_names_what_it_left_out(
    app, client, rowan_unit
):
    group_id, people = rowan_unit
    chooser = client.get("/print-many").get_data(as_text=True)
    assert "Group: Rowan unit (4 profiles)" in chooser and "All residents" in chooser
    job_id = start(client, group_id)
    assert wait_for(client, job_id) == {
        "state": "done", "label": "Finished", "done": 4, "total": 4, "finished": True,
        "text": "4 of 4",
    }  # fmt: skip

    page = client.get(f"/print-many/{job_id}").get_data(as_text=True)
    assert "Printing: Group: Rowan unit" in page
    # The title and a message of its own, read out when the page comes back, say it ended.
    assert title_of("Finished") in page
    assert re.search(r'role="status" tabindex="-1" data-job-ended>\s*<h2[^>]*>Finished</h2>', page)
    assert 'max="4" value="4"' in page and "4 of 4" in page
    assert "2 of 4 profiles printed, one page each" in page and "Download the PDF" in page
    # Not all printed: the end is a warning, and says what to do about the rest.
    assert 'class="banner banner--warning" role="status"' in page
    assert "2 could not be printed: see why below, change them" in page
    assert "Not printed (2)" in page
    assert (
        "Ben Carter</a>\n        does not fit on one page: shorten How best to support me by about"
        in page
    )
    assert "Cara Davies</a>\n        has no statements yet." in page

    response = client.get(f"/print-many/{job_id}/booklet.pdf")
    assert response.mimetype == "application/pdf"
    assert "Group Rowan unit - profiles.pdf" in response.headers["Content-Disposition"]
    pages = pages_of(response.data)
    assert len(pages) == 2
    assert "Ada Brown" in pages[0] and "Dan Evans" in pages[1]
    # Each download leaves the app on paper: the people in it are recorded as printed.
    assert printed_events(app) == sorted([people["Ada Brown"], people["Dan Evans"]])
    listing = client.get("/print-many").get_data(as_text=True)
    assert "Recent print runs" in listing and "<td>4 of 4</td>" in listing


def test_blank_backs_put_an_empty_page_behind_each_profile_and_a_repeat_uses_the_cache(
    app, client, create_profile, monkeypatch
):
    monkeypatch.setattr(Booklet, "CHUNK", 1)  # each page written out on its own, then joined
    ids = [create_profile(name=n, statements={"support": SUPPORT}) for n in ("Zed Ward", "Amy Ng")]
    group_id = make_group(app, "Birch unit", ids)
    first = start(client, group_id, blank_backs="y")
    wait_for(client, first)
    pages = pages_of(client.get(f"/print-many/{first}/booklet.pdf").data)
    assert len(pages) == 4
    assert "Amy Ng" in pages[0] and pages[1] == "" and "Zed Ward" in pages[2] and pages[3] == ""

    # Unchanged profiles come back from the print cache, the same pages again.
    with inspecting(app):
        from profiles.models import RenderResult

        kept = db.session.scalar(select(func.count()).select_from(RenderResult))
    again = start(client, group_id, paper="A4")
    wait_for(client, again)
    assert len(pages_of(client.get(f"/print-many/{again}/booklet.pdf").data)) == 2
    with inspecting(app):
        assert db.session.scalar(select(func.count()).select_from(RenderResult)) == kept == 2


def test_nothing_to_print_and_a_choice_not_offered_are_refused_with_a_way_on(
    app, client, create_profile
):
    empty = make_group(app, "Empty unit", [])
    response = client.post("/print-many", data={"choice": f"group-{empty}", "paper": "A4"})
    assert response.status_code == 400  # an empty group is not offered
    response = client.post("/print-many", data={"choice": "staff", "paper": "A4"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There are no profiles to print in All staff: a “meet the team” booklet." in page
    assert "Choose something else." in page and "add profiles to the group" not in page
    response = client.post("/print-many", data={"choice": "residents", "paper": "A3"})
    assert response.status_code == 400 and "Choose A4, Letter or A5" in response.get_data(
        as_text=True
    )
    with inspecting(app):
        assert db.session.scalar(select(func.count(PrintJob.id))) == 0


def test_staff_may_not_print_many(app, create_account):
    _, user_id = create_account(email="kim@riverside.example", role="staff", name="Kim")
    client = app.test_client()
    sign_in_as(client, user_id)
    assert client.get("/print-many").status_code == 403
    assert client.get("/groups").status_code == 200  # but may keep groups


def test_cancelling_stops_the_job_between_profiles_and_keeps_nothing(
    app, client, rowan_unit, monkeypatch
):
    import profiles.batch.runner as runner

    group_id, _ = rowan_unit
    monkeypatch.setattr("profiles.batch.jobs.start", lambda job_id: None)  # run it by hand
    job_id = start(client, group_id)
    page = client.get(f"/print-many/{job_id}").get_data(as_text=True)
    assert title_of("Waiting to start") in page
    # Not yet waiting long for a worker: the page keeps that for when it is.
    assert "<p data-job-waiting hidden>This print run is waiting for a print worker" in page
    # What a screen reader is told changes only now and then, not with every check.
    assert '<p class="visually-hidden" role="status" data-job-progress-said></p>' in page
    assert page.count('role="status"') == 1
    written = []
    page_or_reason = runner.page_or_reason

    def then_cancel(pending, booklet):
        written.append(pending.profile_id)
        if len(written) == 1:  # someone presses Cancel while the first page is done
            assert client.post(f"/print-many/{job_id}/cancel").status_code == 302
        return page_or_reason(pending, booklet)

    monkeypatch.setattr(runner, "page_or_reason", then_cancel)
    with app.app_context():
        run_job(job_id)
    assert len(written) == 1
    page = client.get(f"/print-many/{job_id}").get_data(as_text=True)
    assert "Cancelled" in page and "were discarded" in page and "Download the PDF" not in page
    assert client.get(f"/print-many/{job_id}/booklet.pdf").status_code == 404
    with inspecting(app):
        job = db.session.get(PrintJob, job_id)
        assert (job.state, job.done, job.pdf) == ("cancelled", 0, None)
    # Cancelling a finished job changes nothing.
    response = client.post(f"/print-many/{job_id}/cancel", follow_redirects=True)
    assert "nothing to cancel" in response.get_data(as_text=True)


def test_a_job_whose_worker_died_shows_as_stopped_and_retry_prints_it(
    app, client, rowan_unit, monkeypatch
):
    group_id, _ = rowan_unit
    monkeypatch.setattr("profiles.batch.jobs.start", lambda job_id: None)
    job_id = start(client, group_id)
    with inspecting(app):  # a worker took it
        db.session.execute(update(PrintJob).values(state="running", done=1, heartbeat=utcnow()))
        db.session.commit()
    page = client.get(f"/print-many/{job_id}").get_data(as_text=True)
    assert title_of("Printing 1 of 4") in page
    assert "data-job-ended" not in page
    with inspecting(app):  # then was killed mid-way
        db.session.execute(update(PrintJob).values(heartbeat=utcnow() - timedelta(minutes=2)))
        db.session.commit()
    page = client.get(f"/print-many/{job_id}").get_data(as_text=True)
    assert title_of("Stopped before it finished") in page
    assert "Stopped before it finished" in page and ">Retry</button>" in page
    assert "Cancel printing" not in page
    assert client.get(f"/print-many/{job_id}/progress.json").get_json()["state"] == "failed"

    monkeypatch.undo()
    response = client.post(f"/print-many/{job_id}/retry")
    assert response.status_code == 302
    again = int(response.headers["Location"].rsplit("/", 1)[1])
    assert again != job_id
    assert wait_for(client, again)["state"] == "done"
    assert len(pages_of(client.get(f"/print-many/{again}/booklet.pdf").data)) == 2
    with inspecting(app):
        assert db.session.get(PrintJob, job_id).state == "retried"
    # The stopped run says where it went, and a second Retry starts nothing more.
    page = client.get(f"/print-many/{job_id}").get_data(as_text=True)
    assert "started again in a new print run" in page and ">Retry</button>" not in page
    response = client.post(f"/print-many/{job_id}/retry", follow_redirects=True)
    assert "already started again" in response.get_data(as_text=True)
    with inspecting(app):
        assert db.session.scalar(select(func.count()).select_from(PrintJob)) == 2
    # A job still working is not started again.
    assert "has not stopped" in client.post(
        f"/print-many/{again}/retry", follow_redirects=True
    ).get_data(as_text=True)


def test_a_job_through_redis_is_printed_by_a_worker_process(
    database_url, account, create_profile, monkeypatch
):
    with empty_redis(REDIS_TEST_URL):
        app = build_app(database_url, REDIS_URL=REDIS_TEST_URL)
        ids = [create_profile(name=n, statements={"support": SUPPORT}) for n in ("Bo Li", "Al Fox")]
        group_id = make_group(app, "Oak unit", ids)
        client = app.test_client()
        sign_in_as(client, account[1])
        job_id = start(client, group_id, paper="Letter")
        time.sleep(0.3)
        assert client.get(f"/print-many/{job_id}/progress.json").get_json()["state"] == "queued"
        worker = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "profiles", "worker", "--burst"],
            cwd=ROOT, capture_output=True, text=True, timeout=180,
            env={**os.environ, "PROFILES_DATABASE_URL": database_url,
                 "PROFILES_REDIS_URL": REDIS_TEST_URL, "PROFILES_SECRET_KEY": "test secret"},
        )  # fmt: skip
        assert worker.returncode == 0, worker.stderr
        progress = client.get(f"/print-many/{job_id}/progress.json").get_json()
        assert (progress["state"], progress["done"], progress["total"]) == ("done", 2, 2)
        reader = PdfReader(io.BytesIO(client.get(f"/print-many/{job_id}/booklet.pdf").data))
        assert len(reader.pages) == 2 and "Al Fox" in reader.pages[0].extract_text()
        assert round(float(reader.pages[0].mediabox.width)) == 612  # Letter
        with inspecting(app):
            db.engine.dispose()


def test_the_worker_command_needs_redis(runner, monkeypatch):
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 1
    assert "PROFILES_REDIS_URL is not set" in result.stderr


def test_render_many_writes_the_booklet_and_exits_0_2_or_1(app, runner, rowan_unit, tmp_path):
    _, people = rowan_unit
    out = tmp_path / "rowan.pdf"
    result = runner.invoke(args=["render-many", "--group", "rowan UNIT", "-o", str(out)])
    assert result.exit_code == 2, result.output
    err = result.stderr
    assert "Printed 4 of 4" in err
    assert f"Left out: Ben Carter (profile {people['Ben Carter']}) does not fit on one page" in err
    assert f"Left out: Cara Davies (profile {people['Cara Davies']}) has no statements yet." in err
    assert "2 of 4 profiles were left out" in err
    pages = pages_of(out.read_bytes())
    assert len(pages) == 2 and "Ada Brown" in pages[0] and "Dan Evans" in pages[1]
    assert printed_events(app) == sorted([people["Ada Brown"], people["Dan Evans"]])

    everyone = tmp_path / "everyone.pdf"
    with inspecting(app):
        db.session.execute(group_member.delete().where(group_member.c.profile_id.in_(
            [people["Ben Carter"], people["Cara Davies"]])))  # fmt: skip
        db.session.commit()
    result = runner.invoke(args=["render-many", "--group", "Rowan unit", "-o", str(everyone),
                                 "--paper", "a5"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.stderr and "2 profiles, one page each" in result.stderr
    assert round(float(PdfReader(everyone).pages[0].mediabox.width)) == 420  # A5

    for args, message in [
        (["--group", "Larch unit"], "has no group called 'Larch unit'. Groups: Rowan unit."),
        (["--all", "--group", "Rowan unit"], "Say what to print"),
        ([], "Say what to print"),
        (["--all", "--paper", "A3"], "There is no paper called 'A3'"),
        (["--all", "--org", "elsewhere"], "There is no organisation 'elsewhere'"),
        (["--all", "--colour"], "No such option"),
    ]:
        nowhere = tmp_path / "nowhere.pdf"
        result = runner.invoke(args=["render-many", *args, "-o", str(nowhere)])
        assert result.exit_code == 1, (args, result.output)
        assert message in result.stderr, (args, result.stderr)
        assert not nowhere.exists()


def test_a_job_that_cannot_reach_redis_shows_as_stopped_with_a_retry(
    database_url, account, create_profile
):
    app = build_app(database_url, REDIS_URL="redis://127.0.0.1:1/0")
    group_id = make_group(app, "Ash unit", [create_profile(statements={"support": SUPPORT})])
    client = app.test_client()
    sign_in_as(client, account[1])
    job_id = start(client, group_id)
    page = client.get(f"/print-many/{job_id}").get_data(as_text=True)
    assert "Stopped before it finished" in page and ">Retry</button>" in page
    with inspecting(app):
        assert db.session.get(PrintJob, job_id).state == "failed"
    with inspecting(app):
        db.engine.dispose()


def test_a_page_past_the_time_limit_is_named_and_the_rest_still_print(app, client, create_profile):
    ids = [create_profile(name=n, statements={"support": SUPPORT}) for n in ("Al Fox", "Bo Li")]
    group_id = make_group(app, "Elm unit", ids)
    app.config["RENDER_TIMEOUT"] = 0.01  # no page lays out that fast
    job_id = start(client, group_id)
    assert wait_for(client, job_id)["state"] == "done"
    page = client.get(f"/print-many/{job_id}").get_data(as_text=True)
    assert "Not printed (2)" in page and page.count("took too long to print.") == 2
    assert "there is no PDF" in page
    app.config["RENDER_TIMEOUT"] = 20
    again = start(client, group_id)
    wait_for(client, again)
    assert len(pages_of(client.get(f"/print-many/{again}/booklet.pdf").data)) == 2


def test_render_many_exits_1_and_writes_nothing_when_no_profile_printed(
    app, runner, create_profile, tmp_path
):
    ids = [create_profile(name="Cara Davies"), create_profile(name="Ben Carter")]
    make_group(app, "Empty unit", ids)
    out = tmp_path / "empty.pdf"
    result = runner.invoke(args=["render-many", "--group", "Empty unit", "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "Left out: Ben Carter" in result.stderr and "Left out: Cara Davies" in result.stderr
    assert "No profile could be printed, so nothing was written." in result.stderr
    assert not out.exists()


def test_deleting_a_profile_deletes_the_booklets_that_hold_its_page(app, client, rowan_unit):
    group_id, people = rowan_unit
    job_id = start(client, group_id)
    assert wait_for(client, job_id)["state"] == "done"
    assert client.get(f"/print-many/{job_id}/booklet.pdf").status_code == 200
    response = client.post(f"/profiles/{people['Ada Brown']}/delete", data={"confirm": "Ada Brown"})
    assert response.status_code == 302
    # Her page must not be printed from an old booklet: the run is gone with her profile.
    assert client.get(f"/print-many/{job_id}/booklet.pdf").status_code == 404
    assert client.get(f"/print-many/{job_id}").status_code == 404
    with inspecting(app):
        assert db.session.get(PrintJob, job_id) is None
