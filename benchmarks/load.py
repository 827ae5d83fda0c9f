"""Many staff at once: how long each page takes while 50 or 150 people use the app.

Run from the project root:
    .venv/bin/python benchmarks/load.py [--staff 50 150] [--minutes 3]
        [--servers production default]
It prints the figures as Markdown for benchmarks/README.md.

Each simulated member of staff signs in, then goes round their own profile as a care
worker would, pausing 1 to 5 seconds between pages: the list of profiles, a section's
page, a save of that page (one statement reworded), the check page (which fits the
changed profile again), its print preview, and now and then the PDF, unchanged since the
check page fitted it. Staff start over the first RAMP seconds, signing in as they do
(a password check is slow on purpose); what happens before everyone has started and
SETTLE seconds more is not counted.

Servers:
- production: gunicorn with worker processes on PostgreSQL, sessions and limits in
  Redis, as the README's production section serves the app;
- default: the README's quick start, `flask run` on SQLite.
Each run starts from a new database (PostgreSQL: made and dropped here; Redis: one
database number, emptied before and after) and a new server.
"""

from __future__ import annotations

import argparse
import html
import http.client
import os
import platform
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from render import cpu_model

from tests.samples import STATEMENTS

PASSWORD = "kettle garden bluebell"
SECTIONS = ("appreciation", "important", "support")
RAMP = 20.0  # seconds over which staff start
SETTLE = 15.0  # and for the last of them to have signed in and begun work
THINK = (1.0, 5.0)
PDF_SHARE = 0.2
WORKERS = os.environ.get("LOAD_WORKERS", "8")  # as the README serves it
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/13"
PAGES = ("sign in", "library", "step page", "save", "check page", "preview", "PDF, unchanged")


INPUT = re.compile(r"<input\b([^>]*)>")
TEXTAREA = re.compile(r"<textarea\b([^>]*)>(.*?)</textarea>", re.S)
ATTRIBUTE = re.compile(r'([\w-]+)(?:="([^"]*)")?')


def fields(page: str) -> dict[str, str]:
    """The fields a page's forms would send, as a browser fills them in. Regular
    expressions rather than a parser: the simulated staff must cost the machine little."""
    values = {}
    for match in INPUT.finditer(page):
        a = {k: html.unescape(v) for k, v in ATTRIBUTE.findall(match.group(1))}
        name, kind = a.get("name"), a.get("type", "text")
        if not name or kind in {"submit", "button", "file"}:
            continue
        if kind in {"radio", "checkbox"} and "checked" not in a:
            continue
        values[name] = a.get("value", "")
    for match in TEXTAREA.finditer(page):
        a = dict(ATTRIBUTE.findall(match.group(1)))
        if "name" in a:
            values[html.unescape(a["name"])] = html.unescape(match.group(2)).removeprefix("\n")
    return values


