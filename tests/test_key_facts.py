"""Key facts as a care worker meets them: a wizard step of their own for the kinds that ask
for them (the hospital passport's NHS number, GP and next of kin; a staff member's role),
checked where a mistake matters, shown on "Check your answers" and printed."""

import json
import re

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from profiles.document import profile_document
from profiles.extensions import db
from profiles.kinds import KINDS_DIR, KindError, load_kinds
from profiles.kinds.checks import FactProblem, nhs_number, phone
from profiles.models import AuditEvent, Profile
from profiles.transfer.importer import import_files

from .conftest import EXAMPLES, acting_for, inspecting
from .test_printing import pdf_of, text_of
from .test_sessions import leave_for
from .test_unsaved import held_count, replay_forms, sign_in
from .test_wizard import primary_buttons, version

NOT_TEN = "An NHS number has 10 digits: this one has {}"
WRONG_DIGIT = (
    "This is not a valid NHS number: the last digit does not match the others. Check it "
    "against a letter from the NHS or the NHS App"
)


def facts_of(app, pid) -> list[dict[str, str]]:
    with inspecting(app):
        return db.session.get(Profile, pid).facts


def post_facts(client, pid, action="next", follow_redirects=False, **fields):
    return client.post(
        f"/profiles/{pid}/steps/facts",
        data={"action": action, **fields},
        follow_redirects=follow_redirects,
    )


def no_tenth_digit_works() -> str:
    """Nine digits whose weighted sum leaves 1 over a multiple of 11: the check digit would
    be 10, which no single digit can be, so no NHS number starts with them."""
    for number in range(100_000_000, 100_001_000):
        digits = str(number)
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        if 11 - total % 11 == 10:
            return digits
    raise AssertionError("no such digits in range")


def test_a_hospital_passport_asks_for_key_facts_right_after_the_person(app, client):
    response = client.post(
        "/profiles/new", data={"kind": "hospital", "name": "Margaret Jones", "language": "en"}
    )
    pid = int(re.search(r"/profiles/(\d+)/", response.headers["Location"]).group(1))
    assert response.headers["Location"].endswith(f"/profiles/{pid}/steps/facts")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<h1>Key facts</h1>" in page
    assert "Margaret Jones: step 2 of 8" in page
    labels = re.findall(r'<label class="label" for="fact_\w+">(.*?)</label>', page)
    assert labels == [
        "NHS number (optional)",
        "Date of birth (optional)",
        "GP (optional)",
        "Next of kin (optional)",
        "Next of kin&#39;s phone number (optional)",
        "Who knows me best (optional)",
        "Allergies (optional)",
        "How I communicate (optional)",
    ]
    assert 'id="fact_nhs_number" inputmode="numeric"' in page
    assert 'type="tel"' in page  # the phone number's box brings up a phone's keypad
    assert primary_buttons(page) == ["Save and continue"]
    # An adult's profile asks for none, and goes straight from the person to the sections.
    adult = client.post("/profiles/new", data={"kind": "adult", "name": "Tom Evans"})
    assert adult.headers["Location"].endswith("/steps/appreciation")
    adult_id = re.search(r"/profiles/(\d+)/", adult.headers["Location"]).group(1)
    assert client.get(f"/profiles/{adult_id}/steps/facts").status_code == 404
    assert "Key facts" not in client.get(adult.headers["Location"]).get_data(as_text=True)


