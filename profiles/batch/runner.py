"""Running a print job: each profile fitted on its own page, in its own design, and the
pages written into one booklet as they are done.

The job's own thread does all the database work (reading each profile, the print cache,
progress); pages are laid out meanwhile in printing processes, one per core, that last as
long as the job (see printers.py), so that every core prints at once.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections import deque
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import PrintJob, Profile, Section, utcnow
from ..printing.service import PrintWork, keep, prepare_print
from ..render import Outcome
from ..render.printers import TIMED_OUT, Printers
from ..services import act_for, every_organisation, unit_of_work
from .booklet import Booklet

# Prints laid out at once: one per core. Pages waiting to be written, done or not, are
# held up to a few times that, so memory does not grow with the size of the batch.
IN_FLIGHT = os.cpu_count() or 2
HELD = 4 * IN_FLIGHT


class Stopped(Exception):
    """The job was cancelled, or given up as stopped and retried, while it ran."""


@dataclass
class Pending:
    """One profile on its way to the booklet: its outcome, the print still being laid out,
    or why it cannot be printed."""

    profile_id: int
    outcome: Outcome | None = None
    work: PrintWork | None = None
    future: Future | None = None
    printers: Printers | None = None
    reason: str | None = None

    def ready(self) -> bool:
        return self.future is None or self.future.done()


def run_job(job_id: int) -> None:
    """Print the job's profiles into one booklet, keeping its progress in the database.

    The same function runs under an RQ worker and in a thread of the web process. A job
    that is not waiting to start (cancelled, or already taken by a worker) is left alone.
    """
    try:
        job = claim(job_id)
        if job is None:
            return
        try:
            booklet, failures = print_pages(job)
        except Stopped:
            return
        finish(job_id, booklet, failures)
    except Exception as exc:
        # The kind of failure only: a message might quote what a profile says.
        current_app.logger.error("Print job %s stopped: %s", job_id, type(exc).__name__)
        db.session.rollback()
        give_up(job_id)
    finally:
        db.session.remove()


def give_up(job_id: int) -> None:
    """Mark a job that cannot go on as stopped, so that its page offers to try again."""
    with every_organisation(), unit_of_work():
        db.session.execute(
            update(PrintJob)
            .where(PrintJob.id == job_id, PrintJob.state.in_(("queued", "running")))
            .values(state="failed", finished_at=utcnow())
        )


def claim(job_id: int) -> PrintJob | None:
    """Mark the job running, if it is still waiting, and act for its organisation."""
    with every_organisation():
        job = db.session.get(PrintJob, job_id)
    if job is None:
        return None
    act_for(job.organisation_id)
    with unit_of_work():
        now = utcnow()
        claimed = db.session.execute(
            update(PrintJob)
            .where(PrintJob.id == job_id, PrintJob.state == "queued")
            .values(state="running", started_at=now, heartbeat=now)
        ).rowcount
    return job if claimed else None


def print_pages(job: PrintJob) -> tuple[bytes | None, list[dict[str, object]]]:
    """Every profile's page in order, written into the booklet as each is done."""
    job_id, paper, profile_ids = job.id, job.paper, list(job.profile_ids)
    with tempfile.TemporaryDirectory(prefix="print-job-") as folder:
        booklet = Booklet(job.chosen, job.blank_backs, Path(folder))
        try:
            return lay_out_pages(job_id, paper, profile_ids, booklet)
        finally:
            booklet.close()


def lay_out_pages(
    job_id: int, paper: str, profile_ids: list[int], booklet: Booklet
) -> tuple[bytes | None, list[dict[str, object]]]:
    """Each profile's page in order: read here, laid out in a pool, written as it is done."""
    progress = Progress(job_id, len(profile_ids))
    seconds = current_app.config["RENDER_TIMEOUT"]
    waiting: deque[Pending] = deque()

    def write_oldest() -> None:
        pending = waiting.popleft()
        reason = page_or_reason(pending, booklet)
        progress.step(
            None if reason is None else {"profile_id": pending.profile_id, "reason": reason}
        )

    printers = Printers(IN_FLIGHT, seconds)
    try:
        for profile_id in profile_ids:
            waiting.append(begin(profile_id, paper, printers))
            while waiting and (
                waiting[0].ready()
                or len(waiting) >= HELD
                or sum(not p.ready() for p in waiting) >= IN_FLIGHT
            ):
                write_oldest()
        while waiting:
            write_oldest()
    finally:
        printers.close(kill=bool(waiting))  # cancelled: what is still printing is not wanted
    return booklet.finish(), progress.failures