class Results:
    """Every request's page, start time, duration and status, from all staff."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rows: list[tuple[str, float, float, int]] = []

    def add(self, page: str, started: float, seconds: float, status: int) -> None:
        with self.lock:
            self.rows.append((page, started, seconds, status))


class Staff(threading.Thread):
    """One member of staff working on their own profile until the end of the run."""

    def __init__(self, port, email, profile_id, results, start_at, end_at, seed):
        super().__init__(daemon=True)
        self.port, self.email, self.profile_id = port, email, profile_id
        self.results, self.start_at, self.end_at = results, start_at, end_at
        self.random = random.Random(seed)
        self.cookies: dict[str, str] = {}

    def request(self, page, method, path, form=None) -> tuple[int, str, dict]:
        body = urlencode(form) if form is not None else None
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            status = response.status
            for header in response.msg.get_all("Set-Cookie") or ():
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if value and "expires=thu, 01 jan 1970" not in header.lower():
                    self.cookies[name.strip()] = value
                else:
                    self.cookies.pop(name.strip(), None)
            location = response.getheader("Location") or ""
            connection.close()
        except (OSError, http.client.HTTPException):
            data, status, location = b"", 599, ""
        self.results.add(page, started, time.perf_counter() - started, status)
        kind = response.getheader("Content-Type", "") if status != 599 else ""
        text = data.decode("utf-8", "replace") if kind.startswith("text/html") else ""
        return status, text, {"location": location}

    def think(self) -> bool:
        time.sleep(self.random.uniform(*THINK))
        return time.time() < self.end_at

    def run(self) -> None:
        time.sleep(max(0.0, self.start_at - time.time()))
        _, page, _ = self.request("sign in", "GET", "/sign-in")
        token = fields(page).get("csrf_token", "")
        form = {"csrf_token": token, "email": self.email, "password": PASSWORD}
        status, _, _ = self.request("sign in", "POST", "/sign-in", form)
        if status not in (302, 303):
            return
        profile = f"/profiles/{self.profile_id}"
        while self.think():
            self.request("library", "GET", "/")
            if not self.think():
                break
            step = f"{profile}/steps/{self.random.choice(SECTIONS)}"
            status, page, _ = self.request("step page", "GET", step)
            form = fields(page)
            if not self.think():
                break
            texts = [name for name in form if re.fullmatch(r"statements-\d+-text", name)]
            if texts:
                form[self.random.choice(texts)] = self.random.choice(STATEMENTS)
            form["action"] = "save"
            self.request("save", "POST", step, form)
            if not self.think():
                break
            self.request("check page", "GET", f"{profile}/steps/review")
            self.request("preview", "GET", f"{profile}/preview")
            if self.random.random() < PDF_SHARE:
                if not self.think():
                    break
                self.request("PDF, unchanged", "GET", f"{profile}/profile.pdf")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(env: dict[str, str], staff: int) -> list[tuple[str, int]]:
    """An organisation, its staff and a profile each; (email, profile id) for each."""
    code = f"""
import os, sys
sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
from profiles import create_app
from profiles.accounts.passwords import hash_password
from profiles.extensions import db
from profiles.models import Organisation, Statement, User
from profiles.services import act_for, create_profile, unit_of_work
from tests.samples import STATEMENTS
app = create_app()
hashed = hash_password({PASSWORD!r})
with app.app_context(), unit_of_work():
    org = Organisation(name="Load Care Home", slug="load-care-home")
    db.session.add(org)
    db.session.flush()
    act_for(org.id)
    for i in range({staff}):
        profile = create_profile("adult", f"Resident {{i:03}}")
        for n, section in enumerate(profile.sections[:3]):
            section.statements = [
                Statement(position=p, text=STATEMENTS[(i + n * 4 + p) % len(STATEMENTS)])
                for p in range(4)
            ]
        db.session.flush()
        user = User(organisation=org, email=f"staff{{i:03}}@load.example", name=f"Staff {{i}}",
                    role="staff", password_hash=hashed)
        db.session.add(user)
        print(user.email, profile.id)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    return [(email, int(pid)) for email, pid in (line.split() for line in out.splitlines())]


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, all cores."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]
    return (sum(fields) - idle) / tick, sum(fields) / tick


