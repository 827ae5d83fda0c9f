"""Agreement: asked in the flow before a profile is ready, and belonging to a version."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest
from pypdf import PdfReader

from profiles.extensions import db
from profiles.models import AuditEvent, Profile

from .conftest import agree_to, inspecting, sign_in_as

STATEMENTS = {
    "appreciation": ["I always remember birthdays.", "I make everyone laugh."],
    "important": ["My daughter Ann visits on Sundays.", "My garden."],
    "support": ["Please knock and wait.", "Speak slowly and clearly."],
}
DRAFT = "Draft: not yet agreed"


def pdf_text(client, pid: int) -> str:
    response = client.get(f"/profiles/{pid}/profile.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


def stored(app, pid: int) -> Profile:
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        db.session.expunge(profile)
        return profile


def finish(client, pid: int):
    return client.post(
        f"/profiles/{pid}/steps/review",
        data={"paper": "A4", "action": "finish"},
        follow_redirects=True,
    )


def test_agreement_is_its_own_step_just_before_check_and_print(client, create_profile):
    pid = create_profile(statements=STATEMENTS)
    page = client.get(f"/profiles/{pid}/steps/photo").get_data(as_text=True)
    titles = re.findall(r'value="goto:(\w+)"', page)
    assert titles[-2:] == ["agree", "review"]
    # Continuing from the photo leads to it.
    response = client.post(f"/profiles/{pid}/steps/photo", data={"action": "next"})
    assert response.headers["Location"].endswith(f"/profiles/{pid}/steps/agree")
    page = client.get(f"/profiles/{pid}/steps/agree").get_data(as_text=True)
    assert "<h1>Agreement</h1>" in page
    assert "Who agreed to this profile, as it is now, being made and shared?" in page
    # The about step no longer asks it.
    assert "consent_self" not in client.get(f"/profiles/{pid}/steps/about").get_data(as_text=True)


def test_a_profile_cannot_be_marked_ready_until_it_is_agreed(app, client, create_profile):
    pid = create_profile(statements=STATEMENTS)
    review = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert "Not agreed yet" in review
    assert 'value="goto:agree">Save and record the agreement</button>' in review
    page = finish(client, pid).get_data(as_text=True)
    assert "cannot be marked ready to print until it has been agreed" in page
    assert "Go to the Agreement step" in page
    assert stored(app, pid).status == "draft"

    agree_to(client, pid)
    page = finish(client, pid).get_data(as_text=True)
    assert "Profile marked as ready to print." in page
    assert "Margaret Jones agreed themselves on 26 May 2026" in page
    assert stored(app, pid).status == "ready"


def test_an_edit_after_agreement_shows_changed_since_agreed_until_agreed_again(
    app, client, create_profile
):
    pid = create_profile(statements=STATEMENTS)
    agree_to(client, pid)
    agreed = stored(app, pid)
    assert agreed.agreed_version == agreed.version
    # A printing choice or the review date changes nothing that was agreed.
    client.post(
        f"/profiles/{pid}/steps/review",
        data={"paper": "Letter", "review_due-day": "1", "review_due-month": "1",
              "review_due-year": "2031", "action": "save"},
    )  # fmt: skip
    review = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert "Changed since it was agreed" not in review

    client.post(
        f"/profiles/{pid}/steps/support",
        data={"heading": "How best to support me", "answer_more": "Sit where I can see you.",
              "action": "save"},
    )  # fmt: skip
    review = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert "Changed since it was agreed on 26 May 2026: ask again" in review
    page = finish(client, pid).get_data(as_text=True)
    assert "changed since it was agreed on 26 May 2026" in page
    assert stored(app, pid).status == "draft"

    # The agreement step asks afresh: nothing is chosen, so going on is not agreeing.
    step = client.get(f"/profiles/{pid}/steps/agree").get_data(as_text=True)
    assert "Changed since it was agreed on 26 May 2026" in step
    assert "checked" not in step
    client.post(
        f"/profiles/{pid}/steps/agree",
        data={
            "consent_by": "Margaret Jones",
            "consent_date-day": "27",
            "consent_date-month": "5",
            "consent_date-year": "2026",
            "action": "next",
        },
    )
    assert "Changed since it was agreed" in client.get(f"/profiles/{pid}/steps/review").get_data(
        as_text=True
    )

    agree_to(client, pid)
    review = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert "Changed since it was agreed" not in review
    again = stored(app, pid)
    assert again.agreed_version == again.version > agreed.version


def test_a_profile_never_agreed_prints_as_a_draft_until_it_is_agreed(client, create_profile):
    pid = create_profile(statements=STATEMENTS)
    assert DRAFT in pdf_text(client, pid)
    preview = client.get(f"/profiles/{pid}/preview").get_data(as_text=True)
    assert DRAFT in preview
    agree_to(client, pid)
    # Same content, now agreed: the draft's kept PDF is never given for it.
    text = pdf_text(client, pid)
    assert DRAFT not in text and "Please knock and wait." in text


@pytest.mark.parametrize("design", ["classic", "columns", "easy-read", "passport"])
def test_every_design_prints_the_draft_line_and_still_fits(app, client, create_profile, design):
    kind = "hospital" if design == "passport" else "adult"
    statements = None if kind == "hospital" else STATEMENTS
    pid = create_profile(kind=kind, design=design, statements=statements)
    assert DRAFT in pdf_text(client, pid)
    # Even with nothing else at its foot: no one named as writing it, no review date.
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        profile.written_by, profile.review_due = "", None
        profile.version += 1
        db.session.commit()
    assert DRAFT in pdf_text(client, pid)


def test_a_welsh_profile_prints_the_draft_line_in_welsh(client, create_profile):
    pid = create_profile(language="cy", statements=STATEMENTS)
    assert "Drafft: heb ei gytuno eto" in pdf_text(client, pid)


def test_an_administrator_can_print_a_profile_never_agreed_without_the_draft_line(
    app, client, account, create_profile
):
    pid = create_profile(statements=STATEMENTS)
    review = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert 'value="draft_line:off">Print without the draft line</button>' in review
    response = client.post(
        f"/profiles/{pid}/steps/review",
        data={"paper": "A4", "action": "draft_line:off"},
        follow_redirects=True,
    )
    assert "now prints without the “Draft: not yet agreed” line" in response.get_data(as_text=True)
    assert stored(app, pid).print_unagreed_by == account[1]
    assert DRAFT not in pdf_text(client, pid)
    with inspecting(app):
        actions = db.session.scalars(
            db.select(AuditEvent.action).where(AuditEvent.profile_id == pid)
        ).all()
        assert "changed" in actions
    # It is still not agreed, so still cannot be marked ready.
    assert "cannot be marked ready" in finish(client, pid).get_data(as_text=True)
    # And it can be undone.
    client.post(f"/profiles/{pid}/steps/review", data={"paper": "A4", "action": "draft_line:on"})
    assert stored(app, pid).print_unagreed_by is None
    assert DRAFT in pdf_text(client, pid)


def test_only_an_administrator_may_print_without_the_draft_line(
    app, create_account, create_profile
):
    _, jo = create_account(email="jo@riverside.example", role="staff", name="Jo Carer")
    pid = create_profile(statements=STATEMENTS)
    client = app.test_client()
    sign_in_as(client, jo)
    review = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert "draft_line:off" not in review
    response = client.post(
        f"/profiles/{pid}/steps/review", data={"paper": "Letter", "action": "draft_line:off"}
    )
    assert response.status_code == 403
    profile = stored(app, pid)
    assert (profile.print_unagreed_by, profile.paper) == (None, "A4")


def test_the_rights_zip_says_which_version_was_agreed(app, client, create_profile):
    pid = create_profile(statements=STATEMENTS)
    agree_to(client, pid)
    version = stored(app, pid).agreed_version

    def consent() -> str:
        response = client.get(f"/profiles/{pid}/everything.zip")
        with zipfile.ZipFile(io.BytesIO(response.data)) as zipped:
            return zipped.read("consent.txt").decode()

    assert consent() == (
        f"Margaret Jones agreed themselves on 2026-05-26, to version {version} of the profile.\n"
    )
    client.post(
        f"/profiles/{pid}/steps/support",
        data={"heading": "How best to support me", "answer_more": "Sit near me.",
              "action": "save"},
    )  # fmt: skip
    assert "The profile has changed since it was agreed" in consent()


def test_whether_it_prints_as_a_draft_is_part_of_the_prints_cache_key():
    from profiles.kinds import load_kinds
    from profiles.render import cache_key

    kind = load_kinds()["adult"]
    document = {
        "kind": "adult",
        "name": "Margaret Jones",
        "language": "en",
        "sections": [{"key": "support", "items": ["Knock first."]}],
        "layout": {"design": "classic", "paper": "A4"},
    }
    assert cache_key(document, kind, owner=1) != cache_key({**document, "draft": True}, kind, 1)


def test_the_list_of_profiles_tags_one_changed_since_it_was_agreed(client, create_profile):
    agreed = create_profile(name="Ada Brown", statements=STATEMENTS)
    changed = create_profile(name="Ben Carter", statements=STATEMENTS)
    create_profile(name="Cara Davies", statements=STATEMENTS)  # never agreed
    agree_to(client, agreed)
    agree_to(client, changed)
    client.post(
        f"/profiles/{changed}/steps/support",
        data={"heading": "How best to support me", "answer_more": "Sit near me.",
              "action": "save"},
    )  # fmt: skip
    page = client.get("/").get_data(as_text=True)
    cards = {
        name: page.split(name, 1)[1].split("</li>", 1)[0]
        for name in ("Ada Brown", "Ben Carter", "Cara Davies")
    }
    tag = '<span class="tag tag--changed">Changed since agreed</span>'
    assert tag in cards["Ben Carter"]
    assert tag not in cards["Ada Brown"] and tag not in cards["Cara Davies"]


def test_an_agreement_dated_in_the_future_is_refused(app, client, create_profile):
    pid = create_profile(statements=STATEMENTS)
    response = client.post(
        f"/profiles/{pid}/steps/agree",
        data={"consent_self": "yes", "consent_by": "Margaret Jones",
              "consent_date-day": "1", "consent_date-month": "1", "consent_date-year": "2099",
              "action": "next"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Date they agreed must be today or in the past" in response.get_data(as_text=True)
    assert stored(app, pid).consent_self is None


def test_the_date_they_agreed_is_asked_in_day_month_and_year_boxes_filled_with_today(
    client, create_profile
):
    pid = create_profile(statements=STATEMENTS)
    page = client.get(f"/profiles/{pid}/steps/agree").get_data(as_text=True)
    today = date.today()
    group = page[page.index('<legend class="label">Date they agreed</legend>') :]
    for part, value in (("day", today.day), ("month", today.month), ("year", today.year)):
        assert re.search(rf'<input[^>]*name="consent_date-{part}"[^>]*value="{value}"', group), part
    assert 'name="consent_date"' not in page


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("26", "", "2026", "Date they agreed must include a month"),
        ("31", "2", "2026", "Date they agreed must be a real date"),
        ("", "", "", "Enter the date they agreed"),
    ],
)
def test_a_date_they_agreed_that_is_not_a_whole_real_date_is_refused_and_kept(
    app, client, create_profile, day, month, year, message
):
    pid = create_profile(statements=STATEMENTS)
    response = client.post(
        f"/profiles/{pid}/steps/agree",
        data={"consent_self": "yes", "consent_by": "Margaret Jones", "consent_date-day": day,
              "consent_date-month": month, "consent_date-year": year, "action": "next"},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'<a href="#consent_date">{message}</a>' in page
    assert (
        f'name="consent_date-day" type="text" inputmode="numeric" autocomplete="off" value="{day}"'
        in page
    )
    assert stored(app, pid).consent_self is None


def test_the_relationship_box_sits_under_someone_acted_for_them_and_says_when_to_fill_it(
    client, create_profile
):
    pid = create_profile(statements=STATEMENTS)
    page = client.get(f"/profiles/{pid}/steps/agree").get_data(as_text=True)
    # Right after the "Someone acted for them" answer, inside the question, in a box the
    # page's script hides until that answer is chosen (without it, the box simply shows).
    acted = page.index("Someone acted for them</label>")
    reveal = page.index('data-reveal-when="consent_self-1"')
    assert acted < reveal < page.index('name="consent_relationship"') < page.index("</fieldset>")
    assert "Only if someone acted for them." in page
    assert "Name of the person who agreed (the person themselves, or who acted for them)" in page


def test_the_check_page_says_who_agreed_for_the_person_by_the_name_they_go_by(
    client, create_profile
):
    pid = create_profile(name="Margaret Jones", preferred_name="Peggy", statements=STATEMENTS)
    client.post(
        f"/profiles/{pid}/steps/agree",
        data={"consent_self": "no", "consent_by": "Ann Jones", "consent_relationship": "daughter",
              "consent_date-day": "26", "consent_date-month": "5", "consent_date-year": "2026",
              "action": "next"},
    )  # fmt: skip
    review = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert "Ann Jones (daughter) agreed for Peggy on 26 May 2026" in review


def test_choosing_the_draft_line_is_a_version_named_for_it_and_says_who_chose(
    app, create_account, create_profile
):
    from profiles.models import Revision

    _, ann = create_account(email="ann@riverside.example", name="Ann Okafor")
    pid = create_profile(statements=STATEMENTS)
    client = app.test_client()
    sign_in_as(client, ann)
    client.post(f"/profiles/{pid}/steps/review", data={"paper": "A4", "action": "draft_line:off"})
    review = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert "Ann Okafor, an administrator, chose to print it without the draft line." in review
    client.post(f"/profiles/{pid}/steps/review", data={"paper": "A4", "action": "draft_line:on"})
    with inspecting(app):
        whats = db.session.scalars(
            db.select(Revision.what).where(Revision.profile_id == pid).order_by(Revision.number)
        ).all()
    assert whats[-2:] == ["Printed without the draft line", "Prints with the draft line again"]
    history = client.get(f"/profiles/{pid}/history").get_data(as_text=True)
    assert "Printed without the draft line" in history


def test_the_check_pages_agreement_button_says_its_name_once(client, create_profile):
    pid = create_profile(statements=STATEMENTS)
    review = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert 'value="goto:agree">Record agreement</button>' in review
    agree_to(client, pid)
    review = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert (
        'value="goto:agree">Change<span class="visually-hidden"> agreement</span></button>'
        in review
    )
