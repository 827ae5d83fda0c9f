"""The check step before printing: choosing the design and paper, and being told plainly
when sections are empty or nearly so before a mostly blank page is printed."""

import json
import re

import pytest
from sqlalchemy import select

from profiles.extensions import db
from profiles.kinds import load_kinds
from profiles.models import Profile
from profiles.render import DESIGNS, PAPERS, Design
from profiles.services import default_design
from profiles.transfer.importer import import_files

from .conftest import EXAMPLES, acting_for, inspecting
from .test_wizard import primary_buttons

FULL = {
    "appreciation": ["I always remember birthdays.", "I make everyone laugh."],
    "important": ["My daughter Ann visits on Sundays.", "Tea with two sugars."],
    "support": ["Please knock and wait.", "Speak to me on my left side."],
}


def another_design(name="large", **fields) -> Design:
    """A design like classic with larger text: enough to see which design a page is in."""
    values = {
        "label": "Large print",
        "hint": "Bigger text, for reading close up.",
        "largest": 20.0,
        "floor": 16.0,
        **fields,
    }
    return Design(name, "print/classic.html", "css/print-classic.css", **values)


def radios(page: str, name: str) -> list[tuple[str, str]]:
    """(value, label) of each radio of a group, in page order."""
    return re.findall(
        rf'<input [^>]*name="{name}" type="radio" value="([^"]+)"> <label for="[^"]+">([^<]+)<',
        page,
    )


def preview_size(client, pid) -> float:
    """The text size, in points, the preview of the profile shows it at."""
    page = client.get(f"/profiles/{pid}/preview").get_data(as_text=True)
    return float(re.search(r"html \{ font-size: ([\d.]+)pt; \}", page)[1])


def checked(page: str, name: str) -> str:
    """The value of the radio of a group that is chosen."""
    return re.search(rf'<input [^>]*checked [^>]*name="{name}" [^>]*value="([^"]+)"', page)[1]


def test_the_check_step_offers_every_design_and_paper_and_keeps_the_choice(
    app, client, create_profile, monkeypatch
):
    monkeypatch.setitem(DESIGNS, "large", another_design())
    pid = create_profile(statements=FULL)
    page = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    # Built from the app's designs, in their order: one added later is offered by itself.
    assert radios(page, "design") == [(d.name, d.label) for d in DESIGNS.values()]
    assert radios(page, "design")[-1] == ("large", "Large print")
    for i, design in enumerate(DESIGNS.values()):
        assert f'<p class="hint radio__hint" id="design-{i}-hint">{design.hint}</p>' in page
    assert [value for value, _ in radios(page, "paper")] == list(PAPERS)
    assert (checked(page, "design"), checked(page, "paper")) == ("classic", "A4")
    # The preview prints in the design saved: classic, then the larger one once chosen.
    assert preview_size(client, pid) == 14
    client.post(
        f"/profiles/{pid}/steps/review",
        data={"design": "large", "paper": "A5", "action": "save"},
    )
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        assert (profile.design, profile.paper) == ("large", "A5")
    page = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert (checked(page, "design"), checked(page, "paper")) == ("large", "A5")
    # Larger than classic ever prints: at least the larger design's floor.
    assert preview_size(client, pid) >= 16


def test_a_design_the_app_does_not_have_changes_nothing(app, client, create_profile):
    pid = create_profile(statements=FULL, paper="Letter")
    response = client.post(
        f"/profiles/{pid}/steps/review",
        data={"design": "comic-sans", "paper": "A4", "action": "save"},
    )
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)
    # A choice not sent at all stays as it was.
    client.post(f"/profiles/{pid}/steps/review", data={"action": "save"})
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        assert (profile.design, profile.paper) == ("classic", "Letter")


