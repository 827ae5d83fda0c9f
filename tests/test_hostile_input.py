"""Whatever arrives in an address, a query or a form, the answer is a page, never a 500."""

from __future__ import annotations

import re

import pytest

from profiles.extensions import db
from profiles.form_filters import trimmed
from profiles.models import Profile, Statement
from profiles.text import file_name, without_controls

from .conftest import inspecting

GIANT_IDS = ["0", "2147483648", "9223372036854775808", "99999999999999999999999"]
HOSTILE = [
    "9" * 40,
    "x" * 20_000,
    "\u202eevil\u202c name",
    "nul\x00 in the middle",
    "😀" * 300,
    "a\u0301" * 2_000,
    "%s%n'\";-- <script>",
]
# Posting these ends the session the walk goes on with, or needs no input at all.
LAST = {"accounts.sign_out", "accounts.sign_out_everywhere"}
FIELD = re.compile(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"')
HIDDEN = re.compile(r'<input\b(?=[^>]*\btype="hidden")[^>]*\bname="([^"]+)"[^>]*\bvalue="([^"]*)"')


def urls(app, **values):
    """Every rule with the values its arguments need, in a stable order, LAST at the end."""
    known = {"step": "about", "change": "deactivate", "token": "x", **values}
    rules = sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint in LAST, r.rule))
    for rule in rules:
        if rule.endpoint == "static":
            continue
        args = {k: known.get(k, 1) for k in rule.arguments}
        yield rule, rule.build(args)[1]


def test_an_id_beyond_what_the_database_holds_is_not_found(app, client, create_profile):
    create_profile()
    checked = 0
    for giant in GIANT_IDS:
        for rule in app.url_map.iter_rules():
            ids = [a for a in rule.arguments if a.endswith("_id")]
            if not ids:
                continue
            path = rule.rule
            for arg in rule.arguments:
                value = (
                    giant
                    if arg in ids
                    else {"step": "about", "change": "deactivate", "number": "1"}[arg]
                )
                path = re.sub(rf"<[^>]*:?{arg}>", value, path)
            for method in sorted(rule.methods & {"GET", "POST"}):
                response = client.open(path, method=method, data={"action": "next"})
                assert response.status_code == 404, (path, method, response.status_code)
                checked += 1
    assert checked >= 4 * 13


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v[:12]))
def test_hostile_text_in_every_form_and_query_gets_a_page_never_a_500(
    app, client, create_profile, value
):
    profile_id = create_profile(name="Margaret Jones")
    pages = 0
    for rule, url in urls(app, profile_id=profile_id):
        query = dict.fromkeys(("q", "page", "size", "paper", "person", "profile"), value)
        if "GET" in rule.methods:
            response = client.get(url, query_string=query)
            assert response.status_code < 500, (url, response.status_code)
            pages += 1
            text = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
            names, hidden = set(FIELD.findall(text)), dict(HIDDEN.findall(text))
        else:
            names, hidden = set(), {}
        if "POST" in rule.methods:
            # Every field it shows filled with the value; the same, keeping what the page
            # holds hidden (so that a save is made); then none of them, only a button.
            every = dict.fromkeys(names - {"csrf_token"}, value)
            saving = {**dict.fromkeys(names - set(hidden), value), **hidden, "action": "save"}
            for form in (every, saving, {"action": value}):
                response = client.post(url, data=form)
                assert response.status_code < 500, (url, response.status_code)
    assert pages >= 20
    with inspecting(app):
        texts = [p.name for p in db.session.query(Profile)]
        texts += [s.text for s in db.session.query(Statement)]
    # Nothing kept a character that turns text around or a database would refuse.
    assert not any(set(text) & {"\u202e", "\x00"} for text in texts)


def test_direction_and_control_characters_are_taken_out_and_the_words_kept():
    assert trimmed("  \u202eevil\u202c  ") == "evil"
    assert without_controls("Siôn\x00 Jones\u2066") == "Siôn Jones"
    assert without_controls("one\ttwo\nthree") == "one\ttwo\nthree"
    assert without_controls(["\u200fa", "b"]) == ["a", "b"]


def test_a_name_pasted_with_a_direction_override_is_saved_without_it(app, client, create_profile):
    profile_id = create_profile(name="Margaret Jones")
    response = client.post(
        f"/profiles/{profile_id}/steps/about",
        data={"name": "\u202eMargaret Evans\u202c", "action": "save"},
    )
    assert response.status_code in (302, 303)  # saved, not refused
    with inspecting(app):
        assert db.session.get(Profile, profile_id).name == "Margaret Evans"


def test_a_very_long_search_says_so_on_the_form(client):
    response = client.post("/", data={"q": "x" * 5000})
    assert response.status_code == 400
    assert "A search can be up to 120 characters" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Margaret Okafor", "Margaret Okafor - one-page profile.pdf"),
        ('A/B:C*?"<>| D', "A B C D - one-page profile.pdf"),
        ("  ... ", "One-page profile.pdf"),
        ("Zoë\u202e Ærø.", "Zoë Ærø - one-page profile.pdf"),
    ],
)
def test_a_download_is_named_for_its_person_in_a_name_every_file_system_takes(name, expected):
    assert file_name(name, "one-page profile.pdf") == expected


def test_a_very_long_name_makes_a_file_name_short_enough_for_any_file_system():
    named = file_name("Łucja " * 80, "one-page profile.pdf")
    assert len(named.encode()) <= 200 and named.startswith("Łucja Łucja")
    assert named.endswith("Łucja - one-page profile.pdf")


def test_no_box_cuts_what_is_typed_or_pasted_into_it(app, client, create_profile):
    """A browser silently drops whatever goes past a box's maxlength: every limit is checked
    when the form is sent instead, with a message, so nothing typed is lost."""
    pid = create_profile(statements={"support": ["Knock first."]})
    pages = [
        f"/profiles/{pid}/steps/{step}" for step in ("about", "support", "photo", "agree", "review")
    ]
    pages.append(f"/profiles/{create_profile(kind='hospital')}/steps/facts")
    pages += [f"/profiles/{pid}/sharing", f"/profiles/{pid}/contributions", f"/reviews/{pid}"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "maxlength" not in response.get_data(as_text=True), url
