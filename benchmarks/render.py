"""How long printing takes in one process: plain layouts, the app's fitted render, a cached repeat.

Run from the project root:  .venv/bin/python benchmarks/render.py
It prints the figures as Markdown for benchmarks/README.md.
"""

from __future__ import annotations

import base64
import io
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from profiles import create_app
from profiles.extensions import db
from profiles.kinds import load_kinds
from profiles.models import Organisation, Photo, Statement
from profiles.printing.service import print_profile
from profiles.render import fit, print_html
from profiles.render.child import load_engine
from profiles.render.designs import get_design
from profiles.render.fetcher import STATIC_DIR, StaticFetcher, static_url
from profiles.services import act_for, create_profile, get_profile, unit_of_work
from tests.samples import STATEMENTS

REPEATS = 9
KEYS = ("appreciation", "important", "support")
PER_SECTION = 9  # enough that the profile needs fitting: it lands between 11 and 12.5 point


def photo_bytes() -> bytes:
    image = Image.new("RGB", (480, 480), (120, 160, 200))
    ImageDraw.Draw(image).ellipse((120, 80, 360, 320), fill=(230, 190, 160))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def document() -> dict:
    """The profile every benchmark prints, in the file format."""
    items = [STATEMENTS[i % len(STATEMENTS)] for i in range(3 * PER_SECTION)]
    return {
        "format": "one-page-profile",
        "version": 1,
        "kind": "adult",
        "name": "Margaret Jones",
        "preferred_name": "Peggy",
        "language": "en",
        "written_by": "Peggy, with her daughter Ann and her keyworker Sam",
        "photo": {
            "media_type": "image/jpeg",
            "data": base64.b64encode(photo_bytes()).decode(),
            "description": "Peggy laughing in her garden",
        },
        "sections": [
            {"key": key, "items": items[i * PER_SECTION : (i + 1) * PER_SECTION]}
            for i, key in enumerate(KEYS)
        ],
        "review_due": "2027-05-26",
        "layout": {"design": "classic", "paper": "A4"},
    }


def timed(functions: dict, repeats: int = REPEATS) -> dict[str, float]:
    """The median wall time of each function, run in turn round after round.

    Taking turns spreads any noise from the rest of the machine over all of them alike.
    One round first warms up what is loaded once per process (fonts, templates).
    """
    times: dict[str, list[float]] = {name: [] for name in functions}
    for round_ in range(repeats + 1):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            if round_:
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def plain(html: str, fonts=None) -> bytes:
    """One WeasyPrint layout written to PDF, as anyone would call it: the stylesheet is read
    and parsed each time, and the fonts too unless a font configuration is kept."""
    import weasyprint

    fonts = fonts or weasyprint.text.fonts.FontConfiguration()
    fetcher = StaticFetcher()
    css = weasyprint.CSS(
        url=static_url(get_design("classic").stylesheet), url_fetcher=fetcher, font_config=fonts
    )
    page = weasyprint.HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
    return page.write_pdf(stylesheets=[css], font_config=fonts, **fit.PDF_OPTIONS)


def in_a_new_thread(function) -> None:
    """Run function in a thread of its own, as a development server runs each request."""
    thread = threading.Thread(target=function)
    thread.start()
    thread.join()


