"""How long printing takes in one process: plain layouts, the app's fitted render, a cached repeat.

Run from the project root:  .venv/bin/python benchmarks/render.py [--instructions]
It prints the figures as Markdown for benchmarks/README.md.

With --instructions it also counts, under valgrind's callgrind, the instructions each kind
of print executes (the same count on every run, whatever else the machine is doing): a
process that has loaded everything and printed once runs each kind COUNTED times more,
and the count of a process that stops there is taken off. It takes several minutes.
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
from profiles.render import DESIGNS, fit, print_html
from profiles.render.child import load_engine
from profiles.render.designs import get_design
from profiles.render.fetcher import STATIC_DIR, StaticFetcher, static_url
from profiles.services import act_for, create_profile, get_profile, unit_of_work
from tests.samples import STATEMENTS

REPEATS = 15
COUNTED = 3
KEYS = ("appreciation", "important", "support")
PER_SECTION = 9  # enough that the profile needs fitting: it lands at 10.5 to 11 point


def photo_bytes() -> bytes:
    image = Image.new("RGB", (480, 480), (120, 160, 200))
    ImageDraw.Draw(image).ellipse((120, 80, 360, 320), fill=(230, 190, 160))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def document(design: str = "classic", per_section: int = PER_SECTION) -> dict:
    """The profile every benchmark prints, in the file format, in this design."""
    items = [STATEMENTS[i % len(STATEMENTS)] for i in range(3 * per_section)]
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
            {"key": key, "items": items[i * per_section : (i + 1) * per_section]}
            for i, key in enumerate(KEYS)
        ],
        "review_due": "2027-05-26",
        "layout": {"design": design, "paper": "A4"},
    }


def timed(functions: dict, repeats: int = REPEATS) -> dict[str, tuple[float, float]]:
    """The median wall time and CPU time of each function, run in turn round after round.

    Taking turns spreads any noise from the rest of the machine over all of them alike;
    CPU time is what the work itself cost, whatever else the machine was doing. One round
    first warms up what is loaded once per process (fonts, templates).
    """
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in functions}
    for round_ in range(repeats + 1):
        for name, function in functions.items():
            wall, cpu = time.perf_counter(), time.process_time()
            function()
            if round_:
                times[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    return {
        name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
        for name, values in times.items()
    }


def plain(html: str, fonts=None, design: str = "classic") -> bytes:
    """One WeasyPrint layout written to PDF, as anyone would call it: the stylesheet is read
    and parsed each time, and the fonts too unless a font configuration is kept."""
    import weasyprint

    fonts = fonts or weasyprint.text.fonts.FontConfiguration()
    fetcher = StaticFetcher()
    css = weasyprint.CSS(
        url=static_url(get_design(design).stylesheet), url_fetcher=fetcher, font_config=fonts
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


def counting(kind_of_print: str) -> None:
    """Load everything and print once, then print this kind COUNTED times (none for 'ready')."""
    load_engine()
    kind = load_kinds()["adult"]
    doc = document()
    size = fit.fit_document(doc, kind).font_size
    html = print_html(doc, kind, size)
    kept = fit.font_config()
    plain(html, kept)
    prints = {
        "ready": lambda: None,
        "warm": lambda: plain(html, kept),
        "fitted": lambda: fit.fit_document(doc, kind),
        "restarted": lambda: fit.fit_document(doc, kind, start=size),
    }
    for _ in range(0 if kind_of_print == "ready" else COUNTED):
        prints[kind_of_print]()


def instructions() -> dict[str, float]:
    """Instructions per print of each kind, counted by callgrind."""
    import re
    import subprocess

    counts = {}
    for name in ("ready", "warm", "fitted", "restarted"):
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
             sys.executable, __file__, "--count", name],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        counts[name] = int(re.search(r"Collected : (\d+)", result.stderr).group(1))
    return {name: (counts[name] - counts["ready"]) / COUNTED for name in counts if name != "ready"}


def per_design(
    kind, kept, repeats: int = REPEATS
) -> list[tuple[str, int, float, int, tuple, tuple]]:
    """For each design: the statements a section it holds of the benchmark's profile, the
    fitted size and layouts, and the medians of one plain render of
    the same layout at that size (keeping its fonts) and of the fitted render, in turn."""
    rows = []
    for name in DESIGNS:
        # The benchmark's profile, or as much of it as the design's page holds (easy read's
        # 14pt holds fewer statements).
        per_section = PER_SECTION
        while not (outcome := fit.fit_document(doc := document(name, per_section), kind)).fits:
            per_section -= 1
        html = print_html(doc, kind, outcome.font_size)
        medians = timed(
            {
                "plain": lambda html=html, name=name: plain(html, kept, name),
                "fitted": lambda doc=doc: fit.fit_document(doc, kind),
            },
            repeats,
        )
        fitted_at, layouts = outcome.font_size, outcome.layouts
        rows.append((name, per_section, fitted_at, layouts, medians["plain"], medians["fitted"]))
    return rows


def main() -> None:
    if "--count" in sys.argv:
        counting(sys.argv[sys.argv.index("--count") + 1])
        return
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
                "restarted": lambda: fit.fit_document(doc, kind, start=outcome.font_size),
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
    a, a_warm = medians["plain"][1], medians["warm"][1]
    b, c = medians["fitted"][1], medians["cached"][1]
    restarted, threaded = medians["restarted"][1], medians["threaded"][1]
    import weasyprint

    print(f"Machine: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}; "
          f"WeasyPrint {weasyprint.__version__}; {date.today().isoformat()}")  # fmt: skip
    layouts = f"{outcome.layouts} layout{'' if outcome.layouts == 1 else 's'}"
    print(f"Profile: 3 sections of {PER_SECTION} statements and a photo, A4; fitted at "
          f"{outcome.font_size:g} pt in {layouts}; "
          f"medians of {REPEATS} rounds after a warm-up round.")  # fmt: skip
    print()
    print("| measurement | wall, median | CPU, median | CPU ratio to (a') |")
    print("|---|---:|---:|---:|")
    rows = [
        ("(a) one plain `write_pdf()` at the fitted size, fonts read afresh", "plain"),
        ("(a') the same, keeping its fonts", "warm"),
        ("(b) `fit_document`: the fitted render", "fitted"),
        ("(b') the same, starting at the size it last printed at", "restarted"),
        ("(b'') the same as (b), in a new thread as a threaded server would", "threaded"),
        ("(c) `print_profile` repeat, unchanged content (cache)", "cached"),
    ]  # fmt: skip
    for label, key in rows:
        wall, cpu = medians[key]
        print(f"| {label} | {wall * 1000:.1f} ms | {cpu * 1000:.1f} ms | {cpu / a_warm:.3f} |")
    print()
    print(f"CPU: b/a' = {b / a_warm:.2f} (target <= 1.5); b'/a' = {restarted / a_warm:.2f}; "
          f"b/a = {b / a:.2f}; b''/b = {threaded / b:.2f}; c/a = {c / a:.3f}")  # fmt: skip
    print(f"Font files read: {first} by the first print of a process, {later} by two more "
          "(one in another thread).")  # fmt: skip
    print()
    print("Each design, the same profile: the fitted render against one plain render of the "
          "same layout at the size it fits at, keeping its fonts (target: at most 2).")  # fmt: skip
    print()
    print("| design | statements a section | fitted at | layouts | plain, CPU median | "
          "fitted, CPU median | ratio |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, each, size, count, (_, plain_cpu), (_, fitted_cpu) in per_design(kind, kept):
        print(f"| {name} | {each} | {size:g} pt | {count} | {plain_cpu * 1000:.1f} ms | "
              f"{fitted_cpu * 1000:.1f} ms | {fitted_cpu / plain_cpu:.2f} |")  # fmt: skip
    if "--instructions" in sys.argv:
        counts = instructions()
        print()
        print("| print | instructions | ratio to (a') |")
        print("|---|---:|---:|")
        for label, key in (("(a') plain, keeping its fonts", "warm"), ("(b) fitted", "fitted"),
                           ("(b') fitted from its last size", "restarted")):  # fmt: skip
            print(f"| {label} | {counts[key] / 1e6:.0f} M | {counts[key] / counts['warm']:.2f} |")


if __name__ == "__main__":
    main()
