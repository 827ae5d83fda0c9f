"""Printing a profile on one page: fitting, fonts, safety, what to shorten, the cache key.

These tests need no database, so they use the renderer directly and run once.
"""

from __future__ import annotations

import base64
import io
import socket
import threading
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader

from profiles.kinds import load_kinds
from profiles.render import DESIGNS, Screen, cache_key, fingerprint, fit, print_html
from profiles.render.designs import get_design
from profiles.render.estimate import first_guess
from profiles.render.fetcher import STATIC_DIR, RefusedURL, StaticFetcher
from profiles.render.fit import fit_document, layout
from profiles.render.overflow import cut_level

from .samples import STATEMENTS

KINDS = load_kinds()
ADULT = KINDS["adult"]


def profile(per_section=3, paper="A4", language="en", **fields):
    """A profile in the file format with this many statements in each of the three sections."""
    items = [STATEMENTS[i % len(STATEMENTS)] for i in range(3 * per_section)]
    keys = ("appreciation", "important", "support")
    document = {
        "format": "one-page-profile",
        "version": 1,
        "kind": "adult",
        "name": "Margaret Jones",
        "preferred_name": "Peggy",
        "language": language,
        "written_by": "Peggy, with her daughter Ann and her keyworker Sam",
        "sections": [
            {"key": key, "items": items[i * per_section : (i + 1) * per_section]}
            for i, key in enumerate(keys)
        ],
        "review_due": "2027-05-26",
        "layout": {"design": "classic", "paper": paper},
    }
    document.update(fields)
    return document


def photo(description="Peggy laughing in her garden"):
    out = io.BytesIO()
    Image.new("RGB", (300, 300), (120, 160, 200)).save(out, "JPEG")
    data = base64.b64encode(out.getvalue()).decode()
    return {"media_type": "image/jpeg", "data": data, "description": description}


def text_of(pdf: bytes) -> str:
    """The PDF's text with all white space removed, so line breaks do not matter."""
    return "".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def squashed(text: str) -> str:
    return "".join(text.split())


def structure(node) -> list:
    """Every element of a PDF's structure tree, depth first (marked-content numbers skipped)."""
    node = node.get_object()
    if not hasattr(node, "get"):
        return []
    kids = node.get("/K", [])
    kids = kids if isinstance(kids, list) else [kids]
    return [node, *(element for kid in kids for element in structure(kid))]


def page_size(pdf: bytes) -> tuple[int, int]:
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_a_short_profile_prints_at_the_largest_size_after_one_layout():
    outcome = fit_document(profile(3), ADULT)
    assert outcome.fits and outcome.font_size == 14
    assert outcome.layouts == 1
    assert len(PdfReader(io.BytesIO(outcome.pdf)).pages) == 1
    assert squashed(STATEMENTS[0]) in text_of(outcome.pdf)
    assert page_size(outcome.pdf) == (595, 842)


@pytest.mark.parametrize("per_section", [7, 9, 11])
def test_a_longer_profile_gets_the_largest_size_that_still_fits_one_page(per_section):
    document = profile(per_section)
    outcome = fit_document(document, ADULT)
    assert outcome.fits and 10 <= outcome.font_size < 14
    assert outcome.font_size % 0.25 == 0
    # Guessed before any layout, or predicted from the first: never found by stepping down.
    assert outcome.layouts <= 2
    pdf = PdfReader(io.BytesIO(outcome.pdf))
    assert len(pdf.pages) == 1
    assert squashed(document["sections"][2]["items"][-1]) in text_of(outcome.pdf)
    assert len(layout(document, ADULT, outcome.font_size + 0.25).pages) == 2


def test_letter_paper_prints_on_letter():
    outcome = fit_document(profile(8, paper="Letter"), ADULT)
    assert page_size(outcome.pdf) == (612, 792)
    assert len(PdfReader(io.BytesIO(outcome.pdf)).pages) == 1


