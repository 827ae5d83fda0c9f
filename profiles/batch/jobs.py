"""Print jobs as the database keeps them: starting, reading, cancelling and retrying one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import abort, current_app, has_request_context
from flask_login import current_user
from sqlalchemy import select, update

from ..extensions import db
from ..models import PrintJob, aware, utcnow
from ..services import current_organisation_id, once_saved
from .queue import start

ACTIVE = ("queued", "running")
RECENT = 20  # jobs shown on the print-many page
# A job's worker has died when it has not been heard from for this much longer than the
# longest a single print may take (see stale_after).
HEARTBEAT_MARGIN = 15


def stale_after() -> timedelta:
    """How long a job may go unheard from before it is taken to have stopped: a little
    more than one print's time limit, which is the longest a working job goes quiet."""
    return timedelta(seconds=current_app.config["RENDER_TIMEOUT"] + HEARTBEAT_MARGIN)


def create_job(
    chosen: str, profile_ids: list[int], paper: str, blank_backs: bool, user_id: int | None
) -> PrintJob:
    """A print job for these profiles, started once it is saved (see queue.start)."""
    job = PrintJob(
        organisation_id=current_organisation_id(),
        user_id=user_id,
        chosen=chosen,
        profile_ids=list(profile_ids),
        paper=paper,
        blank_backs=blank_backs,
        state="queued",
        done=0,
        total=len(profile_ids),
        failures=[],
        heartbeat=utcnow(),
    )
    db.session.add(job)
    db.session.flush()
    job_id = job.id
    once_saved(lambda: start(job_id))
    return job


def signed_in_user_id() -> int | None:
    """Who is starting a job: the signed-in person, or nobody on the command line."""
    return current_user.id if has_request_context() and current_user.is_authenticated else None


def get_job(job_id: int) -> PrintJob:
    """The organisation's print job with this id, or a 404 page."""
    job = db.session.scalar(select(PrintJob).where(PrintJob.id == job_id))
    if job is None:
        abort(404)
    return job


def recent_jobs() -> list[PrintJob]:
    """The organisation's latest print jobs, newest first."""
    query = select(PrintJob).order_by(PrintJob.created_at.desc(), PrintJob.id.desc())
    return list(db.session.scalars(query.limit(RECENT)))


@dataclass(frozen=True)
class Status:
    """A job as people are told about it."""

    state: str  # queued, running, done, failed, cancelled, retried
    label: str
    finished: bool
    stopped: bool  # failed, or its worker died: offer a retry
    waiting_for_worker: bool = False


LABELS = {
    "queued": "Waiting to start",
    "running": "Printing",
    "done": "Finished",
    "failed": "Stopped before it finished",
    "cancelled": "Cancelled",
    "retried": "Started again in a new print run",
}


def status(job: PrintJob, now: datetime | None = None) -> Status:
    """Where the job is; one whose worker has gone quiet too long has stopped.

    Under a queue a job may wait for a free worker for as long as it takes, so only a
    running job, or a queued one in a web process that runs its own, goes stale.
    """
    now = now or utcnow()
    state = job.state
    quiet = job.heartbeat is None or now - aware(job.heartbeat) > stale_after()
    queued_here = state == "queued" and not current_app.config["REDIS_URL"]
    if quiet and (state == "running" or queued_here):
        state = "failed"
    waiting = (
        state == "queued"
        and job.heartbeat is not None
        and now - aware(job.heartbeat) > timedelta(seconds=10)
    )
    return Status(
        state=state,
        label=LABELS[state],
        finished=state not in ACTIVE,
        stopped=state == "failed",
        waiting_for_worker=waiting,
    )


def cancel_job(job: PrintJob) -> bool:
    """Stop a job that has not finished; its runner sees this between profiles and stops.

    Returns whether there was anything to stop.
    """
    result = db.session.execute(
        update(PrintJob)
        .where(PrintJob.id == job.id, PrintJob.state.in_(ACTIVE))
        .values(state="cancelled", finished_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount == 1


def retry_job(job: PrintJob) -> PrintJob | None:
    """The same choice printed again, in a new job, or None when someone else started it
    again first or it finished meanwhile. The stopped one is marked retried, so that a
    worker that was only slow, not dead, stops when it next looks, and a second press of
    Retry starts nothing more."""
    result = db.session.execute(
        update(PrintJob)
        .where(PrintJob.id == job.id, PrintJob.state.in_((*ACTIVE, "failed")))
        .values(state="retried", finished_at=job.finished_at or utcnow())
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:
        return None
    return create_job(job.chosen, job.profile_ids, job.paper, job.blank_backs, signed_in_user_id())


def forget_jobs_of(profile_id: int) -> None:
    """Delete the print runs that hold a profile's page, as the profile is deleted: a booklet
    must not keep printing a person whose profile is gone (a run still going stops)."""
    jobs = db.session.scalars(select(PrintJob)).all()
    for job in jobs:
        if profile_id in job.profile_ids:
            db.session.delete(job)


def printed_ids(job: PrintJob) -> list[int]:
    """The profiles in the job's booklet, in its order."""
    left_out = {failure["profile_id"] for failure in job.failures}
    return [profile_id for profile_id in job.profile_ids if profile_id not in left_out]
