"""Views for the preview and the PDF."""

from __future__ import annotations

from io import BytesIO

from flask import render_template, request, send_file, url_for

from ..audit.service import record
from ..render import Screen, get_design, paper_name, print_html
from ..security import csp_nonce
from ..services import get_kind, get_profile
from ..text import file_name
from . import bp
from .service import print_document, print_profile


@bp.route("/<id:profile_id>/preview")
def preview(profile_id: int):
    """The printed page as a web page, at the size it prints, for the frame on the review step."""
    profile = get_profile(profile_id)
    outcome = print_profile(profile)
    record("viewed", profile.id)
    size = outcome.font_size or get_design(profile.design).floor
    notice = ""
    if not outcome.fits:
        notice = (
            f"This profile does not fit on one page yet, even with text at {size:g} point, "
            "so it cannot be printed. Shorten it: " + "; ".join(outcome.messages) + "."
        )
    screen = Screen(
        asset=lambda path: url_for("static", filename=path),
        # The browser fetches the photo itself, and keeps it until it changes.
        photo=url_for("library.photo", profile_id=profile.id) if profile.photo else "",
        nonce=csp_nonce(),
        notice=notice,
    )
    document = print_document(profile)
    if "logo" in document.get("branding", {}):
        # The browser fetches the logo too, as it does the photo.
        logo = {**document["branding"]["logo"], "address": url_for("organisations.logo")}
        document["branding"] = {**document["branding"], "logo": logo}
    html = print_html(document, get_kind(profile.kind), size, screen)
    return html, 200, {"Cache-Control": "no-store"}


@bp.route("/<id:profile_id>/profile.pdf")
def pdf(profile_id: int):
    """The one-page PDF as a download, or a page saying what to shorten (422)."""
    profile = get_profile(profile_id)
    paper = request.args.get("paper")
    if paper is not None and paper_name(paper) is None:
        return render_template(
            "error.html",
            title="That paper size is not available",
            advice="Profiles print on A4 or Letter paper. Choose one of those and try again.",
        ), 400
    outcome = print_profile(profile, paper=paper and paper_name(paper))
    if not outcome.fits:
        return render_template("print/too_long.html", profile=profile, outcome=outcome), 422
    record("printed", profile.id)
    response = send_file(
        BytesIO(outcome.pdf),
        mimetype="application/pdf",
        as_attachment=True,
        # Named for the person, so that a folder of downloads can be told apart and sorted.
        download_name=file_name(profile.name, "one-page profile.pdf"),
    )
    # Health information: keep it out of shared and browser caches.
    response.headers["Cache-Control"] = "no-store"
    return response
