"""Printing many: a batch through the job path against plain WeasyPrint, and its memory.

Run from the project root:  .venv/bin/python benchmarks/batch.py [--profiles 100] [--memory 300]
It prints the figures as Markdown for benchmarks/README.md.

Each batch runs in a fresh `python -c` process: the prints are started by a fork server
(the job's process has several threads), and multiprocessing runs the parent's main
script again in each process it starts that way; a script like this one would then be
imported again for every print, as an app served by gunicorn or flask is not.

(a) N different generated profiles, nothing cached, printed through the job path (a print
    job run as the web app runs it without Redis: a thread, its prints laid out in child
    processes, one per core), against the same N rendered one after another with plain
    WeasyPrint in one process, each at the size the job fitted it to.
(b) The peak memory of a process running a batch of M profiles with photos, and of all its
    children (the fork server and the prints forked from it), sampled from outside.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader
from render import cpu_model, plain

from profiles import create_app
from profiles.batch.jobs import create_job
from profiles.extensions import db
from profiles.models import Organisation, Photo, PrintJob, RenderResult, Statement
from profiles.render import print_html
from profiles.render.child import load_engine
from profiles.services import act_for, create_profile, get_kind, unit_of_work
from tests.samples import STATEMENTS

ROOT = Path(__file__).resolve().parents[1]
FIRST = ["Ada", "Ben", "Cara", "Dai", "Efa", "Femi", "Gwen", "Hari", "Iolo", "Jan", "Kofi", "Lea"]
LAST = ["Brown", "Carter", "Davies", "Evans", "Fox", "Green", "Hughes", "Iqbal", "Jones", "Khan"]
KEYS = ("appreciation", "important", "support")


def name(i: int) -> str:
    return f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]} {i}"


def statements(i: int) -> dict[str, list[str]]:
    """Between 3 and 8 statements a section, different for each profile."""
    count = 3 + i % 6
    return {
        key: [
            f"{STATEMENTS[(i + k * 5 + n) % len(STATEMENTS)]} ({name(i)}, {key} {n + 1})"
            for n in range(count)
        ]
        for k, key in enumerate(KEYS)
    }


def photo(i: int) -> bytes:
    image = Image.new("RGB", (480, 480), (100 + i % 100, 160, 200 - i % 100))
    ImageDraw.Draw(image).ellipse((120, 80, 360, 320), fill=(230, 190, 160))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def set_up(folder: str, count: int, photos: bool = False):
    """A fresh SQLite app holding count different profiles; (app, organisation, ids)."""
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "benchmark", "DATABASE_URL": f"sqlite:///{folder}/b.db"}
    )
    ids = []
    with app.app_context(), unit_of_work():
        organisation = Organisation(name="Benchmark Care Home", slug="benchmark-care-home")
        db.session.add(organisation)
        db.session.flush()
        act_for(organisation_id := organisation.id)
        for i in range(count):
            profile = create_profile("adult", name(i))
            texts = statements(i)
            for section in profile.sections:
                section.statements = [
                    Statement(position=n, text=t) for n, t in enumerate(texts.get(section.key, []))
                ]
            if photos:
                data = photo(i)
                profile.photo = Photo(
                    media_type="image/jpeg", data=data, width=480, height=480,
                    description="A photo", sha256=hashlib.sha256(data).hexdigest(),
                )  # fmt: skip
            db.session.flush()
            ids.append(profile.id)
    return app, organisation_id, ids


def run_batch(app, organisation_id: int, ids: list[int], paper: str = "A4") -> PrintJob:
    """Print the profiles as one job, the way the web app does without Redis; wait for it."""
    with app.app_context():
        act_for(organisation_id)
        with unit_of_work():
            job_id = create_job("Benchmark", ids, paper, False, None).id
        while True:
            db.session.rollback()
            job = db.session.get(PrintJob, job_id, populate_existing=True)
            if job.state not in ("queued", "running"):
                assert job.state == "done", job.state
                db.session.expunge(job)
                return job
            time.sleep(0.02)


def fitted_documents(app, organisation_id: int, ids: list[int]) -> list[tuple[dict, float]]:
    """Each profile's print document and the size the job fitted it at."""
    from profiles.printing.service import print_document
    from profiles.services import find_profile

    out = []
    with app.app_context():
        act_for(organisation_id)
        for profile_id in ids:
            profile = find_profile(profile_id)
            size = db.session.scalar(
                db.select(RenderResult.font_size).where(RenderResult.profile_id == profile_id)
            )
            out.append((print_document(profile), size))
    return out


def plain_path(documents: list[tuple[dict, float]], kind) -> float:
    """Seconds to render every document one after another with plain WeasyPrint (a plain
    write_pdf as anyone calls it: see render.py)."""
    started = time.perf_counter()
    for document, size in documents:
        plain(print_html(document, kind, size))
    return time.perf_counter() - started


def speed(count: int) -> dict[str, float]:
    """(a): the job path and the plain renders of the same count profiles, in seconds."""
    with tempfile.TemporaryDirectory() as folder:
        app, organisation_id, ids = set_up(folder, count + 1)
        # Both paths start warm: the job path's fork server running, plain's engine loaded.
        run_batch(app, organisation_id, ids[-1:])
        load_engine()
        started, cpu = time.perf_counter(), cpu_seconds()
        job = run_batch(app, organisation_id, ids[:count])
        job_seconds, job_cpu = time.perf_counter() - started, cpu_seconds() - cpu
        assert job.done == count and not job.failures, job.failures
        with app.app_context():
            kind = get_kind("adult")
        documents = fitted_documents(app, organisation_id, ids[:count])
        plain_path(documents[:1], kind)
        cpu = cpu_seconds()
        plain_seconds = plain_path(documents, kind)
        plain_cpu = cpu_seconds() - cpu
        with app.app_context():
            db.engine.dispose()
    return {
        "job": job_seconds, "plain": plain_seconds, "pages": count,
        "job_cpu": job_cpu, "plain_cpu": plain_cpu,
    }  # fmt: skip


