"""Every print design, on every paper: one page, tagged, the photo whole, the accent and
logo printed, and the largest size that fits.

Parametrised over DESIGNS, so a design added later is held to the same promises. Each
layout is slow, so each test lays a page out once and checks all it can on it.
"""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from profiles.kinds import load_kinds
from profiles.render import DESIGNS, print_html
from profiles.render.designs import STEP, get_design
from profiles.render.fit import fit_document, layout
from profiles.render.measure import measure

from .samples import STATEMENTS, generated
from .test_render import glyphs_by_font, page_size, squashed, structure, text_of

KINDS = load_kinds()
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
POINTS = {"A4": (595, 842), "Letter": (612, 792), "A5": (420, 595)}
MM = 72 / 25.4  # PDF points in a millimetre
EMOJI = "Music ♪ makes me ☺ and I ❤ my cat 😀 👍 🎵"


def picture(width: int, height: int, fmt: str = "JPEG") -> str:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (120, 160, 200)).save(out, fmt)
    return base64.b64encode(out.getvalue()).decode()


def photo(width: int = 300, height: int = 450, crop: str = "whole") -> dict:
    return {
        "media_type": "image/jpeg",
        "data": picture(width, height),
        "description": "Peggy laughing in her garden",
        "crop": crop,
        "width": width,
        "height": height,
    }


def documents() -> dict[str, dict]:
    """The repository's example profiles, and a generated profile of every kind."""
    found = {path.stem: json.loads(path.read_text()) for path in sorted(EXAMPLES.glob("*.json"))}
    assert {"adult", "team"} <= set(found)
    for key, kind in KINDS.items():
        found[f"generated {key}"] = generated(kind, 3, photo=photo())
    return found


DOCUMENTS = documents()


def with_layout(document: dict, design: str, paper: str) -> dict:
    return {**document, "layout": {"design": design, "paper": paper}}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
@pytest.mark.parametrize("paper", ["A4", "Letter", "A5"])
@pytest.mark.parametrize("design", sorted(DESIGNS))
def test_every_design_prints_every_kind_on_one_page_or_says_what_to_shorten(design, paper, name):
    document = with_layout(DOCUMENTS[name], design, paper)
    outcome = fit_document(document, KINDS[document["kind"]])
    if paper == "A5" and not outcome.fits:
        # Too long for a bedside frame at the design's floor: refused, never printed smaller.
        assert outcome.pdf is None and outcome.font_size is None
        assert outcome.overflow and outcome.messages
        keys = {s["key"] for s in document["sections"] if s["items"]}
        assert {item["key"] for item in outcome.overflow} <= keys
        return
    assert outcome.fits, outcome.messages
    assert get_design(design).floor <= outcome.font_size <= get_design(design).largest
    assert len(PdfReader(io.BytesIO(outcome.pdf)).pages) == 1
    assert page_size(outcome.pdf) == POINTS[paper]
    text = text_of(outcome.pdf)
    assert squashed(document["name"]) in text
    for section in document["sections"]:
        for item in section["items"]:
            assert squashed(item) in text, (section["key"], item)
    for fact in document.get("facts", ()):
        assert squashed(fact["value"]) in text


@pytest.mark.parametrize("design", sorted(DESIGNS))
def test_a_profile_too_long_for_a5_is_refused_with_what_to_shorten(design):
    # Easy read's 14pt floor holds fewer statements on A4 than the other designs.
    statements = 6 if DESIGNS[design].floor >= 14 else 9
    document = with_layout(generated(KINDS["adult"], statements), design, "A5")
    outcome = fit_document(document, KINDS["adult"])
    assert not outcome.fits and outcome.pdf is None
    assert outcome.messages and all("remove about" in m for m in outcome.messages)
    # On A4 the same profile prints: A5 refuses rather than shrinking below its floor.
    assert fit_document(with_layout(document, design, "A4"), KINDS["adult"]).fits


def fills(pdf: bytes) -> list[tuple[float, ...]]:
    """Every colour the page draws or fills with (rg, RG operators), as 0-1 RGB."""
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    colours = []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator in (b"rg", b"RG") and len(operands) == 3:
            colours.append(tuple(float(value) for value in operands))
    return colours


