"""How long printing takes: one plain layout, the app's fitted render, and a cached repeat.

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
import time
from datetime import date
from pathlib import Path

import weasyprint
from flask import g
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from profiles import create_app
from profiles.accounts.services import create_organisation
from profiles.extensions import db
from profiles.kinds import load_kinds
from profiles.models import Photo, Statement
from profiles.render import fit_document, print_html, render_profile
from profiles.render.fetcher import STATIC_DIR, StaticFetcher
from profiles.render.fit import PDF_OPTIONS, font_config
from profiles.services import create_profile, get_profile
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
    """One WeasyPrint layout written to PDF, as anyone would call it."""
    page = weasyprint.HTML(
        string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=StaticFetcher()
    )
    return page.write_pdf(font_config=fonts, **PDF_OPTIONS)


def cached_repeat(folder: str):
    """A profile in a fresh SQLite app, rendered once, and a function that renders it again."""
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "benchmark", "DATABASE_URL": f"sqlite:///{folder}/b.db"}
    )
    doc = document()
    with app.app_context():
        organisation = create_organisation("Benchmark Care Home")
        db.session.flush()
        organisation_id = g.organisation_id = organisation.id
        profile = create_profile("adult", doc["name"], doc["preferred_name"], doc["written_by"])
        for section in profile.sections:
            items = next(s["items"] for s in doc["sections"] if s["key"] == section.key)
            section.statements = [Statement(position=i, text=t) for i, t in enumerate(items)]
        data = base64.b64decode(doc["photo"]["data"])
        profile.photo = Photo(
            media_type="image/jpeg", data=data, width=480, height=480,
            description=doc["photo"]["description"], sha256="0" * 64,
        )  # fmt: skip
        db.session.commit()
        profile_id = profile.id
        assert not render_profile(profile).cached

    def repeat():
        # As a request would: a fresh session, the profile loaded, then the render.
        with app.app_context():
            g.organisation_id = organisation_id  # as signing in sets it
            outcome = render_profile(get_profile(profile_id))
            assert outcome.cached and outcome.fits
            db.session.remove()

    return app, repeat


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    kind = load_kinds()["adult"]
    doc = document()
    outcome = fit_document(doc, kind)
    html = print_html(doc, kind, outcome.font_size, assets="pdf")
    with tempfile.TemporaryDirectory() as folder:
        app, repeat = cached_repeat(folder)
        medians = timed(
            {
                "plain": lambda: plain(html),
                "warm": lambda: plain(html, font_config()),
                "fitted": lambda: fit_document(doc, kind),
                "cached": repeat,
            }
        )
        with app.app_context():
            db.engine.dispose()
    plain_median, warm_median = medians["plain"], medians["warm"]
    fitted_median, cached_median = medians["fitted"], medians["cached"]
    print(f"Machine: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}; "
          f"WeasyPrint {weasyprint.__version__}; {date.today().isoformat()}")  # fmt: skip
    print(f"Profile: 3 sections of {PER_SECTION} statements and a photo, A4; fitted at "
          f"{outcome.font_size:g} pt in {outcome.layouts} layouts; "
          f"medians of {REPEATS} rounds after a warm-up round.")  # fmt: skip
    print()
    print("| measurement | median | ratio to (a) |")
    print("|---|---:|---:|")
    rows = [
        ("(a) one plain `HTML(...).write_pdf()` at the fitted size", plain_median),
        ("(a') the same, reusing the decoded fonts", warm_median),
        ("(b) `fit_document`: the fitted render", fitted_median),
        ("(c) `render_profile` repeat, unchanged content (cache)", cached_median),
    ]
    for label, seconds in rows:
        print(f"| {label} | {seconds * 1000:.1f} ms | {seconds / plain_median:.3f} |")
    print()
    print(f"b/a = {fitted_median / plain_median:.2f} (target <= 2.0); "
          f"b/a' = {fitted_median / warm_median:.2f}; "
          f"c/a = {cached_median / plain_median:.3f} (target <= 0.05)")  # fmt: skip


if __name__ == "__main__":
    main()
