"""Reviews due: the profiles to look at again with the person, for a scheduled job."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

TODAY = date.today()
YESTERDAY = TODAY - timedelta(days=1)


def test_reviews_due_lists_overdue_and_due_within_30_days_oldest_first(
    runner, create_profile, create_account
):
    overdue = create_profile(name="Ada  Brown", review_due=TODAY - timedelta(days=400))
    soon = create_profile(name="Ben Carter", review_due=TODAY + timedelta(days=30))
    today = create_profile(name="Cara Davies", review_due=TODAY)
    create_profile(name="Dan Evans", review_due=TODAY + timedelta(days=31))  # not yet
    create_profile(name="Eve Fox")  # no review date
    other_org, _ = create_account(email="ffion@bryn.example", slug="bryn-home-care")
    theirs = create_profile(
        name="Gwen Hughes", organisation_id=other_org, review_due=TODAY - timedelta(days=1)
    )

    result = runner.invoke(args=["reviews-due"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{overdue}\tAda Brown\t{TODAY - timedelta(days=400):%Y-%m-%d}",
        f"{theirs}\tGwen Hughes\t{TODAY - timedelta(days=1):%Y-%m-%d}",
        f"{today}\tCara Davies\t{TODAY:%Y-%m-%d}",
        f"{soon}\tBen Carter\t{TODAY + timedelta(days=30):%Y-%m-%d}",
    ]

    # One organisation's only, by its short name.
    result = runner.invoke(args=["reviews-due", "--org", "bryn-home-care"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{theirs}\tGwen Hughes\t{TODAY - timedelta(days=1):%Y-%m-%d}"
    ]


def test_reviews_due_prints_nothing_when_nothing_is_due(runner, create_profile):
    create_profile(name="Dan Evans", review_due=TODAY + timedelta(days=90))
    result = runner.invoke(args=["reviews-due"])
    assert (result.exit_code, result.output) == (0, "")


def test_reviews_due_names_an_unknown_organisation(runner, create_profile):
    result = runner.invoke(args=["reviews-due", "--org", "elsewhere"])
    assert result.exit_code == 1
    assert "There is no organisation 'elsewhere'" in result.output


# The review date on the check step: a GOV.UK date input, day, month and year.


def review_date(day="", month="", year="", **more) -> dict:
    return {
        "paper": "A4",
        "review_due-day": day,
        "review_due-month": month,
        "review_due-year": year,
        "action": "save",
        **more,
    }


def stored_review_date(app, pid):
    from profiles.extensions import db
    from profiles.models import Profile

    from .conftest import inspecting

    with inspecting(app):
        return db.session.get(Profile, pid).review_due


def test_the_review_date_is_asked_for_in_three_boxes_with_an_example(client, create_profile):
    pid = create_profile(review_due=date(2027, 3, 27))
    page = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    # The example is three months from today, so typing it is never refused as past.
    from profiles.kinds import months_after

    example = months_after(TODAY, 3)
    assert f"For example, {example.day} {example.month} {example.year}" in page
    typed = (str(example.day), str(example.month), str(example.year))
    response = client.post(f"/profiles/{pid}/steps/review", data=review_date(*typed))
    assert response.status_code == 302
    for part, value in (("day", "27"), ("month", "3"), ("year", "2027")):
        assert f'name="review_due-{part}"' in page
        assert f'name="review_due-{part}" type="text" inputmode="numeric"' in page
        assert f'value="{value}"' in page
    assert '<legend class="label">Review by</legend>' in page


@pytest.mark.parametrize(
    "typed, message",
    [
        (("27", "", "2027"), "Review date must include a month"),
        (("", "", "2027"), "Review date must include a day and month"),
        (("31", "2", "2027"), "Review date must be a real date"),
        (("27", "3", "27"), "Review date must be a real date"),
        (("27", "three", "2027"), "Review date must be a real date"),
        ((f"{YESTERDAY.day}", f"{YESTERDAY.month}", f"{YESTERDAY.year}"),
         "Review date must be today or in the future"),
    ],
)  # fmt: skip
def test_a_review_date_that_is_incomplete_unreal_or_past_is_refused_and_changes_nothing(
    app, client, create_profile, typed, message
):
    pid = create_profile(review_due=date(2027, 1, 1))
    response = client.post(f"/profiles/{pid}/steps/review", data=review_date(*typed))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    # Said at the top, linked to the first box, and beside the boxes.
    assert f'<li><a href="#review_due">{message}</a></li>' in page
    assert f'<span class="visually-hidden">Error:</span>\n      {message}</p>' in page
    assert stored_review_date(app, pid) == date(2027, 1, 1)


def test_a_review_date_today_or_later_is_saved_and_a_month_may_be_written_in_words(
    app, client, create_profile
):
    pid = create_profile()
    response = client.post(
        f"/profiles/{pid}/steps/review", data=review_date(str(TODAY.day), str(TODAY.month),
                                                          str(TODAY.year))
    )  # fmt: skip
    assert response.status_code == 302
    assert stored_review_date(app, pid) == TODAY
    client.post(f"/profiles/{pid}/steps/review", data=review_date("27", "Mar", "2031"))
    assert stored_review_date(app, pid) == date(2031, 3, 27)


def test_an_emptied_review_date_is_refused_so_no_profile_drops_off_the_reviews(
    app, client, create_profile
):
    past = date(2020, 1, 1)
    pid = create_profile(review_due=past)
    response = client.post(f"/profiles/{pid}/steps/review", data=review_date(paper="Letter"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert '<li><a href="#review_due">Enter the review date</a></li>' in page
    assert stored_review_date(app, pid) == past
    assert "Margaret Jones" in client.get("/reviews").get_data(as_text=True)
    # Left out of what is sent (another button's form, say), the date stays as it was.
    response = client.post(f"/profiles/{pid}/steps/review", data={"paper": "A4", "action": "save"})
    assert response.status_code == 302
    assert stored_review_date(app, pid) == past


def test_a_profile_without_a_review_date_is_offered_its_kinds_period_from_today(
    app, client, create_profile
):
    from profiles.kinds import months_after

    pid = create_profile(kind="hospital", review_due=None)
    page = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    due = months_after(TODAY, 6)
    for part, value in (("day", due.day), ("month", due.month), ("year", due.year)):
        box = f'name="review_due-{part}" type="text" inputmode="numeric" autocomplete="off"'
        assert f'{box} value="{value}"' in page


def test_a_past_date_already_saved_does_not_stop_the_check_step_saving(app, client, create_profile):
    """An overdue profile can still be printed and its choices changed: its date moves on
    when it is marked reviewed, or when someone types a new one."""
    past = date(2020, 1, 1)
    pid = create_profile(review_due=past, statements={"support": ["Knock first."]})
    page = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert 'value="2020"' in page
    response = client.post(
        f"/profiles/{pid}/steps/review", data=review_date("1", "1", "2020", paper="Letter")
    )
    assert response.status_code == 302
    assert stored_review_date(app, pid) == past
    # Sent without the date at all, the date stays as it was.
    client.post(f"/profiles/{pid}/steps/review", data={"paper": "A4", "action": "save"})
    assert stored_review_date(app, pid) == past
    # A different past date is still refused.
    response = client.post(f"/profiles/{pid}/steps/review", data=review_date("2", "1", "2020"))
    assert response.status_code == 400
    assert stored_review_date(app, pid) == past


@pytest.mark.parametrize("kind, months", [("adult", 12), ("staff", 12), ("hospital", 6)])
def test_a_new_profile_is_due_for_review_after_its_kinds_period(app, client, kind, months):
    from profiles.kinds import months_after

    response = client.post("/profiles/new", data={"kind": kind, "name": "Margaret Jones"})
    pid = int(response.headers["Location"].split("/")[2])
    assert stored_review_date(app, pid) == months_after(TODAY, months)


def test_months_after_keeps_to_the_end_of_a_shorter_month():
    from profiles.kinds import months_after

    assert months_after(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert months_after(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert months_after(date(2026, 11, 27), 12) == date(2027, 11, 27)


def test_an_imported_file_keeps_its_past_review_date_and_one_without_gets_the_period(app):
    import json

    from profiles.kinds import months_after
    from profiles.transfer.importer import import_files

    from .conftest import acting_for

    def doc(kind, **fields):
        return json.dumps(
            {"format": "one-page-profile", "version": 1, "kind": kind, "name": "Margaret Jones",
             "sections": [], **fields}
        ).encode()  # fmt: skip

    with acting_for(app):
        old, new = import_files(
            [("old.json", doc("adult", review_due="2020-01-01")), ("new.json", doc("hospital"))]
        )
    assert stored_review_date(app, old) == date(2020, 1, 1)
    assert stored_review_date(app, new) == months_after(TODAY, 6)


# The Reviews page, the list's tags, and marking a profile reviewed.


def names_in(page: str, heading: str, until: str) -> list[str]:
    """The profile names linked in the part of a page between two headings."""
    import re

    part = page.split(f"<h2>{heading}</h2>", 1)[1].split(until, 1)[0]
    return re.findall(r'/steps/review">([^<(]+?)(?: \(|</a>)', part)


def test_the_reviews_page_lists_exactly_the_overdue_then_the_due_as_the_command_does(
    client, runner, create_profile, create_account
):
    create_profile(name="Ada Brown", review_due=TODAY - timedelta(days=400))
    create_profile(name="Ben Carter", review_due=TODAY + timedelta(days=30))
    create_profile(name="Cara Davies", review_due=TODAY)
    create_profile(name="Dan Evans", review_due=TODAY + timedelta(days=31))  # not yet
    create_profile(name="Eve Fox", review_due=None)
    create_profile(name="Fay Green", review_due=YESTERDAY)
    other_org, _ = create_account(email="ffion@bryn.example", slug="bryn-home-care")
    create_profile(name="Gwen Hughes", organisation_id=other_org, review_due=YESTERDAY)

    response = client.get("/reviews")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert names_in(page, "Overdue", "<h2>") == ["Ada Brown", "Fay Green"]
    assert names_in(page, "Due in the next 30 days", "<h2>") == ["Cara Davies", "Ben Carter"]
    assert "Dan Evans" not in page and "Gwen Hughes" not in page
    # One with no review date is never due: listed on its own, so it is not forgotten.
    assert names_in(page, "No review date", "</main>") == ["Eve Fox"]
    assert "1 profile has no review date" in " ".join(page.split())
    # The navigation leads here, for any member of staff.
    assert '<a href="/reviews">Reviews</a>' in page

    command = runner.invoke(args=["reviews-due", "--org", "riverside-care-home"])
    listed = [line.split("\t")[1] for line in command.output.splitlines()]
    assert listed == ["Ada Brown", "Fay Green", "Cara Davies", "Ben Carter"]


def test_the_reviews_page_says_when_nothing_is_due(client, create_profile):
    create_profile(review_due=TODAY + timedelta(days=90))
    page = client.get("/reviews").get_data(as_text=True)
    assert "No profile is overdue for review." in page
    assert "No profile is due for review by" in page


def test_the_list_of_profiles_tags_reviews_due_and_overdue_in_words(client, create_profile):
    create_profile(name="Ada Brown", review_due=YESTERDAY)
    create_profile(name="Ben Carter", review_due=TODAY + timedelta(days=10))
    create_profile(name="Dan Evans", review_due=TODAY + timedelta(days=90))
    page = client.get("/").get_data(as_text=True)
    cards = {
        name: page.split(name, 1)[1].split("</li>", 1)[0]
        for name in ("Ada Brown", "Ben Carter", "Dan Evans")
    }
    assert '<span class="tag tag--overdue">Review overdue</span>' in cards["Ada Brown"]
    assert '<span class="tag tag--due">Review due</span>' in cards["Ben Carter"]
    assert "Review" not in cards["Dan Evans"].split("Last changed")[0]


def test_marking_a_profile_reviewed_records_who_and_moves_the_date_on(
    app, client, account, create_profile
):
    from profiles.extensions import db
    from profiles.models import AuditEvent, Profile, ProfileReview

    from .conftest import inspecting

    pid = create_profile(name="Ada Brown", kind="hospital", review_due=YESTERDAY)
    with inspecting(app):
        version = db.session.get(Profile, pid).version
    form = client.get(f"/reviews/{pid}").get_data(as_text=True)
    # The next date offered is the kind's period from today: six months for a passport.
    from profiles.kinds import months_after

    six = months_after(TODAY, 6)
    year = 'name="next_due-year" type="text" inputmode="numeric" autocomplete="off"'
    assert f'{year} value="{six.year}"' in form
    assert "Usually 6 months from today" in form
    example = months_after(TODAY, 3)
    assert f"For example, {example.day} {example.month} {example.year}" in form

    response = client.post(
        f"/reviews/{pid}",
        data={
            "took_part": "Ada and her son Tom",
            "note": "Still right; added that she now uses a frame.",
            "next_due-day": "27", "next_due-month": "3", "next_due-year": str(TODAY.year + 1),
        },
        follow_redirects=True,
    )  # fmt: skip
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (
        f"Review of Ada Brown recorded. The next review is due by 27 March {TODAY.year + 1}."
        in page
    )
    assert "No profile is overdue for review." in page
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        assert profile.review_due == date(TODAY.year + 1, 3, 27)
        assert profile.version == version + 1  # a new version, as every change is
        (review,) = db.session.scalars(db.select(ProfileReview)).all()
        assert (review.user_id, review.took_part, review.note) == (
            account[1], "Ada and her son Tom", "Still right; added that she now uses a frame."
        )  # fmt: skip
        actions = db.session.scalars(db.select(AuditEvent.action)).all()
        assert "changed" in actions
    # The check page says who reviewed it, when, and what they found.
    check = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert (
        f"{TODAY.day} {TODAY:%B %Y} by Sam Keyworker, with Ada and her son Tom: Still right; "
        "added that she now uses a frame."
    ) in check


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Enter the review date"),
        ({"next_due-day": str(YESTERDAY.day), "next_due-month": str(YESTERDAY.month),
          "next_due-year": str(YESTERDAY.year)}, "Review date must be today or in the future"),
        ({"next_due-day": "30", "next_due-month": "2", "next_due-year": "2030"},
         "Review date must be a real date"),
        ({"next_due-day": "1", "next_due-month": "1", "next_due-year": "2030", "note": "x" * 1001},
         "The note can be up to 1000 characters"),
    ],
)  # fmt: skip
def test_a_review_with_a_problem_is_refused_keeping_what_was_typed(
    app, client, create_profile, data, message
):
    from profiles.extensions import db
    from profiles.models import Profile, ProfileReview

    from .conftest import inspecting

    pid = create_profile(review_due=YESTERDAY)
    response = client.post(f"/reviews/{pid}", data={"took_part": "Ann", "note": "Checked.", **data})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and "There is a problem" in page
    assert 'value="Ann"' in page
    with inspecting(app):
        assert db.session.get(Profile, pid).review_due == YESTERDAY
        assert db.session.scalars(db.select(ProfileReview)).all() == []


def test_another_organisations_profile_cannot_be_marked_reviewed(
    app, client, create_profile, create_account
):
    from profiles.extensions import db
    from profiles.models import Profile

    from .conftest import inspecting

    other_org, _ = create_account(email="ffion@bryn.example", slug="bryn-home-care")
    theirs = create_profile(name="Gwen Hughes", organisation_id=other_org, review_due=YESTERDAY)
    assert client.get(f"/reviews/{theirs}").status_code == 404
    response = client.post(
        f"/reviews/{theirs}",
        data={"next_due-day": "1", "next_due-month": "1", "next_due-year": "2030"},
    )
    assert response.status_code == 404
    with inspecting(app):
        assert db.session.get(Profile, theirs).review_due == YESTERDAY


def test_deleting_a_profile_deletes_its_reviews(app, client, create_profile):
    from profiles.extensions import db
    from profiles.models import ProfileReview

    from .conftest import inspecting

    pid = create_profile(review_due=YESTERDAY)
    client.post(
        f"/reviews/{pid}",
        data={"next_due-day": "1", "next_due-month": "1", "next_due-year": "2030"},
    )
    with inspecting(app):
        assert len(db.session.scalars(db.select(ProfileReview)).all()) == 1
    response = client.post(f"/profiles/{pid}/delete", data={"confirm": "Margaret Jones"})
    assert response.status_code == 302
    with inspecting(app):
        assert db.session.scalars(db.select(ProfileReview)).all() == []


def test_everything_held_about_a_person_includes_their_reviews(client, create_profile):
    import csv
    import io
    import zipfile

    pid = create_profile(review_due=YESTERDAY)
    client.post(
        f"/reviews/{pid}",
        data={"took_part": "Margaret", "note": "Still right, she says.", "next_due-day": "1",
              "next_due-month": "1", "next_due-year": "2030"},
    )  # fmt: skip
    response = client.get(f"/profiles/{pid}/everything.zip")
    with zipfile.ZipFile(io.BytesIO(response.data)) as zipped:
        rows = list(csv.reader(io.StringIO(zipped.read("reviews.csv").decode())))
        assert "reviews.csv" in zipped.read("README.txt").decode()
    assert rows[0] == ["reviewed at", "reviewed by", "who took part", "note", "next review due"]
    assert rows[1][1:] == ["Sam Keyworker", "Margaret", "Still right, she says.", "2030-01-01"]


def test_the_check_page_saves_its_choices_then_goes_to_mark_the_profile_reviewed(
    app, client, create_profile
):
    from profiles.extensions import db
    from profiles.models import Profile

    from .conftest import inspecting

    pid = create_profile(review_due=date(2020, 1, 1), statements={"support": ["Knock first."]})
    page = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert "This profile's review is overdue: it was due by 1 January 2020." in page
    assert 'value="mark_reviewed">Save and mark reviewed</button>' in page
    response = client.post(
        f"/profiles/{pid}/steps/review",
        data=review_date("1", "1", "2020", paper="Letter", action="mark_reviewed"),
    )
    assert response.headers["Location"] == f"/reviews/{pid}?next=check"
    with inspecting(app):
        assert db.session.get(Profile, pid).paper == "Letter"
    # Marked reviewed, it goes back to the profile it was started from.
    form = client.get(f"/reviews/{pid}?next=check").get_data(as_text=True)
    assert f'<a href="/profiles/{pid}/steps/review">Back to the profile</a>' in form
    next_year = str(TODAY.year + 1)
    marked = client.post(
        f"/reviews/{pid}?next=check",
        data={"next_due-day": "1", "next_due-month": "3", "next_due-year": next_year},
    )
    assert marked.headers["Location"] == f"/profiles/{pid}/steps/review"
    page = client.get(marked.headers["Location"]).get_data(as_text=True)
    assert "Review of Margaret Jones recorded." in page


@pytest.mark.parametrize("next_page", ["", "https://example.com/", "//example.com", "index"])
def test_marking_reviewed_goes_back_only_to_a_page_it_knows(client, create_profile, next_page):
    pid = create_profile(review_due=YESTERDAY)
    form = client.get(f"/reviews/{pid}?next={next_page}").get_data(as_text=True)
    assert '<a href="/reviews">Back to reviews</a>' in form
    marked = client.post(
        f"/reviews/{pid}?next={next_page}",
        data={"next_due-day": "1", "next_due-month": "3", "next_due-year": str(TODAY.year + 1)},
    )
    assert marked.headers["Location"] == "/reviews"


@pytest.mark.parametrize("line, ok", [("review_months = 6\n", True), ("", False),
                                      ("review_months = 0\n", False),
                                      ('review_months = "12"\n', False)])  # fmt: skip
def test_every_kind_file_says_how_often_its_profiles_are_reviewed(tmp_path, line, ok):
    from profiles.kinds import KINDS_DIR, KindError, load_kinds

    adult = (KINDS_DIR / "adult.toml").read_text()
    adult = "".join(
        text for text in adult.splitlines(keepends=True) if not text.startswith("review_months")
    )
    (tmp_path / "adult.toml").write_text(line + adult)
    if ok:
        assert load_kinds(tmp_path)["adult"].review_months == 6
    else:
        with pytest.raises(KindError, match=r"adult\.toml: 'review_months' must be a whole"):
            load_kinds(tmp_path)


def test_a_review_meeting_another_save_in_the_same_instant_keeps_what_was_typed(
    app, client, create_profile, monkeypatch
):
    from sqlalchemy import update

    from profiles.extensions import db
    from profiles.models import Profile, ProfileReview
    from profiles.reviews import services

    from .conftest import inspecting

    pid = create_profile(review_due=YESTERDAY)
    real_touch = services.touch

    def someone_else_saves_first(profile, *args, **kwargs):
        # Another member of staff's save lands between reading the profile and writing it.
        with app.app_context(), db.engine.begin() as connection:
            table = Profile.__table__
            connection.execute(
                update(table).where(table.c.id == pid).values(version=table.c.version + 1)
            )
        real_touch(profile, *args, **kwargs)

    monkeypatch.setattr(services, "touch", someone_else_saves_first)
    sent = {
        "took_part": "Margaret and Ann",
        "note": "Still right, she says.",
        **{"next_due-day": "1", "next_due-month": "3", "next_due-year": str(TODAY.year + 1)},
    }
    response = client.post(f"/reviews/{pid}", data=sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved changes to this profile at the same moment" in page
    assert 'value="Margaret and Ann"' in page and "Still right, she says." in page
    assert f'value="{TODAY.year + 1}"' in page
    with inspecting(app):
        assert db.session.get(Profile, pid).review_due == YESTERDAY
        assert db.session.scalars(db.select(ProfileReview)).all() == []

    monkeypatch.setattr(services, "touch", real_touch)
    again = client.post(f"/reviews/{pid}", data=sent)
    assert again.status_code == 302
    with inspecting(app):
        assert db.session.get(Profile, pid).review_due == date(TODAY.year + 1, 3, 1)


def test_every_cell_of_the_reviews_tables_names_its_column_for_a_phone(client, create_profile):
    from .conftest import tables_with_labelled_cells

    create_profile(name="Ada Brown", review_due=YESTERDAY)
    create_profile(name="Ben Carter", review_due=TODAY + timedelta(days=3))
    page = client.get("/reviews").get_data(as_text=True)
    assert 'data-label="Review was due">' in page and 'data-label="Review due by">' in page
    assert tables_with_labelled_cells(page) == [
        ["Profile", "Review was due", "Action"],
        ["Profile", "Review due by", "Action"],
    ]