def cached_repeat(folder: str):
    """A profile in a fresh SQLite app, printed once, and a function that prints it again."""
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "benchmark", "DATABASE_URL": f"sqlite:///{folder}/b.db"}
    )
    doc = document()
    with app.app_context(), unit_of_work():
        organisation = Organisation(name="Benchmark Care Home", slug="benchmark-care-home")
        db.session.add(organisation)
        db.session.flush()
        act_for(organisation_id := organisation.id)
        profile = create_profile("adult", doc["name"], doc["preferred_name"], doc["written_by"])
        for section in profile.sections:
            items = next(s["items"] for s in doc["sections"] if s["key"] == section.key)
            section.statements = [Statement(position=i, text=t) for i, t in enumerate(items)]
        data = base64.b64decode(doc["photo"]["data"])
        profile.photo = Photo(
            media_type="image/jpeg", data=data, width=480, height=480,
            description=doc["photo"]["description"], sha256="0" * 64,
        )  # fmt: skip
        db.session.flush()
        profile_id = profile.id
    with app.app_context():
        act_for(organisation_id)
        assert not print_profile(get_profile(profile_id)).cached

    def repeat():
        # As a request would: a fresh session, the profile loaded, then the print.
        with app.app_context():
            act_for(organisation_id)  # as signing in does
            outcome = print_profile(get_profile(profile_id))
            assert outcome.cached and outcome.fits
            db.session.remove()

    return app, repeat


def fonts_read(function) -> int:
    """How many font files the layout engine reads while function runs."""
    from weasyprint.text.fonts import FontConfiguration

    add = FontConfiguration.add_font_face
    read = []

    def counting(self, rule_descriptors, url_fetcher):
        def fetcher(url, *args, **kwargs):
            read.append(url)
            return url_fetcher(url, *args, **kwargs)

        return add(self, rule_descriptors, fetcher)

    FontConfiguration.add_font_face = counting
    try:
        function()
    finally:
        FontConfiguration.add_font_face = add
    return len(read)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    load_engine()
    kind = load_kinds()["adult"]
    doc = document()
    outcome = fit.fit_document(doc, kind)
    html = print_html(doc, kind, outcome.font_size)
    kept = fit.font_config()
    with tempfile.TemporaryDirectory() as folder:
        app, repeat = cached_repeat(folder)
        medians = timed(
            {
                "plain": lambda: plain(html),
                "warm": lambda: plain(html, kept),
                "fitted": lambda: fit.fit_document(doc, kind),
                "threaded": lambda: in_a_new_thread(lambda: fit.fit_document(doc, kind)),
                "cached": repeat,
            }
        )
        with app.app_context():
            db.engine.dispose()
    # Fonts: a fresh process-wide configuration reads each bundled font once, and no more
    # for any later print, in this thread or another.
    fit._fonts, fit._stylesheets = None, {}
    first = fonts_read(lambda: fit.fit_document(doc, kind))
    later = fonts_read(
        lambda: [fit.fit_document(doc, kind), in_a_new_thread(lambda: fit.fit_document(doc, kind))]
    )
    a, a_warm = medians["plain"], medians["warm"]
    b, c = medians["fitted"], medians["cached"]
    import weasyprint

    print(f"Machine: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}; "
          f"WeasyPrint {weasyprint.__version__}; {date.today().isoformat()}")  # fmt: skip
    print(f"Profile: 3 sections of {PER_SECTION} statements and a photo, A4; fitted at "
          f"{outcome.font_size:g} pt in {outcome.layouts} layouts; "
          f"medians of {REPEATS} rounds after a warm-up round.")  # fmt: skip
    print()
    print("| measurement | median | ratio to (a') |")
    print("|---|---:|---:|")
    rows = [
        ("(a) one plain `write_pdf()` at the fitted size, fonts read afresh", a),
        ("(a') the same, keeping its fonts", a_warm),
        ("(b) `fit_document`: the fitted render", b),
        ("(b') the same in a new thread, as a threaded server runs a request", medians["threaded"]),
        ("(c) `print_profile` repeat, unchanged content (cache)", c),
    ]  # fmt: skip
    for label, seconds in rows:
        print(f"| {label} | {seconds * 1000:.1f} ms | {seconds / a_warm:.3f} |")
    print()
    print(f"b/a' = {b / a_warm:.2f} (target <= 1.5); b/a = {b / a:.2f}; "
          f"b'/b = {medians['threaded'] / b:.2f}; c/a = {c / a:.3f}")  # fmt: skip
    print(f"Font files read: {first} by the first print of a process, {later} by two more "
          "(one in another thread).")  # fmt: skip


if __name__ == "__main__":
    main()