def test_a_hospital_passport_starts_in_the_passport_design_once_there_is_one(
    app, client, monkeypatch
):
    assert default_design("hospital") == "classic" or "passport" in DESIGNS
    monkeypatch.setitem(DESIGNS, "passport", another_design("passport", label="Passport"))
    assert [default_design(kind) for kind in ("hospital", "adult", "staff")] == [
        "passport",
        "classic",
        "classic",
    ]
    client.post("/profiles/new", data={"kind": "hospital", "name": "Margaret Jones"})
    client.post("/profiles/new", data={"kind": "adult", "name": "Tom Evans"})
    doc = json.loads((EXAMPLES / "adult.json").read_text())
    doc |= {"kind": "hospital", "sections": []}
    doc.pop("layout")
    chosen = json.loads((EXAMPLES / "adult.json").read_text())
    chosen |= {"kind": "hospital", "sections": [], "layout": {"design": "classic"}}
    with acting_for(app):
        import_files([("a.json", json.dumps(doc).encode())])
        import_files([("b.json", json.dumps(chosen).encode())])
    with inspecting(app):
        profiles = db.session.scalars(select(Profile).order_by(Profile.id))
        designs = [(p.name, p.kind, p.design) for p in profiles]
    assert designs == [
        ("Margaret Jones", "hospital", "passport"),
        ("Tom Evans", "adult", "classic"),
        ("Margaret Jones", "hospital", "passport"),  # a file that names no design
        ("Margaret Jones", "hospital", "classic"),  # a file's own choice is kept
    ]


def test_a_staff_profile_started_from_the_account_opens_on_its_key_facts(app, client):
    client.post("/account/staff-profile/start")
    with inspecting(app):
        profile = db.session.scalars(select(Profile)).one()
        assert (profile.step, profile.design) == ("facts", "classic")


def test_empty_and_nearly_empty_sections_are_named_before_printing(app, client, create_profile):
    pid = create_profile(
        name="Margaret Okafor",
        statements={"important": ["Tea with two sugars."], "support": FULL["support"]},
    )
    page = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert "Before you print" in page
    assert "What people appreciate about me has no statements yet." in page
    assert "What is important to me has only one statement." in page
    assert "How best to support me has" not in page
    assert (
        'value="goto:appreciation">Write some<span class="visually-hidden"> for What people '
        "appreciate about me</span>" in page
    )
    assert 'value="goto:important">Add more' in page
    # Filling the empty section is what the page asks; printing is a deliberate second choice.
    assert primary_buttons(page) == ["Save and fill in “What people appreciate about me”"]
    assert (
        '<button type="submit" class="button button--secondary" name="action" '
        'value="download_anyway">Print anyway</button>' in page
    )
    assert "Save and download the PDF" not in page
    went = client.post(f"/profiles/{pid}/steps/review", data={"action": "goto:appreciation"})
    assert went.headers["Location"].endswith(f"/profiles/{pid}/steps/appreciation")
    printed = client.post(
        f"/profiles/{pid}/steps/review",
        data={"action": "download_anyway"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "PDF made for Margaret Okafor at 14 pt on A4 paper." in printed
    assert f'content="0; url=/profiles/{pid}/profile.pdf"' in printed


def test_a_profile_with_every_section_filled_prints_without_a_word_of_warning(
    client, create_profile
):
    pid = create_profile(statements=FULL)
    page = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert "Before you print" not in page
    assert primary_buttons(page) == ["Save and download the PDF"]
    assert "Print anyway" not in page


def test_a_profile_with_nothing_written_prints_only_when_asked_to_anyway(client, create_profile):
    pid = create_profile(name="Margaret Okafor")
    page = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert "Nothing is written in this profile yet" in page
    assert "How best to support me has no statements yet." in page
    assert primary_buttons(page) == ["Save and fill in “What people appreciate about me”"]
    refused = client.post(
        f"/profiles/{pid}/steps/review", data={"action": "download"}, follow_redirects=True
    ).get_data(as_text=True)
    assert (
        "Nothing is written in this profile yet, so there is no PDF. Your choices are saved. "
        "Fill in a section first, or choose Print anyway." in refused
    )
    assert "PDF made for" not in refused and "http-equiv" not in refused
    printed = client.post(
        f"/profiles/{pid}/steps/review", data={"action": "download_anyway"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "PDF made for Margaret Okafor at 14 pt on A4 paper." in printed


@pytest.mark.parametrize("kind", ["hospital", "team", "child"])
def test_every_kind_names_its_own_empty_sections(client, create_profile, kind):
    pid = create_profile(kind=kind)
    page = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    with_nothing = re.findall(r"<li>([^<]+) has no statements yet\.", page)
    assert with_nothing == [s.heading("en") for s in load_kinds()[kind].sections]