def begin(profile_id: int, paper: str, printers: Printers) -> Pending:
    """Read the profile and the print cache here; have it laid out if it must be."""
    profile = db.session.scalar(
        select(Profile)
        .where(Profile.id == profile_id)
        # Its sections, statements and photo's details in three queries, not one a section.
        .options(
            selectinload(Profile.sections).selectinload(Section.statements),
            selectinload(Profile.photo),
        )
    )
    if profile is None:
        return Pending(profile_id, reason="was deleted before it could be printed")
    if not any(section.statements for section in profile.sections):
        return Pending(profile_id, reason="has no statements yet")
    work = prepare_print(profile, paper=paper)
    if isinstance(work, Outcome):
        return Pending(profile_id, outcome=work)
    future = submit(printers, work)
    return Pending(profile_id, work=work, future=future, printers=printers)


def submit(printers: Printers, work: PrintWork) -> Future:
    """Lay a profile's page out in one of the job's printing processes."""
    return printers.submit(work.document, work.kind, work.start)


def page_or_reason(pending: Pending, booklet: Booklet) -> str | None:
    """Add the profile's page to the booklet, or say why it cannot be printed."""
    if pending.reason is not None:
        return pending.reason
    outcome = pending.outcome
    if pending.future is not None:
        try:
            outcome = pending.printers.wait(pending.future)
        except BrokenProcessPool:
            # Another page's process was stopped or died, taking this one's with it: lay
            # this page out once more in the new processes.
            try:
                outcome = pending.printers.wait(submit(pending.printers, pending.work))
            except BrokenProcessPool:
                return "stopped while it was being printed: try again"
        except Exception as exc:  # the kind only: a message might quote the profile
            current_app.logger.error("A page could not be laid out: %s", type(exc).__name__)
            return "could not be laid out because of an error: tell whoever runs this app"
        if outcome == TIMED_OUT:
            return "took too long to print"
        keep(pending.work, outcome)
    if not outcome.fits:
        return does_not_fit(outcome)
    booklet.add(outcome.pdf)
    return None


def does_not_fit(outcome: Outcome) -> str:
    """'does not fit on one page: shorten Likes by about 3 statements', in plain words."""
    parts = [
        f"{item['heading']} by about {item['remove']} statement{'' if item['remove'] == 1 else 's'}"
        for item in outcome.overflow
    ]
    if not parts:
        return "does not fit on one page, even with the smallest text"
    return "does not fit on one page: shorten " + " and ".join(parts)


class Progress:
    """How far the job has got: saved, with a heartbeat, at most every SAVE_EVERY seconds
    (a commit per profile would cost a large batch seconds); after every profile, a look at
    whether the job is still wanted."""

    SAVE_EVERY = 0.5

    def __init__(self, job_id: int, total: int) -> None:
        self.job_id, self.total = job_id, total
        self.done = 0
        self.failures: list[dict[str, object]] = []
        self.saved_at = float("-inf")

    def step(self, failure: dict[str, object] | None) -> None:
        """One more profile done, printed or not; raises Stopped if the job was cancelled."""
        self.done += 1
        if failure is not None:
            self.failures.append(failure)
        if time.monotonic() - self.saved_at >= self.SAVE_EVERY or self.done == self.total:
            self.save()
        elif not self.running():
            raise Stopped

    def running(self) -> bool:
        query = select(PrintJob.state).where(PrintJob.id == self.job_id)
        running = db.session.scalar(query) == "running"
        db.session.rollback()  # a read only: let the next one see what others have saved
        return running

    def save(self) -> None:
        with unit_of_work():
            still = db.session.execute(
                update(PrintJob)
                .where(PrintJob.id == self.job_id, PrintJob.state == "running")
                .values(done=self.done, failures=list(self.failures), heartbeat=utcnow())
            ).rowcount
        self.saved_at = time.monotonic()
        if not still:
            raise Stopped


def finish(job_id: int, booklet: bytes | None, failures: list[dict[str, object]]) -> None:
    """Keep the booklet and mark the job done, unless it was cancelled at the last moment."""
    with unit_of_work():
        db.session.execute(
            update(PrintJob)
            .where(PrintJob.id == job_id, PrintJob.state == "running")
            .values(state="done", pdf=booklet, failures=failures, finished_at=utcnow())
        )
