"""Editing together: ten staff adding statements to one profile at the same time.

Run from the project root:
    .venv/bin/python benchmarks/editing.py [--seconds 30] [--clients 10]
        [--databases sqlite postgresql] [--fill]
It prints the figures as Markdown for benchmarks/README.md.

Each client is a member of staff with their own signed-in session (a Flask test client in
a thread of its own, all in one process against one database). Each goes round the
profile's three sections without pausing: it saves a section's page with one or two new
statements, from the page it already holds about half the time (which someone else has
usually saved since: a stale page) and from a freshly opened one otherwise, and stays on
the page the save brings back. When the page it holds shows a section nearly full, it
removes the oldest statement it added there, so that the sections keep taking statements;
with --fill it never does, so the sections fill up and later saves meet the limit.

Every statement is unique, so after the run each statement a save accepted must be in
the profile, unless its author removed it, and nothing else may be. The baseline is one
client alone, measured in the same run: saves per second with nobody else saving.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from render import cpu_model
from sqlalchemy import create_engine, select, text

from profiles import create_app, database_uri
from profiles.extensions import db
from profiles.models import MAX_STATEMENTS, Organisation, Profile, User
from profiles.services import act_for, create_profile, every_organisation
from tests.pages import form_of

SECTIONS = ("appreciation", "important", "support")
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
ROOM = MAX_STATEMENTS - 16  # a client removes one of its own when it sees this many
STALE_SHARE = 0.5  # how often a client saves from the page it already holds
STALE = "Someone else saved changes to this profile while you had this page open"
MERGED = "The profile was changed elsewhere while you had this page open"


def statements_on(page: dict[str, str]) -> dict[str, str]:
    """The statements a page shows: text by id."""
    return {
        page[name[: -len("text")] + "id"]: value
        for name, value in page.items()
        if name.startswith("statements-") and name.endswith("-text")
    }


class Tally:
    """What one client's saves came to."""

    def __init__(self) -> None:
        self.attempted = self.clean = self.merged = self.conflicts = 0
        self.lost_races = 0  # saved meanwhile so often that the page came back unsaved
        self.refused_full = self.removals = 0
        self.refused_other: Counter = Counter()
        # Statements a save accepted, and those their author removed since.
        self.added: set[str] = set()
        self.removed: set[str] = set()
        self.doing = "starting"  # what the client was doing, should a request fail


def run_client(app, user_id, profile_id, number, seconds, tallies, room: int = ROOM) -> Tally:
    """One member of staff adding statements round the sections until the time is up."""
    tally = tallies[number] = Tally()
    rng = random.Random(number)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"{user_id}.1"
        session["_fresh"] = True
    base = f"/profiles/{profile_id}/steps/"
    pages = {key: form_of(client.get(base + key).get_data(as_text=True)) for key in SECTIONS}
    mine = {key: [] for key in SECTIONS}  # statements this client added, oldest first
    count = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        key = rng.choice(SECTIONS)
        if rng.random() > STALE_SHARE:
            tally.doing = "opening a page"
            pages[key] = form_of(client.get(base + key).get_data(as_text=True))
        page = pages[key]
        shown = statements_on(page)
        own = [(sid, t) for sid, t in shown.items() if t in mine[key]]
        if len(shown) >= room and own:
            sid, gone = own[0]
            tally.doing = "removing a statement"
            response = client.post(
                base + key, data={**page, "action": f"remove:{sid}"}, follow_redirects=True
            )
            if response.status_code == 200:
                tally.removals += 1
                tally.removed.add(gone)
                mine[key].remove(gone)
            else:
                tally.refused_other[response.status_code] += 1
            pages[key] = form_of(response.get_data(as_text=True))
            continue
        new = []
        for _ in range(rng.choice((1, 2))):
            count += 1
            new.append(f"Client {number}, statement {count}.")
        tally.attempted += 1
        tally.doing = "saving"
        response = client.post(
            base + key,
            data={**page, "answer_0": "\n".join(new), "action": "save"},
            follow_redirects=True,
        )
        body = response.get_data(as_text=True)
        if response.status_code == 200:
            tally.merged += MERGED in body
            tally.clean += MERGED not in body
            tally.added.update(new)
            mine[key].extend(new)
        elif response.status_code == 400 and "so the new statements below are not saved" in body:
            tally.refused_full += 1
        elif response.status_code == 409 and STALE in body:
            tally.lost_races += 1
        elif response.status_code == 409:
            tally.conflicts += 1
        else:
            tally.refused_other[response.status_code] += 1
        pages[key] = form_of(body)
        # The page brought back holds what was refused: the next save starts afresh.
        for name in list(pages[key]):
            if name.startswith("answer_"):
                pages[key][name] = ""
    return tally


