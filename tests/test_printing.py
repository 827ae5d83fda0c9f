"""Printing as people meet it: the preview, the PDF download and the render command."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from profiles.document import profile_document
from profiles.extensions import db
from profiles.models import AuditEvent, Photo, Profile, RenderResult, Statement
from profiles.photos import process_photo
from profiles.printing.service import print_document, print_profile
from profiles.render import DESIGNS

from .conftest import EXAMPLES, agree_to, build_app, inspecting
from .test_photos import blank_png

# A review date always in the future, whenever the tests run.
NEXT_YEAR = str(date.today().year + 1)

SUPPORT = [
    "Please knock and wait for me to answer before you come into my room.",
    "If I rub my forehead and go quiet, I am in pain: ask me where it hurts.",
]
TOO_MUCH = [
    f"Statement {i}: I walk with my frame and need someone beside me on the stairs, "
    "but please never take my arm without asking me first."
    for i in range(40)
]


def pdf_of(response) -> PdfReader:
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    return PdfReader(io.BytesIO(response.data))


def size_of(reader: PdfReader) -> tuple[int, int]:
    box = reader.pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def text_of(reader: PdfReader) -> str:
    return " ".join(reader.pages[0].extract_text().split())


def test_the_pdf_downloads_as_one_page_named_for_its_person(client, create_profile):
    pid = create_profile(
        name="Margaret Jones", preferred_name="Peggy", statements={"support": SUPPORT}
    )
    response = client.get(f"/profiles/{pid}/profile.pdf")
    reader = pdf_of(response)
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="Margaret Jones - one-page profile.pdf"'
    welsh = create_profile(name="Siôn Prys", statements={"support": SUPPORT})
    disposition = client.get(f"/profiles/{welsh}/profile.pdf").headers["Content-Disposition"]
    # Browsers take the name with its accents; older ones the plain letters.
    assert "filename*=UTF-8''Si%C3%B4n%20Prys%20-%20one-page%20profile.pdf" in disposition
    assert 'filename="Sion Prys - one-page profile.pdf"' in disposition
    assert response.headers["Cache-Control"] == "no-store"
    assert len(reader.pages) == 1
    assert size_of(reader) == (595, 842)
    text = text_of(reader)
    assert "Margaret Jones" in text and "known as Peggy" in text
    for statement in SUPPORT:
        assert statement in text
    assert reader.metadata.title == "Margaret Jones"


def test_the_paper_is_the_profiles_own_unless_the_address_asks_for_another(client, create_profile):
    pid = create_profile(statements={"support": SUPPORT}, paper="Letter")
    assert size_of(pdf_of(client.get(f"/profiles/{pid}/profile.pdf"))) == (612, 792)
    assert size_of(pdf_of(client.get(f"/profiles/{pid}/profile.pdf?paper=A4"))) == (595, 842)
    assert size_of(pdf_of(client.get(f"/profiles/{pid}/profile.pdf?paper=letter"))) == (612, 792)
    response = client.get(f"/profiles/{pid}/profile.pdf?paper=A3")
    assert response.status_code == 400
    assert "That paper size is not available" in response.get_data(as_text=True)


def test_a_profile_too_long_for_one_page_gets_a_page_saying_what_to_shorten(client, create_profile):
    pid = create_profile(statements={"support": TOO_MUCH, "important": SUPPORT})
    response = client.get(f"/profiles/{pid}/profile.pdf")
    assert response.status_code == 422
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "This profile does not fit on one page yet" in page
    assert "How best to support me</a>:" in page and "remove about" in page
    assert "What is important to me" not in page
    assert f'href="/profiles/{pid}/steps/support"' in page


def test_the_preview_is_the_print_page_at_the_size_it_prints(client, create_profile):
    pid = create_profile(name="Margaret Jones", statements={"support": SUPPORT})
    response = client.get(f"/profiles/{pid}/preview")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert '<html lang="en-GB"' in page and "<title>Margaret Jones</title>" in page
    assert 'href="/static/css/print-classic.css"' in page
    assert "font-size: 14pt" in page and SUPPORT[0] in page
    assert "does not fit" not in page


def test_the_preview_of_a_profile_too_long_says_so(client, create_profile):
    pid = create_profile(statements={"support": TOO_MUCH}, language="cy")
    page = client.get(f"/profiles/{pid}/preview").get_data(as_text=True)
    assert '<html lang="cy"' in page and "font-size: 10pt" in page
    assert "This profile does not fit on one page yet" in page
    assert "Sut i&#39;m cefnogi orau: remove about" in page


def test_a_missing_profile_is_not_found(client):
    assert client.get("/profiles/999/preview").status_code == 404
    assert client.get("/profiles/999/profile.pdf").status_code == 404


def test_a_repeat_render_comes_from_the_cache_and_a_change_never_gets_an_old_pdf(
    app, create_profile
):
    pid = create_profile(statements={"support": SUPPORT})
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        first = print_profile(profile)
        again = print_profile(profile)
        assert not first.cached and again.cached and again.layouts == 0
        assert again.pdf == first.pdf and again.font_size == first.font_size

        section = profile.section("support")
        section.statements[0].text = "Please ring the bell twice and wait."
        db.session.commit()
        changed = print_profile(profile)
        assert not changed.cached and changed.pdf != first.pdf
        assert "ring the bell twice" in text_of(PdfReader(io.BytesIO(changed.pdf)))
        rows = select(func.count()).select_from(RenderResult).where(RenderResult.profile_id == pid)
        assert db.session.scalar(rows) == 1  # the new version's print replaced the old

        letter = print_profile(profile, paper="Letter")
        assert not letter.cached and letter.paper == "Letter"
        assert size_of(PdfReader(io.BytesIO(letter.pdf))) == (612, 792)
        # One print is kept for each paper, so switching back and forth prints nothing again.
        assert db.session.scalar(rows) == 2
        assert print_profile(profile).cached and print_profile(profile, paper="Letter").cached


def test_a_result_that_does_not_fit_is_cached_too(app, create_profile):
    pid = create_profile(statements={"support": TOO_MUCH})
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        first = print_profile(profile)
        again = print_profile(profile)
        assert again.cached and not again.fits and again.pdf is None
        assert again.overflow == first.overflow and again.messages == first.messages
        profile.section("support").statements = [Statement(position=0, text=SUPPORT[0])]
        db.session.commit()
        assert print_profile(profile).fits


def test_the_render_command_writes_a_one_page_pdf(runner, create_profile, tmp_path):
    pid = create_profile(statements={"support": SUPPORT})
    target = tmp_path / "peggy.pdf"
    result = runner.invoke(args=["render", str(pid), "-o", str(target), "--paper", "Letter"])
    assert result.exit_code == 0, result.output
    assert "one page" in result.output
    reader = PdfReader(target)
    assert len(reader.pages) == 1 and size_of(reader) == (612, 792)
    assert SUPPORT[0] in text_of(reader)


def test_the_render_command_names_what_to_shorten_and_writes_nothing(
    runner, create_profile, tmp_path
):
    pid = create_profile(statements={"support": TOO_MUCH})
    target = tmp_path / "too-long.pdf"
    result = runner.invoke(args=["render", str(pid), "-o", str(target)])
    assert result.exit_code == 2
    assert not target.exists()
    lines = result.stderr.splitlines()
    assert lines[-1].startswith("How best to support me: remove about ")
    assert result.stdout == ""


def test_the_render_command_explains_an_unknown_profile_design_or_paper(
    runner, create_profile, tmp_path
):
    target = tmp_path / "x.pdf"
    result = runner.invoke(args=["render", "999", "-o", str(target)])
    assert result.exit_code == 1 and "There is no profile with the id 999" in result.output
    pid = create_profile(statements={"support": SUPPORT})
    result = runner.invoke(args=["render", str(pid), "-o", str(target), "--design", "fancy"])
    assert result.exit_code == 1
    designs = ", ".join(sorted(DESIGNS))
    assert f"There is no design called 'fancy'. Designs: {designs}." in result.output
    result = runner.invoke(args=["render", str(pid), "-o", str(target), "--paper", "A3"])
    assert result.exit_code == 1 and "Papers: A4, Letter" in result.output
    assert not target.exists()


@pytest.mark.parametrize(
    "args",
    [["render", "abc", "-o", "x.pdf"], ["render", "1"], ["render", "1", "-o", "x.pdf", "--nope"]],
)
def test_render_usage_mistakes_exit_1_so_2_only_means_does_not_fit(runner, args):
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert "Usage:" in result.output


def test_the_example_adult_profile_imports_and_prints_on_one_page(runner, tmp_path):
    imported = runner.invoke(args=["import", str(EXAMPLES / "adult.json")])
    assert imported.exit_code == 0
    out = tmp_path / "peggy.pdf"
    result = runner.invoke(args=["render", imported.output.strip(), "-o", str(out)])
    assert result.exit_code == 0
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Margaret Jones" in text and "Please knock and wait for me to say come in." in text


def kept_prints(app) -> int:
    with inspecting(app):
        return db.session.scalar(select(func.count()).select_from(RenderResult))


def test_a_print_past_the_time_limit_says_so_keeps_nothing_and_frees_the_worker(
    app, client, create_profile
):
    pid = create_profile(statements={"support": SUPPORT})
    app.config["RENDER_TIMEOUT"] = 0.01  # no page lays out that fast
    response = client.get(f"/profiles/{pid}/profile.pdf")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "Printing took too long and was stopped" in page
    assert "longer than 0.01 seconds" in page and "Nothing is lost" in page
    assert kept_prints(app) == 0
    with inspecting(app):
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0
    app.config["RENDER_TIMEOUT"] = 20
    assert len(pdf_of(client.get(f"/profiles/{pid}/profile.pdf")).pages) == 1
    assert kept_prints(app) == 1


def test_the_render_command_past_the_time_limit_writes_nothing(
    app, runner, create_profile, tmp_path
):
    pid = create_profile(statements={"support": SUPPORT})
    app.config["RENDER_TIMEOUT"] = 0.01
    target = tmp_path / "slow.pdf"
    result = runner.invoke(args=["render", str(pid), "-o", str(target)])
    assert result.exit_code == 1
    assert "was not printed: printing took longer than 0.01 seconds" in result.stderr
    assert not target.exists() and kept_prints(app) == 0


@pytest.mark.parametrize("seconds", [0, -1, "soon", True])
def test_a_time_limit_that_is_not_a_number_of_seconds_is_refused_at_start(database_url, seconds):
    with pytest.raises(ValueError, match="PROFILES_RENDER_TIMEOUT"):
        build_app(database_url, RENDER_TIMEOUT=seconds)


def test_a_print_is_kept_under_its_photos_hash_and_never_reads_the_photo_again(app, create_profile):
    pid = create_profile(statements={"support": SUPPORT})
    with inspecting(app):
        clean = process_photo(blank_png(300, 400))
        profile = db.session.get(Profile, pid)
        profile.photo = Photo(
            media_type=clean.media_type, data=clean.data, width=clean.width,
            height=clean.height, description="Peggy", sha256=clean.sha256,
        )  # fmt: skip
        db.session.commit()
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        document = print_document(profile)
        assert document["photo"] == {
            "media_type": clean.media_type, "sha256": clean.sha256, "description": "Peggy",
            "crop": "whole", "width": 300, "height": 400,
        }  # fmt: skip
        assert "data" not in profile.photo.__dict__  # the bytes were never loaded
        assert not print_profile(profile).cached
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        again = print_profile(profile)
        assert again.cached and "data" not in profile.photo.__dict__
        assert profile_document(profile)["photo"]["data"]  # an export still carries it


def test_a_changed_profile_prints_again_starting_from_its_last_size(
    app, create_profile, monkeypatch
):
    from profiles.render import child, fit
    from profiles.render.fit import fit_document
    from profiles.services import get_kind

    from .samples import STATEMENTS

    # The first print starts from the largest size, as when the first guess is out.
    monkeypatch.setattr(child.threading, "active_count", lambda: 1)  # forked from here
    monkeypatch.setattr(fit, "first_guess", lambda document, design: design.largest)
    many = dict.fromkeys(("appreciation", "important", "support"), STATEMENTS[:9])
    pid = create_profile(statements=many)
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        first = print_profile(profile)
        assert first.fits and first.font_size < 14 and first.layouts >= 2
        # A word changed for one of the same length: the size it last printed at still fits.
        statement = profile.section("support").statements[4]
        statement.text = statement.text.replace("brother", "cousins")
        assert "cousins" in statement.text
        db.session.commit()
        again = print_profile(profile)
        assert not again.cached and again.layouts == 1
        cold = fit_document(print_document(profile), get_kind("adult"))
        assert again.font_size == cold.font_size == first.font_size


def test_a_first_print_on_other_paper_starts_from_the_size_it_printed_at_before(
    app, create_profile, monkeypatch
):
    from profiles.printing import service

    from .samples import STATEMENTS

    pid = create_profile(statements={"support": STATEMENTS[:9], "important": STATEMENTS[:9]})
    starts = []
    fit_within = service.fit_within

    def recording(document, kind, seconds, start=None):
        starts.append(start)
        return fit_within(document, kind, seconds, start=start)

    monkeypatch.setattr(service, "fit_within", recording)
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        a4 = print_profile(profile)
        print_profile(profile, paper="Letter")
    assert starts == [None, a4.font_size]


def test_a_print_is_kept_only_once_the_work_around_it_is_saved(app, create_profile):
    """Its own transaction never waits on the request's (SQLite locks the whole database)."""
    from profiles.audit.service import record

    from .conftest import acting_for

    pid = create_profile(statements={"support": SUPPORT})
    with acting_for(app):  # a unit of work, as a request is
        profile = db.session.get(Profile, pid)
        record("viewed", pid)
        db.session.flush()  # the request has written: on SQLite it now holds the write lock
        assert print_profile(profile).fits
        assert kept_prints(app) == 0  # not yet
    assert kept_prints(app) == 1
    with pytest.raises(RuntimeError), acting_for(app):
        profile = db.session.get(Profile, pid)
        profile.paper = "Letter"
        assert print_profile(profile).paper == "Letter"
        raise RuntimeError("the request failed after printing")
    assert kept_prints(app) == 1  # a unit that keeps nothing keeps no print either
    with inspecting(app):
        assert db.session.get(Profile, pid).paper == "A4"


def test_a_print_that_takes_too_long_costs_the_review_page_nothing(app, client, create_profile):

    pid = create_profile(statements={"support": SUPPORT})
    app.config["RENDER_TIMEOUT"] = 0.01  # no page lays out that fast
    page = client.get(f"/profiles/{pid}/steps/review")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Printing took too long and was stopped" in text and "Try again in a minute" in text
    assert "Save and download the PDF" not in text
    agree_to(client, pid)
    finished = client.post(
        f"/profiles/{pid}/steps/review",
        data={
            "paper": "Letter",
            "review_due-day": "26",
            "review_due-month": "5",
            "review_due-year": NEXT_YEAR,
            "action": "finish",
        },
        follow_redirects=True,
    )
    assert "so this profile is still a draft. Your choices are saved." in finished.get_data(
        as_text=True
    )
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        assert (profile.paper, profile.review_due, profile.status) == (
            "Letter", date(int(NEXT_YEAR), 5, 26), "draft"
        )  # fmt: skip
    # A request for everything held about the person still gets it, without the print.
    import zipfile

    everything = client.get(f"/profiles/{pid}/everything.zip")
    assert everything.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(everything.data)).namelist()
    assert "profile.json" in names and "profile.pdf" not in names