def drawn_images(pdf: bytes) -> dict[tuple[int, int], tuple[float, float]]:
    """Each image drawn on the page, by its pixel size: the width and height it is drawn
    at, in PDF points (WeasyPrint scales CSS px to points by 0.75 once, at the start)."""
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    images = {
        name: image.get_object()
        for name, image in page["/Resources"]["/XObject"].items()
        if image.get_object()["/Subtype"] == "/Image"
    }
    drawn, matrix = {}, None
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"cm":
            matrix = [float(value) for value in operands]
        elif operator == b"Do" and operands[0] in images and matrix:
            image = images[operands[0]]
            size = (int(image["/Width"]), int(image["/Height"]))
            drawn[size] = (abs(matrix[0]) * 0.75, abs(matrix[3]) * 0.75)
    return drawn


@pytest.mark.parametrize("design", sorted(DESIGNS))
def test_every_design_is_tagged_and_prints_the_photo_whole_with_accent_and_logo(design):
    accent = "#5b2a86"
    logo = {
        "media_type": "image/png",
        "data": picture(400, 120, "PNG"),
        "description": "Riverside Care",
    }
    document = with_layout(
        generated(
            KINDS["hospital"],
            2,
            language="cy",
            photo=photo(300, 450),
            branding={"accent": accent, "logo": logo},
        ),
        design,
        "A4",
    )
    document["sections"][2]["items"] = [EMOJI]
    outcome = fit_document(document, KINDS["hospital"])
    assert outcome.fits
    reader = PdfReader(io.BytesIO(outcome.pdf))
    # Tagged PDF/UA-1: title, language, headings, lists, and the pictures' alt text.
    assert reader.metadata.title == "Margaret Okafor"
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "cy" and catalog["/MarkInfo"]["/Marked"]
    elements = structure(catalog["/StructTreeRoot"])
    roles = {element.get("/S") for element in elements}
    assert {"/H1", "/H2", "/L", "/LI"} <= roles, roles
    alts = {(e["/S"], e["/Alt"]) for e in elements if "/Alt" in e}
    assert ("/Figure", "Peggy laughing in her garden") in alts
    assert ("/Figure", "Riverside Care") in alts
    # The organisation's colour is drawn (headings, rules or borders).
    wanted = tuple(int(accent[i : i + 2], 16) / 255 for i in (1, 3, 5))
    assert any(
        all(abs(a - b) < 0.01 for a, b in zip(c, wanted, strict=True)) for c in fills(outcome.pdf)
    )
    # The whole photo, uncropped: drawn in its own shape, 2 wide to 3 high.
    width, height = drawn_images(outcome.pdf)[(300, 450)]
    assert width / height == pytest.approx(300 / 450, rel=0.01)
    # An allergy is marked in words and a sign, not colour alone (easy read and the passport
    # draw the sign as a picture beside the words: their own tests check it is there).
    text = text_of(outcome.pdf)
    assert squashed("Penicillin: a rash and swelling") in text
    assert "⚠" in text or design in ("easy-read", "passport")
    # Symbols and emoji print as glyphs of the bundled fonts, never as an empty box.
    assert squashed(EMOJI) in text
    drawn = glyphs_by_font(outcome.pdf)
    assert "Bundled-Noto-Emoji" in drawn
    assert all(name.startswith(("AHN-Latin", "Bundled-")) for name in drawn), drawn
    assert all(0 not in glyphs for glyphs in drawn.values()), drawn


@pytest.mark.parametrize("design", ["classic", "columns"])
@pytest.mark.parametrize("crop", ["whole", "top"])
def test_the_photo_prints_at_least_5_cm_wide_on_a4(design, crop):
    document = with_layout(generated(KINDS["adult"], 2, photo=photo(400, 400, crop)), design, "A4")
    outcome = fit_document(document, KINDS["adult"])
    width, height = drawn_images(outcome.pdf)[(400, 400)]
    assert width >= 50 * MM - 0.5 and height == pytest.approx(width, rel=0.01)


def largest_that_fits(document: dict, kind, design) -> float | None:
    """The largest size, in steps from the design's largest down, whose layout fits."""
    size = design.largest
    while size >= design.floor:
        if measure(layout(document, kind, size), size).fits:
            return size
        size -= STEP
    return None


