"""Views for share links: staff make and stop them on a profile's sharing page; anyone
with one opens the profile and its PDF, without an account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from flask import (
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from .. import links
from ..accounts import limits
from ..extensions import csrf, db
from ..links import link_headers
from ..models import Organisation, ShareLink, aware
from ..printing import why_not_printed
from ..printing.service import print_profile
from ..render import Outcome, RenderFailed, RenderTimedOut
from ..services import get_profile
from ..text import file_name
from ..wizard.agreement import agreement
from . import bp
from . import services as sharing
from .forms import CodeForm, ShareForm


@dataclass(frozen=True)
class Made:
    """A link just made: its full address, shown this once, and what to say about it."""

    address: str
    expires_at: datetime
    has_code: bool


@bp.app_template_global()
def share_links(profile) -> tuple[int, datetime | None]:
    """How many of the profile's links work now, and when one was last opened: for any
    page about the profile to mention."""
    live = links.live(ShareLink, profile)
    opened = [aware(link.last_opened_at) for link in live if link.last_opened_at]
    return len(live), max(opened, default=None)


@bp.route("/profiles/<id:profile_id>/sharing", methods=["GET", "POST"])
def index(profile_id: int):
    """The profile's live links, each with a button to stop it working, and a form to make
    another.

    A new link is shown on the page that answers the form, not after a redirect: the token
    is then never kept anywhere, not even in the session until the next page.
    """
    profile = get_profile(profile_id)
    agreed = sharing.agreed_version(profile)
    form = ShareForm()
    made = None
    if form.validate_on_submit():
        version = agreed if form.shows.data == "agreed" else None
        link, token = sharing.make_link(profile, form.days.data, form.code.data, version)
        address = links.link_address("sharing.shared", token)
        made = Made(address, link.expires_at, link.code_hash is not None)
        form = ShareForm(formdata=None)
    live = links.live(ShareLink, profile)
    page = render_template(
        "sharing/index.html",
        profile=profile,
        form=form,
        made=made,
        links=live,
        makers=sharing.makers(live),
        agreed=agreed,
        agreement=agreement(profile),
    )
    return page, 400 if form.errors else 200


@bp.route("/profiles/<id:profile_id>/sharing/<id:link_id>/revoke", methods=["POST"])
def revoke(profile_id: int, link_id: int):
    """Stop a link working at once."""
    profile = get_profile(profile_id)
    link = links.find(ShareLink, profile, link_id)
    if link is None:
        abort(404)
    links.revoke(link)
    flash(
        "The link no longer works. It no longer opens the profile: anyone who tries it is "
        "told it is no longer active.",
        "success",
    )
    return redirect(url_for(".index", profile_id=profile.id), 303)


# What a link's visitor is shown when it opens nothing.


class LinkRefused(Exception):
    """The link's page cannot be shown: too many openings, or the link does not work."""

    def __init__(self, response: Response) -> None:
        self.response = response


@bp.errorhandler(LinkRefused)
def refused(exc: LinkRefused) -> Response:
    return exc.response


def link_page(template: str, code: int = 200, **context) -> Response:
    """A page for a link's visitor: not indexed, not kept, and no address passed on."""
    return link_headers(make_response(render_template(template, **context), code))


def arrive(token: str) -> ShareLink:
    """The live link this token opens, acting for its organisation; else the page that says
    why not. Every arrival counts towards the address's limit."""
    wait = limits.opening_wait()
    if wait is not None:
        message = limits.wait_message(
            wait, too_many="Too many shared pages have been opened from this connection."
        )
        response = link_page("sharing/too_many.html", 429, message=message)
        response.headers["Retry-After"] = str(limits.seconds_until(wait))
        raise LinkRefused(response)
    link = links.by_token(ShareLink, token)
    if link is None or not link.is_live():
        # One answer whatever the reason: a different one for a link that did once work
        # would tell whoever tries tokens which of them were ever real.
        raise LinkRefused(link_page("sharing/inactive.html", 404))
    return link


def try_printing(profile, link: ShareLink) -> Outcome | None:
    """The print's outcome as the link shows the profile, or None when printing was stopped
    this time."""
    try:
        return print_profile(profile, version=link.version)
    except (RenderTimedOut, RenderFailed):
        return None


@bp.route("/shared/<token>", methods=["GET", "POST"])
@csrf.exempt  # the link's token is the secret: see CodeForm
def shared(token: str):
    """The shared profile as its one page, with its PDF; first the access code, if any."""
    link = arrive(token)
    profile = sharing.act_for_link(link)
    if not sharing.unlocked(link):
        return ask_for_code(link, token)
    if request.method == "POST":  # the code was given already, in another tab
        return redirect(url_for(".shared", token=token), 303)
    outcome = try_printing(profile, link)
    sharing.note_opening(link)
    name, called = sharing.names_shown(profile, link)
    return link_page(
        "sharing/shared.html",
        name=name,
        called=called,
        link=link,
        token=token,
        outcome=outcome,
        organisation=db.session.get(Organisation, link.organisation_id),
    )


def ask_for_code(link: ShareLink, token: str) -> Response:
    """Ask for the link's access code; once it is right, show the profile. A link locked
    after too many wrong codes asks no more."""
    if link.locked:
        return link_page("sharing/locked.html", 403)
    form = CodeForm()
    code = 200
    if form.validate_on_submit():
        wait = limits.code_wait(link.id)
        if wait is not None:
            form.code.errors.append(
                limits.wait_message(wait, too_many="Too many wrong access codes.")
            )
            code = 429
        elif sharing.unlock(link, form.code.data):
            return redirect(url_for(".shared", token=token), 303)
        else:
            limits.record_code_failure(link.id)
            if sharing.note_wrong_code(link):
                return link_page("sharing/locked.html", 403)
            form.code.errors.append(
                "The access code is not right. Check it with whoever shared the profile "
                "with you, and type it again."
            )
            code = 400
    elif form.errors:
        code = 400
    return link_page("sharing/code.html", code, form=form)


@bp.route("/shared/<token>/page")
def shared_page(token: str):
    """The printed page as a web page, for the frame on the shared profile's page."""
    link = arrive(token)
    profile = sharing.act_for_link(link)
    if not sharing.unlocked(link):
        return redirect(url_for(".shared", token=token), 303)
    html = sharing.shared_html(profile, link, try_printing(profile, link))
    return link_headers(make_response(html))


@bp.route("/shared/<token>/profile.pdf")
def shared_pdf(token: str):
    """The one-page PDF of the link's profile, and of no other."""
    link = arrive(token)
    profile = sharing.act_for_link(link)
    if not sharing.unlocked(link):
        return redirect(url_for(".shared", token=token), 303)
    try:
        outcome = print_profile(profile, version=link.version)
    except (RenderTimedOut, RenderFailed) as exc:
        title = why_not_printed(exc)[0]
        return link_page("sharing/not_printed.html", 503, title=title, token=token)
    if not outcome.fits:
        return link_page("sharing/not_printed.html", 422, title=None, token=token)
    sharing.note_opening(link)
    response = send_file(
        BytesIO(outcome.pdf),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=file_name(sharing.names_shown(profile, link)[0], "one-page profile.pdf"),
    )
    return link_headers(response)