def test_key_facts_are_saved_in_order_shown_for_checking_and_printed(app, client, create_profile):
    pid = create_profile(kind="hospital", statements={"must_know": ["Call me Peggy."]})
    response = post_facts(
        client,
        pid,
        fact_allergies="Penicillin: a rash and swollen lips",
        fact_nhs_number="943-476-5919",
        fact_gp="  Dr Anita Shah, Riverside Surgery  ",
        fact_next_of_kin="Ann Jones (daughter)",
        fact_next_of_kin_phone="07700 900123 (after 6pm)",
        version=version(app, pid),
    )
    assert response.headers["Location"].endswith(f"/profiles/{pid}/steps/must_know")
    # As the file format carries them: declared order, only those given, NHS number as 3 3 4.
    assert facts_of(app, pid) == [
        {"label": "NHS number", "value": "943 476 5919"},
        {"label": "GP", "value": "Dr Anita Shah, Riverside Surgery"},
        {"label": "Next of kin", "value": "Ann Jones (daughter)"},
        {"label": "Next of kin's phone number", "value": "07700 900123 (after 6pm)"},
        {"label": "Allergies", "value": "Penicillin: a rash and swollen lips"},
    ]
    again = client.get(f"/profiles/{pid}/steps/facts").get_data(as_text=True)
    assert 'name="fact_nhs_number" spellcheck="false" type="text" value="943 476 5919"' in again
    done = '<span class="progress__done"><span class="visually-hidden">, </span>Done</span>'
    assert f"Key facts{done}" in again

    review = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    facts = re.search(r"<dt>Key facts</dt><dd>(.*?)</dd>", review, re.S).group(1)
    assert "<li>NHS number: 943 476 5919</li>" in facts
    assert "<li>Next of kin&#39;s phone number: 07700 900123 (after 6pm)</li>" in facts
    assert (
        'name="action" value="goto:facts">Change<span class="visually-hidden"> key facts</span>'
        in facts
    )
    changed = client.post(f"/profiles/{pid}/steps/review", data={"action": "goto:facts"})
    assert changed.headers["Location"].endswith(f"/profiles/{pid}/steps/facts")

    text = text_of(pdf_of(client.get(f"/profiles/{pid}/profile.pdf")))
    assert "943 476 5919" in text
    assert "Penicillin: a rash and swollen lips" in text


@pytest.mark.parametrize("typed", ["943 476 5919", "9434765919", "943-476-5919", " 943 4765 919 "])
def test_an_nhs_number_is_kept_written_three_three_four(typed):
    assert nhs_number(typed) == "943 476 5919"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("943 476 591", NOT_TEN.format(9)),
        ("943 476 59190", NOT_TEN.format(11)),
        ("943 476 5918", WRONG_DIGIT),
        ("943 746 5919", WRONG_DIGIT),  # two digits swapped
        ("NHS 943 476 5919", "An NHS number is written with digits only"),
        ("९४३ ४७६ ५९१९", "An NHS number is written with digits only"),  # not the digits 0 to 9
    ],
)
def test_a_wrong_nhs_number_says_what_is_wrong(typed, message):
    with pytest.raises(FactProblem) as problem:
        nhs_number(typed)
    assert str(problem.value).startswith(message)


def test_nine_digits_that_cannot_have_a_check_digit_are_no_nhs_number():
    nine = no_tenth_digit_works()
    for last in "0123456789":
        with pytest.raises(FactProblem) as problem:
            nhs_number(nine + last)
        assert str(problem.value) == (
            "This is not a valid NHS number: no NHS number starts with these 9 digits. Check "
            "it against a letter from the NHS or the NHS App"
        )


def test_a_wrong_nhs_number_is_refused_on_the_step_and_nothing_is_saved(
    app, client, create_profile
):
    pid = create_profile(kind="hospital")
    for typed, message in [
        ("943 476 591", NOT_TEN.format(9)),
        ("943 476 5918", WRONG_DIGIT),
        (
            no_tenth_digit_works() + "0",
            "This is not a valid NHS number: no NHS number starts with these 9 digits",
        ),
    ]:
        response = post_facts(
            client, pid, fact_nhs_number=typed, fact_gp="Dr Anita Shah", version=version(app, pid)
        )
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "There is a problem" in page
        assert f'<li><a href="#fact_nhs_number">{message}' in page.replace("&#39;", "'")
        # What was typed is still there to correct, the rest too.
        assert f'value="{typed}"' in page and 'value="Dr Anita Shah"' in page
    assert facts_of(app, pid) == []
    # An NHS number is not needed: leaving it empty is fine.
    post_facts(client, pid, fact_gp="Dr Anita Shah", version=version(app, pid))
    assert facts_of(app, pid) == [{"label": "GP", "value": "Dr Anita Shah"}]


def test_a_phone_number_is_kept_exactly_as_typed_if_it_has_a_digit(app, client, create_profile):
    assert phone("+44 (0)7700 900123 ext. 2, after 6pm") == "+44 (0)7700 900123 ext. 2, after 6pm"
    pid = create_profile(kind="hospital")
    refused = post_facts(client, pid, fact_next_of_kin_phone="ask at reception")
    assert refused.status_code == 400
    assert "This phone number has no digits in it. Write the number" in refused.get_data(
        as_text=True
    )
    assert facts_of(app, pid) == []
    post_facts(client, pid, fact_next_of_kin_phone="  07700 900123, Ann's mobile ")
    assert facts_of(app, pid) == [
        {"label": "Next of kin's phone number", "value": "07700 900123, Ann's mobile"}
    ]