def process_cpu(pid: int) -> float:
    """CPU seconds used by a process and its children (live and waited for)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            parts = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in parts[11:15]) / tick
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        pids.extend(int(c) for c in children)
    return total


class Server:
    """The app served one way, on a database of its own, for one run."""

    def __init__(self, kind: str, folder: Path) -> None:
        self.kind, self.folder, self.port = kind, folder, free_port()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PROFILES_")}
        self.env.update(PROFILES_SECRET_KEY="load-benchmark")
        self.database = None
        if kind == "production":
            import psycopg
            import redis

            self.database = f"load_{uuid.uuid4().hex[:12]}"
            with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
                connection.execute(f'CREATE DATABASE "{self.database}"')
            redis.Redis.from_url(REDIS).flushdb()
            self.env.update(
                PROFILES_DATABASE_URL=f"{POSTGRES}/{self.database}", PROFILES_REDIS_URL=REDIS
            )
            flask = [sys.executable, "-m", "flask", "--app", "profiles", "db", "upgrade"]
            subprocess.run(flask, env=self.env, check=True, capture_output=True)
            self.command = [sys.executable, "-m", "gunicorn", "--workers", WORKERS,
                            "--bind", f"127.0.0.1:{self.port}", "--timeout", "60", "--preload",
                            "profiles:create_app()"]  # fmt: skip
        else:
            self.env.update(PROFILES_DATABASE_URL=f"sqlite:///{folder / 'profiles.db'}")
            self.command = [sys.executable, "-m", "flask", "--app", "profiles", "run",
                            "--port", str(self.port)]  # fmt: skip

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(
            self.command, env=self.env, cwd=self.folder,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        for _ in range(300):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/sign-in")
                if connection.getresponse().status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"The {self.kind} server did not start")

    def __exit__(self, *exc) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(30)
        if self.database:
            import psycopg
            import redis

            with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
                connection.execute(f'DROP DATABASE "{self.database}" WITH (FORCE)')
            redis.Redis.from_url(REDIS).flushdb()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(kind: str, staff: int, minutes: float) -> str:
    with tempfile.TemporaryDirectory() as folder:
        server = Server(kind, Path(folder))
        if kind == "default":
            # The quick start's app makes and migrates its SQLite database on first start.
            with server:
                pass
        people = seed(server.env, staff)
        with server:
            results = Results()
            begin = time.time()
            counted_from = begin + RAMP + SETTLE
            end = counted_from + minutes * 60
            threads = [
                Staff(server.port, email, pid, results, begin + RAMP * i / staff, end, i)
                for i, (email, pid) in enumerate(people)
            ]
            for thread in threads:
                thread.start()
            time.sleep(max(0.0, counted_from - time.time()))
            cpu_counted = process_cpu(server.process.pid)
            machine_before = machine_busy()
            usage = resource.getrusage(resource.RUSAGE_SELF)
            staff_cpu_before = usage.ru_utime + usage.ru_stime
            for thread in threads:
                thread.join(timeout=max(1.0, end - time.time() + 70))
            cpu_after = process_cpu(server.process.pid)
            machine_after = machine_busy()
            seconds = time.time() - counted_from
            usage = resource.getrusage(resource.RUSAGE_SELF)
            staff_cpu = usage.ru_utime + usage.ru_stime - staff_cpu_before
    start_perf = time.perf_counter() - (time.time() - counted_from)
    rows = [r for r in results.rows if r[1] >= start_perf]
    if os.environ.get("LOAD_DUMP"):
        with open(os.environ["LOAD_DUMP"], "w") as out:
            out.writelines(f"{p}\t{t - start_perf:.3f}\t{d:.4f}\t{s}\n" for p, t, d, s in rows)
    cores = (cpu_after - cpu_counted) / seconds
    busy = (machine_after[0] - machine_before[0]) / (machine_after[1] - machine_before[1])
    lines = [
        f"**{kind}, {staff} staff**: {len(rows)} requests in {seconds:.0f} s "
        f"({len(rows) / seconds:.1f} a second); server CPU {cores:.2f} cores, simulated "
        f"staff {staff_cpu / seconds:.2f}; the machine busy {busy:.0%} of the time; "
        f"server errors (5xx or no answer): {sum(1 for r in rows if r[3] >= 500)}",
        "",
        "| page | requests | p50 | p95 | p99 | 5xx | other 4xx |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    by_page = defaultdict(list)
    for page, _, duration, status in rows:
        by_page[page].append((duration, status))
    for page in PAGES:
        entries = by_page.get(page)
        if not entries:
            continue
        times = [d * 1000 for d, _ in entries]
        errors = sum(1 for _, s in entries if s >= 500)
        refused = sum(1 for _, s in entries if 400 <= s < 500)
        lines.append(
            f"| {page} | {len(entries)} | {percentile(times, 0.5):.0f} ms | "
            f"{percentile(times, 0.95):.0f} ms | {percentile(times, 0.99):.0f} ms | "
            f"{errors} | {refused} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--staff", type=int, nargs="+", default=[50, 150])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--servers", nargs="+", default=["production", "default"])
    args = parser.parse_args()
    print(
        f"Machine: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}; "
        f"{time.strftime('%Y-%m-%d')}; think time {THINK[0]:g} to {THINK[1]:g} s; "
        f"{args.minutes:g} minutes counted after {RAMP:g} s of staff starting and "
        f"{SETTLE:g} s more.\n"
    )
    for kind in args.servers:
        for staff in args.staff:
            print(run(kind, staff, args.minutes), "\n", flush=True)


if __name__ == "__main__":
    main()