def test_welsh_and_polish_letters_print_in_the_bundled_fonts_only():
    document = profile(2, language="cy", photo=photo())
    document["sections"][0]["items"] = ["Mae'n hoffi ŵyn a'r tŷ", "Łódź, żółć"]
    outcome = fit_document(document, ADULT)
    text = text_of(outcome.pdf)
    assert "Mae'nhoffiŵyna'rtŷ" in text and "Łódź,żółć" in text
    reader = PdfReader(io.BytesIO(outcome.pdf))
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    assert len(fonts) >= 3  # regular, bold and the Latin Extended letters
    for font in fonts:
        assert font["/BaseFont"].split("+")[-1].startswith("AHN-Latin")
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
        assert program["name"].getDebugName(1) == "Atkinson Hyperlegible Next"


def test_symbols_greek_and_cyrillic_print_in_the_bundled_fallback_only():
    document = profile(1)
    document["sections"][2]["items"] = ["Dose 250 µg, if pain ≥ 7 → call Ωmega ✓ Дмитрий"]
    outcome = fit_document(document, ADULT)
    assert "250µg" in text_of(outcome.pdf) and "Дмитрий" in text_of(outcome.pdf)
    reader = PdfReader(io.BytesIO(outcome.pdf))
    names = [
        font.get_object()["/BaseFont"].split("+")[-1]
        for font in reader.pages[0]["/Resources"]["/Font"].values()
    ]
    assert any(name.startswith("Bundled-DejaVu-Sans") for name in names), names
    assert all(name.startswith(("AHN-Latin", "Bundled-DejaVu-Sans")) for name in names), names


def glyphs_by_font(pdf: bytes) -> dict[str, set[int]]:
    """The glyph numbers each font of the page draws (glyph 0 is .notdef, an empty box)."""
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    fonts = page["/Resources"]["/Font"]
    drawn: dict[str, set[int]] = {}
    font = None
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"Tf":
            font = fonts[operands[0]].get_object()["/BaseFont"].split("+")[-1]
        elif operator in (b"Tj", b"TJ"):
            for part in operands[0] if operator == b"TJ" else [operands[0]]:
                if hasattr(part, "original_bytes"):
                    codes = part.original_bytes
                    glyphs = {
                        int.from_bytes(codes[i : i + 2], "big") for i in range(0, len(codes), 2)
                    }
                    drawn.setdefault(font, set()).update(glyphs)
    return drawn


def test_symbols_and_emoji_print_as_glyphs_of_the_bundled_fonts_never_an_empty_box():
    document = profile(1)
    statement = "Music ♪ makes me ☺ and I ❤️ my cat 😀 👍 🎵 👨‍👩‍👧"
    document["sections"][2]["items"] = [statement]
    outcome = fit_document(document, ADULT)
    # The emoji variation selector (after the heart) selects a glyph; it is no text of its own.
    assert squashed(statement).replace("\ufe0f", "") in text_of(outcome.pdf)
    drawn = glyphs_by_font(outcome.pdf)
    assert "Bundled-Noto-Emoji" in drawn, drawn  # 👍 and 🎵 are in no other bundled font
    assert all(name.startswith(("AHN-Latin", "Bundled-")) for name in drawn), drawn
    assert all(0 not in glyphs for glyphs in drawn.values()), drawn
    # Every font the PDF carries is one shipped in static/fonts, with its licence beside it.
    assert (STATIC_DIR / "fonts/NotoEmoji-OFL.txt").read_text().count("SIL Open Font License")


@pytest.mark.parametrize("design", sorted(DESIGNS))
def test_a_very_long_name_wraps_and_keeps_the_photo_on_the_page(design):
    document = profile(
        2,
        photo=photo(),
        name="Hubert Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaft",
        layout={"design": design, "paper": "A4"},
    )
    pages = layout(document, ADULT, 14).pages
    assert len(pages) == 1
    page_box = pages[0]._page_box
    right_edge = page_box.content_box_x() + page_box.width
    boxes = [box for box in page_box.descendants() if box is not page_box]
    assert all(box.position_x + box.margin_width() <= right_edge + 0.5 for box in boxes)