def test_a_fact_too_long_says_how_long_and_is_never_cut(app, client, create_profile):
    pid = create_profile(kind="hospital")
    allergies = "Penicillin, " * 20  # 240 characters, 239 once trimmed
    response = post_facts(client, pid, fact_allergies=allergies)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This has 239 characters. A key fact can be up to 200" in page
    assert allergies.strip() in page
    assert facts_of(app, pid) == []


def test_facts_from_a_file_under_other_labels_are_kept_through_a_save(app, client, account):
    doc = json.loads((EXAMPLES / "adult.json").read_text())
    doc |= {
        "kind": "hospital",
        "sections": [],
        "facts": [
            {"label": "Religion", "value": "Methodist"},
            {"label": "nhs number", "value": "9434765919"},
            {"label": "Hearing", "value": "Hearing aid in my left ear"},
            {"label": "Blood group", "value": ""},
        ],
    }
    doc.pop("layout")
    with acting_for(app):
        (pid,) = import_files([("peggy.json", json.dumps(doc).encode())])
    page = client.get(f"/profiles/{pid}/steps/facts").get_data(as_text=True)
    # The NHS number is found whatever its case, the others are shown to change.
    assert 'name="fact_nhs_number" spellcheck="false" type="text" value="9434765919"' in page
    assert '<h2 id="other-facts">Other key facts</h2>' in page
    assert 'name="others-0-label" type="text" value="Religion"' in page
    assert 'name="others-1-value" type="text" value="Hearing aid in my left ear"' in page
    post_facts(
        client,
        pid,
        fact_nhs_number="9434765919",
        fact_allergies="None known",
        **{
            "others-0-label": "Religion",
            "others-0-value": "Methodist",
            "others-1-label": "Hearing",
            "others-1-value": "Hearing aid in my left ear (it whistles)",
            "others-2-label": "Blood group",
            "others-2-value": "",
        },
        version=version(app, pid),
    )
    assert facts_of(app, pid) == [
        {"label": "NHS number", "value": "943 476 5919"},
        {"label": "Allergies", "value": "None known"},
        {"label": "Religion", "value": "Methodist"},
        {"label": "Hearing", "value": "Hearing aid in my left ear (it whistles)"},
        {"label": "Blood group", "value": ""},  # as the file had it: only emptied rows go
    ]
    # An other fact needs a label to be one.
    response = post_facts(client, pid, **{"others-0-label": "", "others-0-value": "Methodist"})
    assert response.status_code == 400
    assert "Give this fact a label, or empty its box too" in response.get_data(as_text=True)
    assert len(facts_of(app, pid)) == 5
    # Emptied of both label and fact, a row is taken off the profile.
    post_facts(
        client,
        pid,
        fact_nhs_number="943 476 5919",
        fact_allergies="None known",
        **{
            "others-0-label": "Religion",
            "others-0-value": "Methodist",
            "others-1-label": "",
            "others-1-value": "",
            "others-2-label": "",
            "others-2-value": "",
        },
        version=version(app, pid),
    )
    assert [f["label"] for f in facts_of(app, pid)] == ["NHS number", "Allergies", "Religion"]


def test_more_than_twelve_facts_in_all_are_refused_with_the_count(app, client, account):
    doc = json.loads((EXAMPLES / "adult.json").read_text())
    doc |= {
        "kind": "hospital",
        "sections": [],
        "facts": [{"label": f"Fact {i}", "value": f"Value {i}"} for i in range(1, 12)],
    }
    with acting_for(app):
        (pid,) = import_files([("many.json", json.dumps(doc).encode())])
    others = {}
    for i in range(11):
        others[f"others-{i}-label"] = f"Fact {i + 1}"
        others[f"others-{i}-value"] = f"Value {i + 1}"
    response = post_facts(
        client, pid, fact_nhs_number="943 476 5919", fact_gp="Dr Anita Shah", **others
    )
    assert response.status_code == 400
    assert (
        "A profile can hold up to 12 key facts and this would make 13. Empty the other facts "
        "that are no longer needed." in response.get_data(as_text=True)
    )
    assert len(facts_of(app, pid)) == 11
    post_facts(client, pid, fact_nhs_number="943 476 5919", **others)
    assert len(facts_of(app, pid)) == 12


