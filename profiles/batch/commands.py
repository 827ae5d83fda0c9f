"""The render-many and worker commands: print runs from the command line, and the
workers that print them when the jobs go through Redis."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from redis.exceptions import RedisError
from sqlalchemy import select

from ..audit.service import record
from ..cli_helpers import use_organisation, write_or_exit
from ..extensions import db
from ..groups.services import by_name, find_group, groups_with_counts
from ..models import PrintJob, Profile
from ..render import PAPERS, paper_name
from ..services import find_profile, once_saved, unit_of_work
from .jobs import cancel_job, create_job, printed_ids, status
from .queue import connection, queue

SOME_LEFT_OUT = 2  # the exit status when the file holds some profiles but not all
POLL = 0.5  # seconds between looks at the job's progress
USAGE = "(--all | --group NAME) -o FILE.pdf [--org SLUG] [--paper A4|Letter|A5]"


class RenderManyCommand(click.Command):
    """Usage mistakes exit 1, so that exit status 2 always means 'some were left out'."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise click.ClickException(
                f"{exc.format_message()} Usage: {ctx.command_path} {USAGE}"
            ) from None


@click.command("render-many", cls=RenderManyCommand)
@click.option("--all", "everyone", is_flag=True, help="Every profile of the organisation.")
@click.option("--group", "group_name", help="The profiles of the group with this name.")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the PDF.",
)  # fmt: skip
@click.option("--org", help="The organisation's short name; needed when there are several.")
@click.option("--paper", help="A4 (the default), Letter or A5.")
@with_appcontext
def render_many_command(
    everyone: bool, group_name: str | None, output: Path, org: str | None, paper: str | None
) -> None:
    """Write one PDF with a page per profile, in name order; exit 2 if some were left out."""
    if everyone == (group_name is not None):
        raise click.ClickException(
            f"Say what to print: --all for every profile, or --group NAME. Usage: {USAGE}"
        )
    if paper is not None and paper_name(paper) is None:
        raise click.ClickException(
            f"There is no paper called '{paper}'. Papers: {', '.join(PAPERS)}."
        )
    with unit_of_work():
        organisation = use_organisation(org)
        chosen, profile_ids = choose_for_command(group_name, organisation.name)
        job_id = create_job(chosen, profile_ids, paper_name(paper or "A4"), False, None).id
    job = follow(job_id)
    deliver(job, output)


def choose_for_command(group_name: str | None, organisation: str) -> tuple[str, list[int]]:
    """What to print: the named group's profiles, or all of them, in name order."""
    if group_name is None:
        profiles = by_name(list(db.session.scalars(select(Profile))))
        if not profiles:
            raise click.ClickException(f"{organisation} has no profiles yet: nothing to print.")
        return "All profiles", [p.id for p in profiles]
    group = find_group(group_name)
    if group is None:
        names = ", ".join(g.name for g, _ in groups_with_counts()) or "there are none yet"
        raise click.ClickException(
            f"{organisation} has no group called '{group_name}'. Groups: {names}."
        )
    if not group.profiles:
        raise click.ClickException(
            f"The group '{group.name}' has no profiles in it: nothing to print."
        )
    return f"Group: {group.name}", [p.id for p in by_name(group.profiles)]


def follow(job_id: int) -> PrintJob:
    """Wait for the job to finish, telling standard error how far it has got; Ctrl+C
    cancels it."""
    said, told_to_wait = -1, False
    try:
        while True:
            db.session.rollback()  # see what the job's runner has saved since
            job = db.session.get(PrintJob, job_id, populate_existing=True)
            now = status(job)
            if job.done != said and (job.done or now.state == "running"):
                click.echo(f"Printed {job.done} of {job.total}", err=True)
                said = job.done
            if now.waiting_for_worker and not told_to_wait:
                click.echo(
                    "Waiting for a print worker: start one with flask --app profiles worker",
                    err=True,
                )
                told_to_wait = True
            if now.finished:
                return job
            time.sleep(POLL)
    except KeyboardInterrupt:
        with unit_of_work():
            cancel_job(db.session.get(PrintJob, job_id))
        raise click.ClickException("Cancelled: nothing was written.") from None


def deliver(job: PrintJob, output: Path) -> None:
    """Name every profile left out and why, and write the PDF of the rest."""
    now = status(job)
    if now.state != "done":
        raise click.ClickException(
            f"The print run {now.label.lower()}. Nothing was written. Try again; if it "
            "happens again, tell whoever runs this installation."
        )
    for failure in job.failures:
        profile = find_profile(failure["profile_id"])
        name = profile.name if profile else "A deleted profile"
        click.echo(
            f"Left out: {name} (profile {failure['profile_id']}) {failure['reason']}.", err=True
        )
    if job.pdf is None:
        raise click.ClickException("No profile could be printed, so nothing was written.")
    printed = printed_ids(job)
    with unit_of_work():
        for profile_id in printed:
            record("printed", profile_id)

        def write() -> None:  # once the prints are in the audit trail
            write_or_exit(output, job.pdf)
            click.echo(
                f"Wrote {output}: {len(printed)} profile{'' if len(printed) == 1 else 's'}, "
                "one page each.",
                err=True,
            )

        once_saved(write)
    if job.failures:
        click.echo(
            f"{len(job.failures)} of {job.total} profiles were left out: see above.", err=True
        )
        raise click.exceptions.Exit(SOME_LEFT_OUT)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty (for scripts).")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Print the jobs on the Redis queue named by PROFILES_REDIS_URL, until stopped."""
    from rq import SimpleWorker  # see queue.queue

    app = current_app._get_current_object()
    if not app.config["REDIS_URL"]:
        raise click.ClickException(
            "PROFILES_REDIS_URL is not set, so there is no queue to take print jobs from. "
            "Set it to the Redis URL the web app uses, such as redis://localhost:6379/0. "
            "Without Redis the web app prints in the background itself: no worker is needed."
        )
    redis = connection(app)
    try:
        redis.ping()
    except RedisError as exc:
        raise click.ClickException(
            f"Cannot reach Redis at PROFILES_REDIS_URL ({type(exc).__name__}). Check that "
            "Redis is running and the URL is right, then start the worker again."
        ) from None
    # Jobs run in this process, which has the app; their prints in child processes.
    worker = SimpleWorker([queue(app)], connection=redis)
    worker.work(burst=burst, logging_level="WARNING")
