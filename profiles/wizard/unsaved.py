"""What a wizard page sent by someone would change: the text they typed, as they know it.

Used to keep a page sent after its session ended: only pages that change something are
kept, and the person is shown each piece of text with the question it answered.
"""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from ..facts import sort_facts
from ..models import Profile
from ..services import get_kind
from .forms import AboutForm, AgreementForm, StartForm, facts_form, section_form

NO_CSRF = {"csrf": False}


def typed_changes(
    profile: Profile | None, step: str | None, formdata: MultiDict
) -> list[list[str]]:
    """[label, text] for each piece of text this page would add or change; [] for none.

    profile is None for the page that starts a new profile. The photo and printing
    steps hold no typed text worth keeping (a photo cannot be kept without its file).
    """
    if profile is None:
        form = StartForm(formdata=formdata, meta=NO_CSRF)
        fields = (form.name, form.preferred_name, form.written_by)
        return [[f.label.text, f.data] for f in fields if f.data]
    if step in ("about", "agree"):
        if step == "about":
            form = AboutForm(formdata=formdata, meta=NO_CSRF)
            fields = (form.name, form.preferred_name, form.written_by)
        else:
            form = AgreementForm(formdata=formdata, meta=NO_CSRF)
            fields = (form.consent_by, form.consent_relationship)
        return [
            [f.label.text, f.data]
            for f in fields
            if f.data and f.data != (getattr(profile, f.name) or "")
        ]
    if step == "facts":
        return _typed_facts(profile, formdata)
    section = profile.section(step or "")
    if section is None:
        return []
    definition = get_kind(profile.kind).section(section.key)
    form = section_form(definition, profile.language, formdata=formdata, meta=NO_CSRF)
    changes = []
    heading = form.heading.data
    if heading and heading != (section.heading or definition.heading(profile.language)):
        changes.append([form.heading.label.text, heading])
    saved = {str(statement.id): statement.text for statement in section.statements}
    for entry in form.statements:
        text = (entry.form.text.data or "").strip()
        if text and saved.get(entry.form.id.data) != text:
            changes.append(["A statement you changed", text])
    for field in form.answer_fields():
        if (field.data or "").strip():
            changes.append([field.label.text, field.data.strip()])
    return changes


def _typed_facts(profile: Profile, formdata: MultiDict) -> list[list[str]]:
    """[label, text] for each key fact the facts step would add or change."""
    declared = get_kind(profile.kind).facts
    form = facts_form(declared, profile.language, formdata=formdata, meta=NO_CSRF)
    values, others = sort_facts(profile.facts or [], declared)
    changes = [
        [fact.label("en"), field.data]
        for fact, field in form.declared_fields()
        if field.data and field.data != values.get(fact.key, "")
    ]
    saved = {(f["label"], f["value"]) for f in others}
    for entry in form.others:
        label, value = entry.form.label.data, entry.form.value.data
        if value and (label, value) not in saved:
            changes.append([label or "Another key fact", value])
    return changes