@contextmanager
def database(kind: str, folder: str):
    """A new, migrated database of this kind: its URL."""
    if kind == "sqlite":
        yield f"sqlite:///{folder}/profiles.db"
        return
    admin = create_engine(database_uri(f"{POSTGRES}/postgres"), isolation_level="AUTOCOMMIT")
    name = f"profiles_bench_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def set_up(url: str, clients: int):
    """The app, one profile with empty sections, and a member of staff for each client."""
    app = create_app(
        {
            "SECRET_KEY": "benchmark",
            "DATABASE_URL": url,
            "AUTO_MIGRATE": True,
            "WTF_CSRF_ENABLED": True,
            "TESTING": True,
        }
    )
    with app.app_context():
        organisation = Organisation(name="Riverside Care Home", slug="riverside")
        db.session.add(organisation)
        db.session.flush()
        act_for(organisation.id)
        users = [
            User(
                organisation=organisation,
                email=f"staff{n}@riverside.example",
                name=f"Staff {n}",
                password_hash="not used: the benchmark starts each session itself",
                role="staff",
            )
            for n in range(clients)
        ]
        db.session.add_all(users)
        profile = create_profile("adult", "Margaret Jones")
        db.session.commit()
        return app, [u.id for u in users], profile.id


def found_statements(app, profile_id: int) -> dict[str, list[str]]:
    with app.app_context(), every_organisation():
        profile = db.session.scalar(select(Profile).where(Profile.id == profile_id))
        return {s.key: [st.text for st in s.statements] for s in profile.sections}


def measure(kind: str, clients: int, seconds: float, room: int = ROOM) -> dict[str, object]:
    """Run clients at once against a new database; what they did and what was kept."""
    with tempfile.TemporaryDirectory() as folder, database(kind, folder) as url:
        app, users, profile_id = set_up(url, clients)
        tallies: list[Tally | None] = [None] * clients

        def work(n: int) -> None:
            try:
                run_client(app, users[n], profile_id, n, seconds, tallies, room)
            except Exception as exc:  # a server error: counted, and said below the table
                # What it saved before is still counted: it is in the profile.
                failures.append(f"{tallies[n].doing if tallies[n] else 'starting'}: {exc!r}")

        failures: list[str] = []

        threads = [threading.Thread(target=work, args=(n,)) for n in range(clients)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        found = found_statements(app, profile_id)
        with app.app_context():
            db.engine.dispose()
    done = [t for t in tallies if t is not None]
    expected = set().union(*(t.added - t.removed for t in done))
    every = [text for texts in found.values() for text in texts]
    saves = sum(t.clean + t.merged for t in done)
    return {
        "database": kind,
        "clients": clients,
        "seconds": elapsed,
        "attempted": sum(t.attempted for t in done),
        "clean": sum(t.clean for t in done),
        "merged": sum(t.merged for t in done),
        "conflicts": sum(t.conflicts for t in done),
        "lost_races": sum(t.lost_races for t in done),
        "refused_full": sum(t.refused_full for t in done),
        "refused_other": sum((t.refused_other for t in done), Counter()),
        "removals": sum(t.removals for t in done),
        "expected": len(expected),
        "found": len(every),
        "lost": len(expected - set(every)),
        "unexpected": len(set(every) - expected) + len(every) - len(set(every)),
        "largest": max(len(texts) for texts in found.values()),
        "per_second": saves / elapsed,
        "answered_per_second": sum(t.attempted + t.removals for t in done) / elapsed,
        "failures": failures,
    }


def table(rows: list[dict[str, object]]) -> str:
    lines = [
        "| database | clients | saves tried | saved cleanly | merged | conflicts | "
        "refused: saved meanwhile | refused: section full | refused: other | statements "
        "expected | found | lost | largest section | saves kept/s | requests/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        other = sum(r["refused_other"].values())
        lines.append(
            f"| {r['database']} | {r['clients']} | {r['attempted']} | {r['clean']} | "
            f"{r['merged']} | {r['conflicts']} | {r['lost_races']} | {r['refused_full']} | "
            f"{other} | "
            f"{r['expected']} | {r['found']} | {r['lost']} | {r['largest']} | "
            f"{r['per_second']:.1f} | {r['answered_per_second']:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument(
        "--fill",
        action="store_true",
        help="never remove a statement: the sections fill up, and saves meet the limit",
    )
    args = parser.parse_args()
    room = MAX_STATEMENTS + 1 if args.fill else ROOM
    rows = []
    for kind in args.databases:
        rows.append(measure(kind, 1, args.seconds / 2, room))
        rows.append(measure(kind, args.clients, args.seconds, room))
    print(
        f"Machine: {cpu_model()}, {len(__import__('os').sched_getaffinity(0))} cores; "
        f"Python {platform.python_version()}; {args.seconds:g} s with {args.clients} "
        f"clients, {args.seconds / 2:g} s alone.\n"
    )
    print(table(rows))
    for r in rows:
        if (
            r["lost"]
            or r["unexpected"]
            or r["largest"] > MAX_STATEMENTS
            or r["refused_other"]
            or r["conflicts"]
            or r["lost_races"]
            or r["failures"]
        ):
            print(f"\nProblem on {r['database']} with {r['clients']} clients: {r}")


if __name__ == "__main__":
    main()