def cpu_seconds() -> float:
    """CPU time used so far by this process and by every print: the fork server's children
    are its own, and it waits for each, so their time is counted in its stat."""
    from multiprocessing import forkserver

    total = time.process_time()
    server = getattr(forkserver._forkserver, "_forkserver_pid", None)
    if server:
        fields = Path(f"/proc/{server}/stat").read_text().rsplit(")", 1)[1].split()
        # utime, stime, cutime, cstime: fields 14 to 17 of stat, in clock ticks.
        total += sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return total


def in_a_process(call: str) -> subprocess.Popen:
    """Start call (this module's function and its arguments) in a fresh `python -c` process
    that prints its answer as JSON."""
    code = (
        f"import sys, json; sys.path[:0] = {[str(ROOT), str(ROOT / 'benchmarks')]!r}; "
        f"import batch; print(json.dumps(batch.{call}))"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )


def answer(process: subprocess.Popen) -> dict:
    out, _ = process.communicate()
    assert process.returncode == 0, process.returncode
    return json.loads(out.splitlines()[-1])


def memory_run(folder: str, count: int) -> int:
    """In a process of its own: print count profiles with photos as one job."""
    app, organisation_id, ids = set_up(folder, count, photos=True)
    Path(folder, "ready").touch()
    job = run_batch(app, organisation_id, ids)
    assert job.done == count and not job.failures, job.failures
    with app.app_context():
        act_for(organisation_id)
        pdf = db.session.get(PrintJob, job.id).pdf
    Path(folder, "booklet.pdf").write_bytes(pdf)
    return count


def tree(pid: int) -> list[int]:
    """The process and all its descendants, as /proc shows them now."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def rollup(pid: int) -> tuple[int, int]:
    """A process's resident and proportional set sizes in kB (shared pages split)."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0, 0
    values = {line.split(":")[0]: int(line.split()[1]) for line in lines[1:] if ":" in line}
    return values.get("Rss", 0), values.get("Pss", 0)


def memory(count: int) -> dict[str, float]:
    """(b): the peak memory of a process printing count profiles, and of its children."""
    with tempfile.TemporaryDirectory() as folder:
        process = in_a_process(f"memory_run({folder!r}, {count})")
        peak_rss = peak_pss = peak_self = 0
        while process.poll() is None:
            if Path(folder, "ready").exists():
                sizes = [rollup(pid) for pid in tree(process.pid)]
                peak_rss = max(peak_rss, sum(r for r, _ in sizes))
                peak_pss = max(peak_pss, sum(p for _, p in sizes))
                peak_self = max(peak_self, rollup(process.pid)[0])
            time.sleep(0.05)
        assert answer(process) == count
        booklet = Path(folder, "booklet.pdf")
        pages = len(PdfReader(booklet).pages)
        size = booklet.stat().st_size
    return {
        "rss": peak_rss / 1024, "pss": peak_pss / 1024, "self": peak_self / 1024,
        "pages": pages, "booklet": size / 1e6,
    }  # fmt: skip


def main() -> None:
    count = int(sys.argv[sys.argv.index("--profiles") + 1]) if "--profiles" in sys.argv else 100
    many = int(sys.argv[sys.argv.index("--memory") + 1]) if "--memory" in sys.argv else 300
    import weasyprint

    print(f"Machine: {cpu_model()}, {os.cpu_count()} cores; WeasyPrint {weasyprint.__version__}; "
          f"{date.today().isoformat()}; load {os.getloadavg()[0]:.2f} at the start")  # fmt: skip
    times = answer(in_a_process(f"speed({count})"))
    print()
    print("| batch | wall time | per profile | ratio to plain |")
    print("|---|---:|---:|---:|")
    for label, key in ((f"plain WeasyPrint, {count} profiles one after another", "plain"),
                       (f"job path, {count} profiles, nothing cached", "job")):  # fmt: skip
        seconds = times[key]
        print(f"| {label} | {seconds:.2f} s | {seconds / count * 1000:.0f} ms "
              f"| {seconds / times['plain']:.2f} |")  # fmt: skip
    print()
    print(f"Job path / plain = {times['job'] / times['plain']:.2f} (target <= 0.6)")
    print(f"CPU time: job path {times['job_cpu']:.2f} s (this process, the fork server and "
          f"every print), plain {times['plain_cpu']:.2f} s; shared over both cores, the job "
          f"path would take {times['job_cpu'] / 2 / times['plain_cpu']:.2f} of plain's time on "
          "a machine with nothing else running.")  # fmt: skip
    figures = memory(many)
    print()
    print(f"Memory, {many} profiles with photos ({figures['pages']} pages, booklet "
          f"{figures['booklet']:.1f} MB): peak of the process and all its children "
          f"{figures['rss']:.0f} MB resident (shared pages counted in each), "
          f"{figures['pss']:.0f} MB proportional; the job's own process at most "
          f"{figures['self']:.0f} MB (target < 500 MB)")  # fmt: skip


if __name__ == "__main__":
    main()