def test_headings_and_labels_follow_the_profile_language():
    document = profile(1, language="cy", facts=[{"label": "Rhif GIG", "value": "943 476 5919"}])
    document["sections"][2]["heading"] = "Sut i fy helpu"
    html = print_html(document, ADULT, 12)
    assert '<html lang="cy"' in html
    assert "Beth mae pobl yn ei werthfawrogi amdanaf i" in html
    assert "Beth sy&#39;n bwysig i mi" in html
    assert "Sut i fy helpu" in html and "Sut i&#39;m cefnogi orau" not in html
    assert "Ysgrifennwyd gan" in html and "Adolygu erbyn" in html and "26 Mai 2027" in html
    assert "Rhif GIG" in html and "Ffeithiau allweddol" in html
    english = print_html(profile(1), ADULT, 12)
    assert '<html lang="en-GB"' in english
    assert "What people appreciate about me" in english and "Written by" in english
    assert "Review by" in english and "26 May 2027" in english


def test_an_unknown_language_falls_back_to_english():
    html = print_html(profile(1, language="fr"), ADULT, 12)
    assert '<html lang="en-GB"' in html and "What is important to me" in html


def test_one_template_links_static_files_for_the_browser_and_for_the_pdf():
    document = profile(1)
    for_pdf = print_html(document, ADULT, 12.25)
    # The PDF is given its stylesheet already parsed; a browser is told where it is.
    assert "<link" not in for_pdf and "file:" not in for_pdf
    assert "<title>Margaret Jones</title>" in for_pdf and "font-size: 12.25pt" in for_pdf
    for_screen = print_html(
        document, ADULT, 12.25, Screen(asset=lambda path: f"/static/{path}", nonce="n0nce")
    )
    assert 'href="/static/css/print-classic.css"' in for_screen
    assert '<style nonce="n0nce">' in for_screen and "font-size: 12.25pt" in for_screen


def test_the_fetcher_serves_only_bundled_files_and_data_urls():
    fetcher = StaticFetcher()
    font = (STATIC_DIR / "fonts/atkinson-hyperlegible-next-latin-400-normal.woff2").as_uri()
    assert fetcher.fetch(font).read()[:4] == b"wOF2"
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    refused = [
        "file:///etc/passwd",
        STATIC_DIR.as_uri() + "/css/../../pyproject.toml",
        STATIC_DIR.as_uri() + "/css/%2e%2e/%2e%2e/pyproject.toml",
        STATIC_DIR.as_uri() + "/../static-copy/css/app.css",
        "file://example.org" + STATIC_DIR.as_posix() + "/css/app.css",
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.css",
        "ftp://example.org/x.css",
    ]
    for url in refused:
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