def test_an_imported_nhs_number_is_not_checked_and_facts_go_round_unchanged(app):
    doc = json.loads((EXAMPLES / "adult.json").read_text())
    facts = [
        {"label": "NHS number", "value": "12345 (ask the GP)"},
        {"label": "Next of kin's phone number", "value": "none"},
        {"label": "GP", "value": ""},
    ]
    doc |= {"kind": "hospital", "sections": [], "facts": facts}
    with acting_for(app):
        (pid,) = import_files([("peggy.json", json.dumps(doc).encode())])
        exported = profile_document(db.session.get(Profile, pid))
        (again,) = import_files([("again.json", json.dumps(exported).encode())])
        assert profile_document(db.session.get(Profile, again))["facts"] == facts
    assert exported["facts"] == facts


def test_a_stale_save_of_the_facts_keeps_what_was_typed(app, client, create_profile):
    pid = create_profile(kind="hospital")
    old = version(app, pid)
    post_facts(client, pid, fact_gp="Dr Anita Shah", version=old)
    response = post_facts(
        client, pid, fact_gp="Dr Rhys Owen", fact_next_of_kin="Ann Jones", version=old
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else saved changes to this profile" in page
    assert 'value="Dr Rhys Owen"' in page and 'value="Ann Jones"' in page
    assert "<dt>GP</dt><dd>Dr Anita Shah</dd>" in page  # what is saved now, to compare
    assert facts_of(app, pid) == [{"label": "GP", "value": "Dr Anita Shah"}]
    post_facts(
        client, pid, fact_gp="Dr Rhys Owen", fact_next_of_kin="Ann Jones", version=version(app, pid)
    )
    assert facts_of(app, pid) == [
        {"label": "GP", "value": "Dr Rhys Owen"},
        {"label": "Next of kin", "value": "Ann Jones"},
    ]


def test_changing_a_ready_passports_facts_makes_it_a_draft_and_is_recorded(
    app, client, create_profile
):
    pid = create_profile(kind="hospital", status="ready")
    response = post_facts(client, pid, fact_allergies="Latex", follow_redirects=True)
    assert "This profile has changed, so it is a draft again." in response.get_data(as_text=True)
    with inspecting(app):
        assert db.session.get(Profile, pid).status == "draft"
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.profile_id == pid)
        ).all()
    assert "changed" in actions
    # Saving the same again changes nothing, so it is not recorded as a change.
    post_facts(client, pid, fact_allergies="Latex")
    with inspecting(app):
        count = db.session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.profile_id == pid, AuditEvent.action == "changed"
            )
        ).all()
    assert len(count) == 1


def test_a_welsh_passport_prints_its_facts_under_welsh_labels(app, client, create_profile):
    pid = create_profile(kind="hospital", language="cy")
    page = client.get(f"/profiles/{pid}/steps/facts").get_data(as_text=True)
    assert "Prints as “Rhif GIG”." in page
    post_facts(client, pid, fact_nhs_number="9434765919", fact_allergies="Penisilin")
    assert facts_of(app, pid) == [
        {"label": "Rhif GIG", "value": "943 476 5919"},
        {"label": "Alergeddau", "value": "Penisilin"},
    ]
    # Switched to English on the first step, the same facts print under English labels.
    client.post(
        f"/profiles/{pid}/steps/about",
        data={"name": "Margaret Jones", "language": "en", "action": "save"},
    )
    assert facts_of(app, pid) == [
        {"label": "NHS number", "value": "943 476 5919"},
        {"label": "Allergies", "value": "Penisilin"},
    ]


def test_a_staff_profile_asks_for_role_team_and_how_to_reach_me(app, client, create_profile):
    pid = create_profile(kind="staff", name="Sam Keyworker")
    page = client.get(f"/profiles/{pid}/steps/facts").get_data(as_text=True)
    labels = re.findall(r'<label class="label" for="fact_\w+">(.*?)</label>', page)
    assert labels == ["Role (optional)", "Team (optional)", "How to reach me (optional)"]
    post_facts(client, pid, fact_role="Senior care worker", fact_team="Bluebell unit, nights")
    assert facts_of(app, pid) == [
        {"label": "Role", "value": "Senior care worker"},
        {"label": "Team", "value": "Bluebell unit, nights"},
    ]


