"""What every step of the wizard shares: checking a sent page, saving it, showing it again."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
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


def page(
    template: str,
    profile: Profile,
    current: str,
    form,
    stale: bool,
    code: int | None = None,
    **context,
):
    """Show a step with its progress; 400 when it has errors, 409 when it was stale."""
    code = code or (409 if stale else 400 if form.errors else 200)
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
    target = target_of(profile, current, action or visit.action)
    if message:
        flash(message, "success")
    for text, category in write(profile, current, visit, target, quiet=bool(message)):
        flash(text, category)
    return redirect(url_for(".step", profile_id=profile.id, step=target, _anchor=anchor))


def write(
    profile: Profile, current: str, visit: Visit, target: str, quiet: bool = False
) -> list[tuple[str, str]]:
    """Write the step and remember where to resume; the messages to say about it.

    quiet leaves out "Your changes are saved", for a page that says something better.
    """
    messages = []
    document = snapshot(profile)
    # Saying it is a draft again says the changes are saved, too.
    redrafted = printed_content(document) != printed_content(visit.before) and draft_again(profile)
    if not redrafted and not quiet and visit.action == "save":
        messages.append(("Your changes are saved.", "success"))
    changed = document != visit.before
    if changed:
        record("changed", profile.id)
    wizard.finish_step(profile, target, changed=changed)
    return messages


def submitted(
    form, profile: Profile, visit: Visit, versioned: bool = True, saved_now=None
) -> tuple[bool, bool]:
    """(valid, stale): validate a POSTed form and check it was made from the latest version.

    saved_now, for a step whose boxes can be merged one by one, gives them as saved now
    (see merge_fields): a page from an older version then saves, with the other person's
    changes in the boxes it did not change, unless both changed the same box.
    """
    if request.method != "POST" or not form.validate_on_submit():
        return False, False
    if not versioned:
        return True, False
    try:
        if visit.stale:
            raise StaleProfileError
        check_version(profile, form.version.data)
    except StaleProfileError:
        if not visit.stale and saved_now is not None and merge_fields(form, saved_now):
            # The boxes together must still make sense (who agreed, and when).
            return form.validate(), False
        form.version.raw_data = [str(profile.version)]
        form.version.data = profile.version
        form.shown.data = shown(saved_now) if saved_now is not None else ""
        return False, True
    return True, False


def shown(values: dict[str, Any]) -> str:
    """Boxes' values as a page carries them, to know later what it showed."""
    return json.dumps({name: _plain(value) for name, value in values.items()})


def _plain(value: Any) -> str:
    return "" if value is None else value.isoformat() if isinstance(value, date) else str(value)


def merge_fields(form, saved_now: dict[str, Any]) -> bool:
    """Merge a page from an older version with the boxes as saved now, box by box: whoever
    changed a box wins over whoever did not. False, changing nothing, when both changed
    the same box to different values, or the page does not say what it showed."""
    try:
        base = json.loads(form.shown.data or "")
    except ValueError:
        return False
    if not isinstance(base, dict):
        return False
    # A form whose boxes are not single fields (a list of rows) says how to read and set them.
    read = getattr(form, "merge_value", lambda name: form[name].data)
    keep = {}
    for name, theirs in saved_now.items():
        mine = read(name)
        if _plain(mine) in (_plain(theirs), base.get(name)):
            keep[name] = theirs
        elif _plain(theirs) != base.get(name):
            return False
    for name, value in keep.items():
        if hasattr(form, "merge_set"):
            form.merge_set(name, value)
        else:
            form[name].data = value
    return True