@pytest.fixture
def listener():
    """A local server that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    connections, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            connections.append(connection)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", connections
    stop.set()
    thread.join()
    server.close()


def test_statements_that_look_like_markup_print_as_text_and_fetch_nothing(listener, monkeypatch):
    address, connections = listener
    asked = []
    fetch = StaticFetcher.fetch

    def recording_fetch(self, url, headers=None):
        asked.append(url)
        return fetch(self, url, headers)

    monkeypatch.setattr(StaticFetcher, "fetch", recording_fetch)
    # Read the stylesheet and fonts afresh, so that what they fetch is recorded too.
    monkeypatch.setattr(fit, "_fonts", None)
    monkeypatch.setattr(fit, "_stylesheets", {})
    sneaky = [
        '<img src="file:///etc/passwd">',
        f'<link rel=stylesheet href="{address}/x.css">',
        f"{address}/x.png",
        f'<img src="{address}/y.png"> <b>bold?</b>',
        f"<style>@import url({address}/z.css);</style>",
    ]
    document = profile(2)
    document["sections"][1]["items"] = sneaky
    outcome = fit_document(document, ADULT)
    text = text_of(outcome.pdf)
    for statement in sneaky:
        assert squashed(statement) in text
    assert connections == []
    bundled = ("data:", STATIC_DIR.as_uri() + "/")
    assert asked and all(url.startswith(bundled) for url in asked), asked
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in print_html(document, ADULT, 12)


def test_the_pdf_is_tagged_with_title_language_and_the_photos_alt_text():
    outcome = fit_document(profile(3, language="cy", photo=photo()), ADULT)
    reader = PdfReader(io.BytesIO(outcome.pdf))
    assert reader.metadata.title == "Margaret Jones"
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "cy"
    assert catalog["/MarkInfo"]["/Marked"]
    alts = [(e["/S"], e["/Alt"]) for e in structure(catalog["/StructTreeRoot"]) if "/Alt" in e]
    assert ("/Figure", "Peggy laughing in her garden") in alts
    images = reader.pages[0]["/Resources"]["/XObject"].values()
    assert any(image.get_object()["/Subtype"] == "/Image" for image in images)


def test_a_profile_too_long_for_one_page_says_what_to_shorten_and_gives_no_pdf():
    document = profile(2)
    document["sections"][2]["items"] = STATEMENTS * 3
    outcome = fit_document(document, ADULT)
    assert not outcome.fits
    assert outcome.pdf is None and outcome.font_size is None
    assert [(item["key"], item["heading"]) for item in outcome.overflow] == [
        ("support", "How best to support me")
    ]
    remove = outcome.overflow[0]["remove"]
    assert 1 <= remove < len(STATEMENTS * 3)
    assert outcome.messages == [f"How best to support me: remove about {remove} statements"]
    # The advice works: without that many statements it fits.
    document["sections"][2]["items"] = (STATEMENTS * 3)[:-remove]
    assert fit_document(document, ADULT).fits


def test_what_to_shorten_comes_from_the_longest_sections_first():
    assert cut_level([300, 100, 50], 120) == 180
    assert cut_level([300, 250, 50], 100) == 225
    assert cut_level([100, 100], 500) == 0


def test_messages_count_statements_in_plain_words():
    document = profile(12)
    outcome = fit_document(document, ADULT)
    assert not outcome.fits
    for item, message in zip(outcome.overflow, outcome.messages, strict=True):
        unit = "statement" if item["remove"] == 1 else "statements"
        assert message == f"{item['heading']}: remove about {item['remove']} {unit}"


def test_the_cache_key_changes_with_everything_that_shapes_the_pdf():
    base = profile(3, photo=photo())
    key = cache_key(base, ADULT)
    assert len(key) == 64 and key == cache_key(profile(3, photo=photo()), ADULT)
    changed = []
    for change in (
        lambda d: d["sections"][0]["items"].__setitem__(0, "Something new."),
        lambda d: d["sections"][0].__setitem__("heading", "Great things about me"),
        lambda d: d.__setitem__("language", "cy"),
        lambda d: d.__setitem__("layout", {"design": "classic", "paper": "Letter"}),
        lambda d: d.__setitem__("photo", photo("Peggy in her garden")),
        lambda d: d["photo"].__setitem__("data", d["photo"]["data"][:-8] + "AAAAAAA="),
        lambda d: d.__setitem__("review_due", "2027-05-27"),
    ):
        document = profile(3, photo=photo())
        change(document)
        changed.append(cache_key(document, ADULT))
    assert len({key, *changed}) == len(changed) + 1
    # The kind's default headings are part of what prints, though not of the document.
    assert cache_key(base, KINDS["staff"]) != key
    assert cache_key(base, ADULT, owner=1) != cache_key(base, ADULT, owner=2)


def test_the_cache_key_covers_the_print_files(tmp_path, monkeypatch):
    root = Path(__file__).resolve().parents[1]
    (tmp_path / "templates/print").mkdir(parents=True)
    (tmp_path / "static/css").mkdir(parents=True)
    (tmp_path / "static/fonts").mkdir()
    template = tmp_path / "templates/print/classic.html"
    template.write_text((root / "templates/print/classic.html").read_text())
    css = tmp_path / "static/css/print-classic.css"
    monkeypatch.setattr(fingerprint, "TEMPLATES_DIR", tmp_path / "templates")
    monkeypatch.setattr(fingerprint, "STATIC_DIR", tmp_path / "static")
    keys = []
    for colour in ("black", "navy"):
        css.write_text(f"h1 {{ color: {colour} }}")
        fingerprint.code_and_assets_digest.cache_clear()
        keys.append(cache_key(profile(1), ADULT))
    fingerprint.code_and_assets_digest.cache_clear()
    assert keys[0] != keys[1]


def test_a_print_in_a_child_process_gives_what_fitting_gives():
    from profiles.render import fit_within

    document = profile(9, photo=photo())
    outcome = fit_within(document, ADULT, seconds=60)
    assert outcome.fits and outcome.font_size == fit_document(document, ADULT).font_size
    assert len(PdfReader(io.BytesIO(outcome.pdf)).pages) == 1
    assert "Singingalong" in text_of(outcome.pdf)


def test_a_print_that_takes_too_long_is_stopped_and_leaves_no_process_behind(monkeypatch):
    import multiprocessing
    import time

    from profiles.render import RenderTimedOut, fit_within

    # A page that would take a minute to lay out (the child is forked with this in place).
    monkeypatch.setattr(fit, "fit_document", lambda *args: time.sleep(60))
    asked = time.monotonic()
    with pytest.raises(RenderTimedOut, match=r"longer than 0\.5 seconds") as stopped:
        fit_within(profile(3), ADULT, seconds=0.5)
    assert stopped.value.seconds == 0.5
    # Stopped, not waited for: well before the minute is up, and nothing is left running.
    assert time.monotonic() - asked < 30
    assert multiprocessing.active_children() == []
    monkeypatch.undo()
    # The process that asked is free to print again at once.
    assert fit_within(profile(3), ADULT, seconds=60).fits


def test_a_process_with_other_threads_prints_through_a_fork_server(monkeypatch):
    """Forking copies only one thread, so a threaded server must not fork itself."""
    import multiprocessing

    from profiles.render import child, fit_within

    methods = []
    get_context = multiprocessing.get_context

    def recording(method=None):
        methods.append(method)
        return get_context(method)

    monkeypatch.setattr(child.multiprocessing, "get_context", recording)
    assert fit_within(profile(3), ADULT, seconds=60).fits
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        assert threading.active_count() > 1
        assert fit_within(profile(3), ADULT, seconds=60).fits
    finally:
        stop.set()
        other.join()
    assert methods == ["fork", "forkserver"]


def test_a_problem_in_the_child_is_raised_in_the_process_that_asked():
    from profiles.render import fit_within

    with pytest.raises(ValueError, match="Unknown paper 'A3'"):
        fit_within(profile(1, paper="A3"), ADULT, seconds=60)


def imported_modules(path: Path, package: str) -> set[str]:
    """Every module a source file imports, relative imports resolved against its package."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module) if part)
            found.add(module)
            # "from . import fit" names a module too.
            found.update(f"{module}.{alias.name}" for alias in node.names if not node.module)
    return found