def test_facts_typed_after_the_idle_time_are_kept_and_saved_after_signing_in(
    app, client, create_profile
):
    pid = create_profile(kind="hospital", facts=[{"label": "GP", "value": "Dr Anita Shah"}])
    # A page that would change nothing is not kept.
    leave_for(client, 45)
    post_facts(client, pid, fact_gp="Dr Anita Shah", version=version(app, pid))
    assert held_count(app) == 0
    sign_in(client)
    leave_for(client, 45)
    response = post_facts(
        client,
        pid,
        fact_gp="Dr Anita Shah",
        fact_next_of_kin="Ann Jones (daughter)",
        version=version(app, pid),
    )
    assert response.headers["Location"].startswith("/sign-in")
    assert facts_of(app, pid) == [{"label": "GP", "value": "Dr Anita Shah"}]
    sign_in(client)
    page = client.get("/account/unsaved").get_data(as_text=True)
    assert "On the step “Key facts”." in page
    assert "<dd>Ann Jones (daughter)</dd>" in page
    assert "<dd>Dr Anita Shah</dd>" not in page  # unchanged, so not listed
    ((action, fields),) = replay_forms(page)
    client.post(action, data=MultiDict(fields))
    assert facts_of(app, pid) == [
        {"label": "GP", "value": "Dr Anita Shah"},
        {"label": "Next of kin", "value": "Ann Jones (daughter)"},
    ]


def write_kind(folder, facts: str):
    """A kind file whose sections are the adult's, with these [[facts]] tables."""
    adult = (KINDS_DIR / "adult.toml").read_text()
    (folder / "adult.toml").write_text(adult.replace("[[sections]]", facts + "\n[[sections]]", 1))


def test_a_kind_file_with_a_check_that_does_not_exist_is_refused(tmp_path):
    write_kind(
        tmp_path,
        '[[facts]]\nkey = "ni"\nlabel = "NI number"\nlabel_cy = "Rhif YG"\nhint = "."\n'
        'check = "ni_number"\n',
    )
    with pytest.raises(KindError, match="'check' must be one of nhs_number, phone"):
        load_kinds(tmp_path)
    write_kind(tmp_path, '[[facts]]\nkey = "ni"\nlabel = "NI number"\nhint = "."\n')
    with pytest.raises(KindError, match="'label_cy' must be non-empty text"):
        load_kinds(tmp_path)


def test_an_other_fact_relabelled_as_one_asked_for_above_is_refused_and_kept(app, client, account):
    doc = json.loads((EXAMPLES / "adult.json").read_text())
    facts = [{"label": "GP", "value": "Dr Anita Shah"}, {"label": "Religion", "value": "Methodist"}]
    doc |= {"kind": "hospital", "sections": [], "facts": facts}
    with acting_for(app):
        (pid,) = import_files([("peggy.json", json.dumps(doc).encode())])
    message = "NHS number is asked for above: put it there, or give this fact a label of its own"
    # Saved, the number would skip the NHS number's check, then move into its box.
    for typed in ("NHS number", "  nhs  NUMBER ", "Rhif GIG"):
        response = post_facts(
            client,
            pid,
            fact_gp="Dr Rhys Owen",
            version=version(app, pid),
            **{"others-0-label": typed, "others-0-value": "12345 (ask the GP)"},
        )
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert f'<li><a href="#others-0-label">{message}' in page
        assert page.count(message) == 2  # in the list of problems and at the label
        # Everything typed is still there, to move up or relabel.
        assert f'value="{typed.strip()}"' in page
        assert 'value="12345 (ask the GP)"' in page and 'value="Dr Rhys Owen"' in page
        assert facts_of(app, pid) == facts
    # Put where it is asked for, the number is checked there.
    refused = post_facts(client, pid, fact_gp="Dr Anita Shah", fact_nhs_number="12345")
    assert refused.status_code == 400
    assert NOT_TEN.format(5) in refused.get_data(as_text=True)
    # A label of its own is kept as typed.
    post_facts(
        client,
        pid,
        fact_gp="Dr Anita Shah",
        version=version(app, pid),
        **{"others-0-label": "Old hospital number", "others-0-value": "12345"},
    )
    assert facts_of(app, pid) == [
        {"label": "GP", "value": "Dr Anita Shah"},
        {"label": "Old hospital number", "value": "12345"},
    ]
