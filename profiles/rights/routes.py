"""Views for exporting everything held about one person."""

from __future__ import annotations

import csv
import io
import zipfile

from flask import send_file

from ..audit.service import Filters, events_csv, record, spreadsheet_safe
from ..contributions.services import contributions_csv, invitations_csv
from ..history.revisions import history_json
from ..models import aware
from ..printing.service import print_profile
from ..render import RenderFailed, RenderTimedOut
from ..security import administrators_only
from ..services import get_profile
from ..sharing.services import links_csv
from ..transfer.importer import export_json
from ..wizard.agreement import CHANGED, agreement
from . import bp

README = """Everything One-Page Profiles holds about this person, for a subject access request.

profile.json  the profile in the one-page profile file format, version 1, photo included
profile.pdf   the printed profile (missing when it does not fit on one page yet, or when
              printing it took too long this time: download the zip again for it)
audit.csv     every time someone viewed, changed, printed, exported, shared or deleted it
history.json  every saved version of the profile: who saved it, when (UTC), what they did,
              and the profile as it then was (its photo named by a hash, not included)
contributions.csv   what family, friends and colleagues sent through invitation links,
              who sent it, and whether staff accepted or declined it
invitations.csv     the invitation links made to ask for contributions (never the links
              themselves, which are not kept)
links.csv     every share link made to it: when and by whom, until when it works, whether it
              needs an access code, when it was revoked and last opened (never the link)
consent.txt   who agreed to the profile being made and shared, when, and to which version
reviews.csv   every review of the profile: when, by whom, who took part, what was found, and
              when the next was due
"""


@bp.route("/<id:profile_id>/everything.zip")
@administrators_only
def everything(profile_id: int):
    """Profile file, PDF, consent record, audit entries, history, contributions, invitations
    and share links in one zip: administrators only."""
    profile = get_profile(profile_id)
    try:
        pdf = print_profile(profile).pdf  # None when it does not fit
    except (RenderTimedOut, RenderFailed):
        pdf = None  # a request for a person's data must not fail for want of the print
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("README.txt", README)
        zipped.writestr("profile.json", export_json(profile))
        if pdf is not None:
            zipped.writestr("profile.pdf", pdf)
        zipped.writestr("consent.txt", consent_text(profile))
        zipped.writestr("reviews.csv", reviews_csv(profile))
        zipped.writestr("audit.csv", events_csv(Filters(profile_id=profile.id)))
        zipped.writestr("contributions.csv", contributions_csv(profile))
        zipped.writestr("invitations.csv", invitations_csv(profile))
        zipped.writestr("links.csv", links_csv(profile))
        zipped.writestr("history.json", history_json(profile))
    record("exported", profile.id)
    archive.seek(0)
    response = send_file(
        archive,
        mimetype="application/zip",
        as_attachment=True,
        # Never the person's name: file names end up in download lists and logs.
        download_name=f"profile-{profile.id}-everything.zip",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def consent_text(profile) -> str:
    """The consent record in plain words: who agreed, when, to which version, and whether
    the profile has changed since."""
    if profile.consent_self is None:
        text = "No agreement has been recorded yet.\n"
        if profile.print_unagreed_by is not None:
            text += (
                f"An administrator (account {profile.print_unagreed_by}) chose that it prints "
                "without the line saying it is a draft.\n"
            )
        return text
    when = profile.consent_date.isoformat() if profile.consent_date else "date not recorded"
    if profile.consent_self:
        text = f"{profile.consent_by} agreed themselves on {when}"
    else:
        text = (
            f"{profile.consent_by} ({profile.consent_relationship}) agreed on the person's "
            f"behalf on {when}"
        )
    if profile.agreed_version is not None:
        text += f", to version {profile.agreed_version} of the profile"
    text += ".\n"
    if agreement(profile) == CHANGED:
        text += (
            f"The profile has changed since it was agreed; it is now at version "
            f"{profile.version}.\n"
        )
    return text


REVIEW_COLUMNS = ("reviewed at", "reviewed by", "who took part", "note", "next review due")


def reviews_csv(profile) -> str:
    """Every review of the profile, newest first, one row each; times in UTC with their
    zone, and what anyone typed kept as text when a spreadsheet opens it."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REVIEW_COLUMNS)
    for review in profile.reviews:
        row = [
            aware(review.at).isoformat(timespec="seconds"),
            review.user.name,
            review.took_part,
            review.note,
            review.next_due.isoformat(),
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return out.getvalue()