def test_the_renderer_takes_plain_data_and_reaches_nothing_of_the_app():
    """Render may use the kinds and its own modules; never models, database, services or app."""
    import json
    import subprocess
    import sys

    import profiles.render

    own = ("profiles.render", "profiles.kinds")
    web_and_database = ("flask", "flask_sqlalchemy", "flask_login", "flask_wtf", "sqlalchemy")
    sources = sorted(Path(profiles.render.__file__).parent.glob("*.py"))
    assert len(sources) >= 10
    for path in sources:
        for module in imported_modules(path, "profiles.render"):
            if module == "profiles" or module.startswith("profiles."):
                assert module.startswith(own), (path.name, module)
            assert module.split(".")[0] not in web_and_database, (path.name, module)
    # And as it runs: the whole renderer, the fork server's start included, loads no other
    # part of the app and no web or database library. The package's own __init__ (the app
    # factory) is stood in for, so that what the renderer loads is all that is loaded.
    package = Path(profiles.render.__file__).parents[1]
    code = (
        "import sys, json, types; "
        f"stand_in = types.ModuleType('profiles'); stand_in.__path__ = [{str(package)!r}]; "
        "sys.modules['profiles'] = stand_in; "
        "import profiles.render, profiles.render.fit, profiles.render.preload; "
        "print(json.dumps(sorted(sys.modules)))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    modules = json.loads(loaded.stdout)
    ours = {m for m in modules if m.startswith("profiles.")}
    assert ours and all(m.startswith(own) for m in ours), ours
    assert not {*web_and_database, "werkzeug"} & {m.split(".")[0] for m in modules}


@pytest.mark.parametrize("per_section", [2, 6, 9, 11, 13])
def test_any_first_size_gives_the_same_fit_and_the_right_one_saves_a_layout(per_section):
    """The printing service starts where the profile's earlier version printed."""
    document = profile(per_section, photo=photo())
    cold = fit_document(document, ADULT)
    for start in (10.0, 11.0, 12.25, 13.5, 14.0, cold.font_size):
        hinted = fit_document(document, ADULT, start=start)
        assert (hinted.fits, hinted.font_size) == (cold.fits, cold.font_size), start
        assert hinted.overflow == cold.overflow
    if cold.fits:
        assert fit_document(document, ADULT, start=cold.font_size).layouts == 1


def test_printing_sets_nothing_aside_from_the_garbage_collector():
    """A web worker's first print may come in the middle of a request: nothing of that
    request may be kept from the collector for the rest of the process's life."""
    import gc

    from profiles.render import fit_within

    frozen = gc.get_freeze_count()
    for _ in range(2):
        assert fit_within(profile(3), ADULT, seconds=60).fits
    assert gc.get_freeze_count() == frozen and gc.isenabled()


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("with_photo", [False, True])
@pytest.mark.parametrize("design", ["classic", "columns"])
def test_the_first_guess_is_the_fitted_size_or_a_step_from_it(design, paper, with_photo):
    """Only speed rides on the guess, so it is allowed a step; mostly it is right."""
    right = 0
    for per_section in range(2, 14):
        document = profile(per_section, paper=paper, **({"photo": photo()} if with_photo else {}))
        document["layout"]["design"] = design
        outcome = fit_document(document, ADULT)
        if not outcome.fits:
            continue
        guess = first_guess(document, get_design(design))
        assert abs(guess - outcome.font_size) <= 0.25, (per_section, guess, outcome.font_size)
        right += guess == outcome.font_size
        # A right guess makes a first print one layout, as a plain render is.
        assert outcome.layouts == 1 or guess != outcome.font_size
    assert right >= 7


def test_a_wrong_first_guess_costs_a_layout_and_never_the_size(monkeypatch):
    document = profile(9)
    right = fit_document(document, ADULT)
    for wrong in (10.0, 12.5, 14.0):
        monkeypatch.setattr(fit, "first_guess", lambda document, design, size=wrong: size)
        outcome = fit_document(document, ADULT)
        assert (outcome.fits, outcome.font_size) == (True, right.font_size)
        assert outcome.layouts >= 2


def test_a_print_runs_below_the_pages_served_beside_it(monkeypatch):
    """A print may wait a little; the pages other staff open meanwhile should not."""
    import os

    from profiles.render import child, fit_within
    from profiles.render.outcome import Outcome

    def report_priority(document, kind, start=None):
        return Outcome(True, "A4", font_size=float(os.nice(0)))

    monkeypatch.setattr(child.threading, "active_count", lambda: 1)  # forked from here
    monkeypatch.setattr(fit, "fit_document", report_priority)
    outcome = fit_within(profile(3), ADULT, seconds=60)
    assert outcome.font_size == os.nice(0) + child.PRINT_NICENESS


def test_a_process_that_serves_pages_is_ready_to_print_from_the_start(tmp_path):
    """It loads the layout engine and rehearses a print as it starts (gunicorn --preload
    then forks workers that have it all); a test app, like a command, leaves it for later."""
    import subprocess
    import sys

    script = (
        "from profiles import create_app\n"
        "from profiles.render import child\n"
        "create_app()\n"
        "print(child._prepared, child._rehearsing)\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "PROFILES_DATABASE_URL": f"sqlite:///{tmp_path / 'profiles.db'}",
        "PROFILES_SECRET_KEY": "test",
    }
    served = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert served.stdout.split() == ["True", "True"]
    testing = script.replace("create_app()", "create_app({'TESTING': True})")
    tested = subprocess.run(
        [sys.executable, "-c", testing], env=env, capture_output=True, text=True, check=True
    )
    assert tested.stdout.split() == ["False", "False"]
    rehearsed = subprocess.run(
        [sys.executable, "-c", "from profiles.render import rehearsal; rehearsal.rehearse()"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert not rehearsed.stderr
