"""Views for an organisation's administrators: its accent colour and logo on every print."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from ..photos import PhotoError, process_logo
from ..security import administrators_only, not_kept
from . import bp
from . import branding as brand
from .forms import AccentForm, LogoForm


def settings_page(
    accent_form: AccentForm | None = None, logo_form: LogoForm | None = None, code: int = 200
):
    """The settings page, with whichever of its two forms was sent shown as it was sent."""
    branding = brand.find_branding()
    saved_accent = branding.accent if branding else None
    has_logo = branding is not None and branding.logo_sha256 is not None
    if accent_form is None:
        accent_form = AccentForm(formdata=None, accent=saved_accent or "")
    if logo_form is None:
        description = branding.logo_description if has_logo else ""
        logo_form = LogoForm(formdata=None, description=description)
    page = render_template(
        "organisations/settings.html",
        accent_form=accent_form,
        logo_form=logo_form,
        accent=saved_accent,
        default_accent=brand.DEFAULT_ACCENT,
        logo=branding if has_logo else None,
        organisation=current_user.organisation,
    )
    return not_kept(page, code)


@bp.route("/settings")
@administrators_only
def settings():
    """The organisation's accent colour and logo, each with its own form."""
    return settings_page()


@bp.route("/settings/colour", methods=["POST"])
@administrators_only
def save_colour():
    """Save the accent colour, or go back to each layout's own colours."""
    if request.form.get("action") == "default":
        if not FlaskForm().validate_on_submit():
            abort(400)
        brand.save_accent(None)
        flash("Profiles now print in each layout's own colours.", "success")
        return redirect(url_for(".settings"))
    form = AccentForm()
    if not form.validate_on_submit():
        return settings_page(accent_form=form, code=400)
    brand.save_accent(form.accent.data)
    flash(
        f"The accent colour {form.accent.data} is saved. Profiles print with it from now on.",
        "success",
    )
    return redirect(url_for(".settings"))


@bp.route("/settings/logo", methods=["POST"])
@administrators_only
def save_logo():
    """Upload, replace or describe the logo, or remove it."""
    if request.form.get("action") == "remove":
        if not FlaskForm().validate_on_submit():
            abort(400)
        brand.remove_logo()
        flash("The logo is removed. Profiles print without it from now on.", "success")
        return redirect(url_for(".settings", _anchor="organisation-logo"))
    form = LogoForm()
    if not form.validate_on_submit():
        return settings_page(logo_form=form, code=400)
    upload = form.logo.data
    clean = None
    if upload and getattr(upload, "filename", ""):
        try:
            clean = process_logo(upload.read())
        except PhotoError as exc:
            form.logo.errors = [str(exc)]
            return settings_page(logo_form=form, code=400)
    existing = brand.find_branding()
    if clean is None and (existing is None or existing.logo_sha256 is None):
        form.logo.errors = ["Choose a logo to upload: a JPEG, PNG or WebP file"]
        return settings_page(logo_form=form, code=400)
    brand.save_logo(clean, form.description.data)
    flash(
        "The logo is saved. It prints on every profile from now on."
        if clean is not None
        else "The logo's description is saved.",
        "success",
    )
    return redirect(url_for(".settings", _anchor="organisation-logo"))


@bp.route("/logo")
def logo():
    """The organisation's logo, for the settings page and the print preview: anyone signed in
    to the organisation may see it, as it prints on every profile."""
    branding = brand.find_branding()
    if branding is None or branding.logo_sha256 is None:
        return Response(status=404)
    return Response(branding.logo_data, mimetype=branding.logo_media_type)