VARIED = {
    "adult, long statements": lambda: generated(KINDS["adult"], 7, photo=photo(300, 300)),
    "child, four sections": lambda: generated(KINDS["child"], 5),
    "hospital, facts": lambda: generated(KINDS["hospital"], 6, photo=photo(300, 450, "top")),
    "team, one long section": lambda: {
        **generated(KINDS["team"], 2),
        "sections": [
            {"key": "purpose", "items": STATEMENTS[:2]},
            {"key": "appreciation", "items": STATEMENTS[2:4]},
            {"key": "important", "items": STATEMENTS * 1},
            {"key": "support", "items": STATEMENTS[5:7]},
        ],
    },
}


@pytest.mark.parametrize("name", sorted(VARIED))
@pytest.mark.parametrize("design", ["classic", "columns"])
def test_the_fit_finds_the_largest_size_a_real_layout_fits_at(design, name):
    """Checked against laying the page out at every step from the largest down."""
    document = with_layout(VARIED[name](), design, "A4" if "child" not in name else "Letter")
    kind = KINDS[document["kind"]]
    outcome = fit_document(document, kind)
    expected = largest_that_fits(document, kind, get_design(design))
    assert outcome.font_size == expected, (outcome.font_size, expected, outcome.layouts)
    assert outcome.layouts <= 3


@pytest.mark.parametrize("paper", ["A4", "A5"])
@pytest.mark.parametrize("design", sorted(DESIGNS))
def test_the_advice_on_what_to_shorten_is_enough_in_every_design(design, paper):
    """In columns side by side only the tallest column sets the page's height: the advice
    must shorten that one, and by enough, whichever statements are taken out."""
    kind = KINDS["child"] if paper == "A4" else KINDS["hospital"]
    if paper == "A5" and DESIGNS[design].floor >= 14:
        # At easy read's 14pt a hospital passport's key facts alone fill an A5 page, and no
        # shortening of sections would be enough: an adult's profile shows the advice.
        kind = KINDS["adult"]
    document = with_layout(generated(kind, 9 if paper == "A4" else 6), design, paper)
    document["sections"][-1]["items"] = (STATEMENTS * 2)[:15]
    outcome = fit_document(document, kind)
    assert not outcome.fits and outcome.overflow
    for item in outcome.overflow:
        section = next(s for s in document["sections"] if s["key"] == item["key"])
        assert 1 <= item["remove"] < len(section["items"])
        section["items"] = section["items"][item["remove"] :]  # the first ones, this time
    assert fit_document(document, kind).fits


@pytest.mark.parametrize("design", sorted(DESIGNS))
def test_the_preview_shows_each_paper_at_its_size(design):
    from profiles.render import Screen
    from profiles.render.fetcher import STATIC_DIR

    document = with_layout(generated(KINDS["adult"], 2), design, "A5")
    html = print_html(document, KINDS["adult"], 12, Screen(asset=lambda path: f"/static/{path}"))
    assert 'class="paper-a5"' in html
    assert f'href="/static/{get_design(design).stylesheet}"' in html
    sheet = STATIC_DIR / get_design(design).stylesheet
    css = sheet.read_text()
    for imported in re.findall(r'@import url\("([^"]+)"\)', css):
        css += (sheet.parent / imported).read_text()
    screen = "".join(part.split("}\n}")[0] for part in css.split("@media screen")[1:])
    assert ".paper-a5" in screen and "148mm" in screen and "215.9mm" in screen


@pytest.mark.parametrize("design", sorted(DESIGNS))
def test_an_nhs_number_and_a_phone_number_never_break_over_two_lines(design):
    """In a narrow column a number split over two lines is easily misread."""
    document = with_layout(generated(KINDS["hospital"], 2), design, "A4")
    document["facts"] = [
        {"label": "NHS number", "value": "943 476 5919"},
        {"label": "Next of kin's phone number", "value": "07700 900123"},
        {"label": "Who knows me best", "value": "Sam at Riverside Care Home, 01632 960123"},
        {"label": "GP", "value": "Dr Patel, Riverside Surgery, 12 High Street, Llandeilo"},
    ]
    outcome = fit_document(document, KINDS["hospital"])
    lines = [" ".join(line.split()) for line in text_of_lines(outcome.pdf)]
    assert any("943 476 5919" in line for line in lines), lines
    assert any("07700 900123" in line for line in lines), lines
    assert any("01632 960123" in line for line in lines), lines


def text_of_lines(pdf: bytes) -> list[str]:
    """The page's text, line by line as it is laid out."""
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()
