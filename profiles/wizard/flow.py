"""What every step of the wizard shares: checking a sent page, saving it, showing it again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from ..audit.service import record
from ..document import profile_document
from ..models import Profile
from ..services import StaleProfileError, check_version, draft_again
from . import services as wizard
from .agreement import printed_content
from .steps import neighbour, profile_steps

STALE_MESSAGE = (
    "Someone else saved changes to this profile while you had this page open. Your changes "
    "have not been saved yet: they are still on this page. Check them, then save again."
)


@dataclass(frozen=True)
class Visit:
    """One showing or sending of a step."""

    action: str  # the button pressed ("save" when the page is only shown)
    before: dict[str, Any] | None = None  # what a save can change, as the page was sent
    stale: bool = False  # someone else's save won a race with this one


def snapshot(profile: Profile) -> dict[str, Any]:
    """Everything a save can change: the file format's content, the consent record and how
    the photo prints."""
    consent = [
        profile.consent_self,
        profile.consent_by,
        profile.consent_relationship,
        str(profile.consent_date),
        profile.agreed_fingerprint,
    ]
    crop = profile.photo.crop if profile.photo else None
    return {
        **profile_document(profile),
        "consent": consent,
        "crop": crop,
        "print_unagreed": profile.print_unagreed_by is not None,
    }


def page(template: str, profile: Profile, current: str, form, stale: bool, **context):
    """Show a step with its progress; 400 when it has errors, 409 when it was stale."""
    code = 409 if stale else 400 if form.errors else 200
    return render_template(
        template,
        profile=profile,
        steps=profile_steps(profile),
        current=current,
        form=form,
        stale=stale,
        stale_message=STALE_MESSAGE,
        **context,
    ), code


def target_of(profile: Profile, current: str, action: str) -> str:
    """Where a button sends the person after saving."""
    steps = profile_steps(profile)
    if action == "next":
        return neighbour(steps, current, 1)
    if action == "back":
        return neighbour(steps, current, -1)
    if action.startswith("goto:") and action[5:] in {s.name for s in steps}:
        return action[5:]
    return current


def saved(
    profile: Profile,
    current: str,
    visit: Visit,
    action: str | None = None,
    anchor: str | None = None,
    message: str = "",
):
    """Write the step, then say what happened and go where the button (or action) asked."""
    document = snapshot(profile)
    if message:
        flash(message, "success")
    # Saying it is a draft again says the changes are saved, too.
    redrafted = printed_content(document) != printed_content(visit.before) and draft_again(profile)
    if not redrafted and not message and visit.action == "save":
        flash("Your changes are saved.", "success")
    target = target_of(profile, current, action or visit.action)
    changed = document != visit.before
    if changed:
        record("changed", profile.id)
    wizard.finish_step(profile, target, changed=changed)
    return redirect(url_for(".step", profile_id=profile.id, step=target, _anchor=anchor))


def submitted(form, profile: Profile, visit: Visit, versioned: bool = True) -> tuple[bool, bool]:
    """(valid, stale): validate a POSTed form and check it was made from the latest version."""
    if request.method != "POST" or not form.validate_on_submit():
        return False, False
    if not versioned:
        return True, False
    try:
        if visit.stale:
            raise StaleProfileError
        check_version(profile, form.version.data)
    except StaleProfileError:
        form.version.raw_data = [str(profile.version)]
        form.version.data = profile.version
        return False, True
    return True, False
