"""Views for printing many: choosing, following a job's progress, and its booklet."""

from __future__ import annotations

from io import BytesIO

from flask import flash, jsonify, redirect, render_template, request, send_file, url_for
from wtforms.fields.choices import SelectChoice

from ..audit.service import record
from ..groups.services import groups_with_counts
from ..reviews import due_by
from ..security import administrators_only
from ..services import find_profile
from ..text import file_name
from . import bp
from .choices import EVERYONE, choose
from .forms import PrintManyForm
from .jobs import (
    cancel_job,
    create_job,
    get_job,
    printed_ids,
    recent_jobs,
    retry_job,
    signed_in_user_id,
    status,
)


def choices() -> list[SelectChoice]:
    """Each group with profiles in it, then everyone of each sort, as radios offer them."""
    groups = [
        SelectChoice(
            f"group-{group.id}",
            f"Group: {group.name} ({count} profile{'' if count == 1 else 's'})",
        )
        for group, count in groups_with_counts()
        if count
    ]
    review = f"{EVERYONE['review']} (review date on or before {due_by():%-d %B %Y})"
    return [
        *groups,
        *[
            SelectChoice(key, review if key == "review" else label)
            for key, label in EVERYONE.items()
        ],
    ]


@bp.route("", methods=["GET", "POST"])
@administrators_only
def index():
    """Choose profiles to print as one booklet; the organisation's recent print runs."""
    form = PrintManyForm()
    form.choice.choices = choices()
    if request.method == "GET" and request.args.get("group", type=int):
        form.choice.data = f"group-{request.args.get('group', type=int)}"
    if form.validate_on_submit():
        chosen, profile_ids = choose(form.choice.data)
        if profile_ids:
            job = create_job(
                chosen, profile_ids, form.paper.data, form.blank_backs.data, signed_in_user_id()
            )
            return redirect(url_for(".show", job_id=job.id))
        form.choice.errors.append(
            f"There are no profiles to print in {chosen}. Choose something else"
            + (
                ", or add profiles to the group first."
                if form.choice.data.startswith("group-")
                else "."
            )
        )
    jobs = recent_jobs()
    return render_template(
        "batch/index.html", form=form, jobs=jobs, statuses={j.id: status(j) for j in jobs}
    ), 400 if form.errors else 200


@bp.route("/<id:job_id>")
@administrators_only
def show(job_id: int):
    """A job's progress; once finished, its booklet and every profile it left out, and why."""
    job = get_job(job_id)
    left_out = [(failure, find_profile(failure["profile_id"])) for failure in job.failures]
    return render_template("batch/show.html", job=job, status=status(job), left_out=left_out)


@bp.route("/<id:job_id>/progress.json")
@administrators_only
def progress(job_id: int):
    """How far the job has got, for the progress page to follow without reloading."""
    job = get_job(job_id)
    now = status(job)
    return jsonify(
        state=now.state,
        label=now.label,
        done=job.done,
        total=job.total,
        finished=now.finished,
        text=f"{job.done} of {job.total}",
    )


@bp.route("/<id:job_id>/cancel", methods=["POST"])
@administrators_only
def cancel(job_id: int):
    """Stop a job: the pages made so far are discarded."""
    job = get_job(job_id)
    if cancel_job(job):
        flash("Printing was cancelled. Nothing was kept: start again when you are ready.", "info")
    else:
        flash("That print run had already finished, so there was nothing to cancel.", "info")
    return redirect(url_for(".show", job_id=job.id))


@bp.route("/<id:job_id>/retry", methods=["POST"])
@administrators_only
def retry(job_id: int):
    """Start the same print run again, after one that stopped before it finished."""
    job = get_job(job_id)
    if job.state == "retried":
        flash("That print run was already started again: see Print many for the new one.", "info")
        return redirect(url_for(".show", job_id=job.id))
    if not status(job).stopped:
        flash("That print run has not stopped, so it was not started again.", "info")
        return redirect(url_for(".show", job_id=job.id))
    again = retry_job(job)
    if again is None:
        flash("That print run was already started again, or has finished.", "info")
        return redirect(url_for(".show", job_id=job.id))
    flash("Started again.", "success")
    return redirect(url_for(".show", job_id=again.id))


@bp.route("/<id:job_id>/booklet.pdf")
@administrators_only
def booklet(job_id: int):
    """The finished booklet as a download; each profile in it is recorded as printed."""
    job = get_job(job_id)
    if job.state != "done" or job.pdf is None:
        return render_template(
            "error.html",
            title="There is no booklet to download",
            advice="This print run has not finished, or printed no pages. Open the print run "
            "to see where it is and what was left out.",
        ), 404
    for profile_id in printed_ids(job):
        record("printed", profile_id)
    response = send_file(
        BytesIO(job.pdf),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=file_name(job.chosen, "profiles.pdf"),
    )
    response.headers["Cache-Control"] = "no-store"
    return response
