"""Two people editing one profile at once: whatever order their saves come in, nothing
either of them wrote is lost, and a section never holds more than its limit."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from profiles.extensions import db
from profiles.models import MAX_STATEMENTS, Profile, Section, Statement

from .conftest import inspecting, sign_in_as
from .pages import form_of
from .test_wizard import texts


def open_page(client, pid, key) -> dict[str, str]:
    """Open a section's page, as a person does, and keep what it would send."""
    response = client.get(f"/profiles/{pid}/steps/{key}")
    assert response.status_code == 200
    return form_of(response.get_data(as_text=True))


def send(client, pid, key, page, action="save", **typed):
    return client.post(f"/profiles/{pid}/steps/{key}", data={**page, **typed, "action": action})


def statement_field(page: dict[str, str], text: str) -> str:
    """The name of the box holding this statement on the page."""
    return next(name for name, value in page.items() if name.endswith("-text") and value == text)


@pytest.fixture
def two(app, account, create_account):
    """Sam (the usual test account) and Jo, staff of the same care home, each on a tablet."""
    _, jo = create_account(email="jo@riverside.example", role="staff", name="Jo Carer")
    sam_client, jo_client = app.test_client(), app.test_client()
    sign_in_as(sam_client, account[1])
    sign_in_as(jo_client, jo)
    return sam_client, jo_client


def test_both_add_statements_to_different_sections_and_both_are_kept(app, two, create_profile):
    sam, jo = two
    pid = create_profile()
    sams, jos = open_page(sam, pid, "important"), open_page(jo, pid, "support")
    assert send(sam, pid, "important", sams, answer_0="Tea first thing.").status_code == 302
    assert send(jo, pid, "support", jos, answer_0="Knock and wait.").status_code == 302
    assert texts(app, pid, "important") == ["Tea first thing."]
    assert texts(app, pid, "support") == ["Knock and wait."]


def test_both_add_to_the_same_section_and_all_are_kept(app, two, create_profile):
    sam, jo = two
    pid = create_profile(statements={"important": ["My cat, Biscuit."]})
    sams, jos = open_page(sam, pid, "important"), open_page(jo, pid, "important")
    send(sam, pid, "important", sams, answer_0="Tea first thing.\nThe radio on.")
    response = send(jo, pid, "important", jos, "next", answer_1="Chapel on Sundays.")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/steps/support")
    page = jo.get(response.headers["Location"]).get_data(as_text=True)
    assert "The profile was changed elsewhere while you had this page open" in page
    assert texts(app, pid, "important") == [
        "My cat, Biscuit.",
        "Tea first thing.",
        "The radio on.",
        "Chapel on Sundays.",
    ]


def test_edits_to_different_statements_of_a_section_are_both_kept(app, two, create_profile):
    sam, jo = two
    pid = create_profile(statements={"support": ["Knock.", "Speak slowly.", "Tea."]})
    sams, jos = open_page(sam, pid, "support"), open_page(jo, pid, "support")
    sams[statement_field(sams, "Knock.")] = "Knock and wait for an answer."
    jos[statement_field(jos, "Tea.")] = "Tea with two sugars."
    assert send(sam, pid, "support", sams).status_code == 302
    assert send(jo, pid, "support", jos).status_code == 302
    assert texts(app, pid, "support") == [
        "Knock and wait for an answer.",
        "Speak slowly.",
        "Tea with two sugars.",
    ]


@pytest.mark.parametrize(
    ("choice", "combined", "kept"),
    [
        ("mine", None, "Knock twice and wait."),
        ("theirs", None, "Knock and wait for an answer."),
        ("both", "Knock twice, then wait for an answer.", "Knock twice, then wait for an answer."),
    ],
)
def test_a_statement_both_changed_is_shown_side_by_side_to_choose_or_combine(
    app, two, create_profile, choice, combined, kept
):
    sam, jo = two
    pid = create_profile(statements={"support": ["Knock.", "Tea."]})
    sams, jos = open_page(sam, pid, "support"), open_page(jo, pid, "support")
    sams[statement_field(sams, "Knock.")] = "Knock and wait for an answer."
    send(sam, pid, "support", sams)
    jos[statement_field(jos, "Knock.")] = "Knock twice and wait."
    jos[statement_field(jos, "Tea.")] = "Tea, no sugar."
    response = send(jo, pid, "support", jos, "next", answer_0="Sit on my left.")
    # Everything else is saved; the statement both changed waits, with both versions.
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else changed the same statement" in page
    assert "Your version" in page and "Their version, saved by Sam Keyworker on" in page
    assert "Knock twice and wait." in page and "Knock and wait for an answer." in page
    assert texts(app, pid, "support") == [
        "Knock and wait for an answer.",
        "Tea, no sugar.",
        "Sit on my left.",
    ]
    # Saving without choosing says what to do, and still saves nothing for it.
    again = form_of(page)
    refused = send(jo, pid, "support", again)
    assert refused.status_code == 400
    assert "Choose which version of this statement to keep" in refused.get_data(as_text=True)
    assert texts(app, pid, "support")[0] == "Knock and wait for an answer."
    # Choosing saves the choice.
    chosen = dict(again)
    choice_field = statement_field(again, "Knock twice and wait.").replace("-text", "-choice")
    chosen[choice_field] = choice
    if combined:
        combined_field = choice_field.replace("-choice", "-combined")
        assert chosen[combined_field] == "Knock twice and wait.\nKnock and wait for an answer."
        chosen[combined_field] = combined
    assert send(jo, pid, "support", chosen).status_code == 302
    assert texts(app, pid, "support") == [kept, "Tea, no sugar.", "Sit on my left."]


def test_an_edit_to_a_statement_someone_else_removed_is_kept(app, two, create_profile):
    sam, jo = two
    pid = create_profile(statements={"support": ["Knock.", "Tea.", "Radio."]})
    sams, jos = open_page(sam, pid, "support"), open_page(jo, pid, "support")
    removed = sams[statement_field(sams, "Knock.").replace("-text", "-id")]
    assert send(sam, pid, "support", sams, f"remove:{removed}").status_code == 302
    removed = sams[statement_field(sams, "Radio.").replace("-text", "-id")]
    send(sam, pid, "support", open_page(sam, pid, "support"), f"remove:{removed}")
    # Jo changed one removed statement and left the other as it was.
    jos[statement_field(jos, "Knock.")] = "Knock and wait."
    assert send(jo, pid, "support", jos).status_code == 302
    assert texts(app, pid, "support") == ["Tea.", "Knock and wait."]


def test_a_heading_and_a_statement_changed_by_two_people_are_both_kept(app, two, create_profile):
    sam, jo = two
    pid = create_profile(statements={"support": ["Knock."]})
    sams, jos = open_page(sam, pid, "support"), open_page(jo, pid, "support")
    send(sam, pid, "support", sams, heading="How to help me")
    jos[statement_field(jos, "Knock.")] = "Knock and wait."
    assert send(jo, pid, "support", jos).status_code == 302
    with inspecting(app):
        assert db.session.get(Profile, pid).section("support").heading == "How to help me"
    assert texts(app, pid, "support") == ["Knock and wait."]


def test_a_heading_both_changed_is_for_the_person_to_choose(app, two, create_profile):
    sam, jo = two
    pid = create_profile(statements={"support": ["Knock."]})
    sams, jos = open_page(sam, pid, "support"), open_page(jo, pid, "support")
    send(sam, pid, "support", sams, heading="How to help me")
    response = send(jo, pid, "support", jos, heading="Helping me well")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Your heading" in page and "Helping me well" in page and "How to help me" in page
    chosen = {**form_of(page), "heading_choice": "mine"}
    assert send(jo, pid, "support", chosen).status_code == 302
    with inspecting(app):
        assert db.session.get(Profile, pid).section("support").heading == "Helping me well"


def test_two_older_pages_cannot_take_a_section_over_its_limit(app, two, create_profile):
    sam, jo = two
    full = [f"Statement {n}." for n in range(MAX_STATEMENTS - 1)]
    pid = create_profile(statements={"important": full})
    sams, jos = open_page(sam, pid, "important"), open_page(jo, pid, "important")
    sams[statement_field(sams, "Statement 0.")] = "Statement zero."
    jos[statement_field(jos, "Statement 1.")] = "Statement one."
    assert send(sam, pid, "important", sams, answer_0="Tea first thing.").status_code == 302
    response = send(jo, pid, "important", jos, "next", answer_0="Chapel on Sundays.")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert (
        f"A section can hold up to {MAX_STATEMENTS} statements and this one has "
        f"{MAX_STATEMENTS}, so the new statements below are not saved yet"
    ) in page
    assert "Chapel on Sundays." in form_of(page)["answer_0"]  # kept on the page
    saved = texts(app, pid, "important")
    assert len(saved) == MAX_STATEMENTS
    # The edits of both are saved; only the addition that would not fit is refused.
    assert saved[:2] == ["Statement zero.", "Statement one."]
    assert saved[-1] == "Tea first thing." and "Chapel on Sundays." not in saved


def test_a_section_already_over_its_limit_still_saves_edits(app, client, create_profile):
    too_many = [f"Statement {n}." for n in range(44)]
    pid = create_profile(statements={"important": too_many})
    page = open_page(client, pid, "important")
    page[statement_field(page, "Statement 3.")] = "Statement three."
    assert send(client, pid, "important", page).status_code == 302
    assert texts(app, pid, "important")[3] == "Statement three."
    # Adding to it is refused, with the words kept on the page.
    response = send(client, pid, "important", open_page(client, pid, "important"), answer_0="New.")
    assert response.status_code == 400
    assert "this one has 44" in response.get_data(as_text=True)
    assert len(texts(app, pid, "important")) == 44


def test_saves_at_the_same_moment_keep_every_statement_and_the_limit(app, account, create_profile):
    """Real threads, each a person on their own tablet, saving from the same page at once."""
    start = [f"Statement {n}." for n in range(MAX_STATEMENTS - 4)]
    pid = create_profile(statements={"important": start, "support": ["Knock."]})
    people = 6
    clients = []
    for _ in range(people):
        client = app.test_client()
        sign_in_as(client, account[1])
        clients.append(client)
    pages = [open_page(c, pid, "important") for c in clients]
    support = [open_page(c, pid, "support") for c in clients]
    results: dict[int, list[int]] = {}
    ready = threading.Barrier(people)

    def save(n: int) -> None:
        ready.wait()
        important = send(clients[n], pid, "important", pages[n], answer_0=f"Added by {n}.")
        other = send(clients[n], pid, "support", support[n], answer_0=f"Support from {n}.")
        results[n] = [important.status_code, other.status_code]

    threads = [threading.Thread(target=save, args=(n,)) for n in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    important = texts(app, pid, "important")
    saved = [n for n in range(people) if results[n][0] == 302]
    refused = [n for n in range(people) if results[n][0] == 400]
    # Exactly as many fit as there was room for; the rest were told, with their words.
    assert len(important) == MAX_STATEMENTS
    assert len(saved) == 4 and len(refused) == people - 4
    assert sorted(important[len(start) :]) == sorted(f"Added by {n}." for n in saved)
    # Every addition to the other section went in: none refused, none lost.
    assert all(results[n][1] == 302 for n in range(people))
    assert sorted(texts(app, pid, "support")[1:]) == sorted(
        f"Support from {n}." for n in range(people)
    )
    with inspecting(app):
        counts = db.session.execute(
            select(Section.key, db.func.count(Statement.id))
            .join(Statement)
            .where(Section.profile_id == pid)
            .group_by(Section.key)
        ).all()
        assert all(count <= MAX_STATEMENTS for _, count in counts)


def open_about(client, pid) -> dict[str, str]:
    response = client.get(f"/profiles/{pid}/steps/about")
    assert response.status_code == 200
    return form_of(response.get_data(as_text=True))


def test_the_about_step_keeps_both_peoples_changes_to_different_boxes(app, two, create_profile):
    sam, jo = two
    pid = create_profile(written_by="Peggy")
    sams, jos = open_about(sam, pid), open_about(jo, pid)
    assert send_about(sam, pid, sams, preferred_name="Peggy").status_code == 302
    response = send_about(jo, pid, jos, written_by="Peggy, with her daughter Ann")
    assert response.status_code == 302
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        assert (profile.preferred_name, profile.written_by) == (
            "Peggy",
            "Peggy, with her daughter Ann",
        )


def test_the_about_step_refuses_a_box_both_changed_and_keeps_what_was_typed(
    app, two, create_profile
):
    sam, jo = two
    pid = create_profile()
    sams, jos = open_about(sam, pid), open_about(jo, pid)
    send_about(sam, pid, sams, preferred_name="Peggy")
    response = send_about(jo, pid, jos, preferred_name="Meg", written_by="Meg and Ann")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else saved changes to this profile" in page
    assert form_of(page)["preferred_name"] == "Meg"
    assert form_of(page)["written_by"] == "Meg and Ann"
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        assert (profile.preferred_name, profile.written_by) == ("Peggy", "")
    # Saved again from that page, it goes through as the person now has it.
    assert send_about(jo, pid, form_of(page)).status_code == 302
    with inspecting(app):
        assert db.session.get(Profile, pid).preferred_name == "Meg"


def send_about(client, pid, page, **typed):
    return client.post(f"/profiles/{pid}/steps/about", data={**page, **typed, "action": "next"})


def test_a_made_up_choice_between_versions_changes_nothing(app, client, create_profile):
    pid = create_profile(statements={"support": ["Knock."]})
    page = open_page(client, pid, "support")
    name = statement_field(page, "Knock.")
    for forged in (
        {
            name.replace("-text", "-conflict"): "1",
            name.replace("-text", "-choice"): "theirs",
            name.replace("-text", "-base"): "",
        },
        {
            name.replace("-text", "-conflict"): "1",
            name.replace("-text", "-choice"): "both",
            name.replace("-text", "-combined"): "x" * 601,
        },
        {name.replace("-text", "-conflict"): "1", name.replace("-text", "-choice"): "nobody's"},
    ):
        assert send(client, pid, "support", {**page, **forged}).status_code == 400
        assert texts(app, pid, "support") == ["Knock."]


def test_the_photo_step_keeps_both_peoples_changes_to_different_boxes(app, two, create_profile):
    from .test_wizard import jpeg_bytes, post_multipart, upload

    sam, jo = two
    pid = create_profile()
    post_multipart(
        sam,
        f"/profiles/{pid}/steps/photo",
        {"photo": upload(jpeg_bytes(), "peggy.jpg"), "description": "Peggy", "action": "save"},
    )
    pages = [form_of(c.get(f"/profiles/{pid}/steps/photo").get_data(as_text=True)) for c in two]
    assert pages[0]["description"] == "Peggy"
    sam.post(f"/profiles/{pid}/steps/photo", data={**pages[0], "crop": "top", "action": "save"})
    response = jo.post(
        f"/profiles/{pid}/steps/photo",
        data={**pages[1], "crop": "whole", "description": "Peggy in her garden", "action": "save"},
    )
    assert response.status_code == 302
    with inspecting(app):
        photo = db.session.get(Profile, pid).photo
        assert (photo.crop, photo.description) == ("top", "Peggy in her garden")


def open_facts(client, pid) -> dict[str, str]:
    response = client.get(f"/profiles/{pid}/steps/facts")
    assert response.status_code == 200
    return form_of(response.get_data(as_text=True))


def saved_facts(app, pid) -> dict[str, str]:
    with inspecting(app):
        return {f["label"]: f["value"] for f in db.session.get(Profile, pid).facts}


def test_the_key_facts_keep_both_peoples_changes_to_different_facts(app, two, create_profile):
    sam, jo = two
    pid = create_profile(
        kind="hospital",
        facts=[{"label": "GP", "value": "Dr Shah"}, {"label": "Shoe size", "value": "5"}],
    )
    sams, jos = open_facts(sam, pid), open_facts(jo, pid)
    url = f"/profiles/{pid}/steps/facts"
    sam.post(url, data={**sams, "fact_nhs_number": "943 476 5919", "action": "save"})
    response = jo.post(
        url, data={**jos, "fact_allergies": "Penicillin", "others-0-value": "6", "action": "save"}
    )
    assert response.status_code == 302
    facts = saved_facts(app, pid)
    assert facts["NHS number"] == "943 476 5919" and facts["Allergies"] == "Penicillin"
    assert facts["GP"] == "Dr Shah" and facts["Shoe size"] == "6"


def test_a_key_fact_both_changed_is_refused_and_the_typed_text_kept(app, two, create_profile):
    sam, jo = two
    pid = create_profile(kind="hospital", facts=[{"label": "GP", "value": "Dr Shah"}])
    sams, jos = open_facts(sam, pid), open_facts(jo, pid)
    url = f"/profiles/{pid}/steps/facts"
    sam.post(url, data={**sams, "fact_gp": "Dr Patel", "action": "save"})
    response = jo.post(
        url, data={**jos, "fact_gp": "Dr Okafor", "fact_allergies": "Nuts", "action": "save"}
    )
    assert response.status_code == 409
    page = form_of(response.get_data(as_text=True))
    assert (page["fact_gp"], page["fact_allergies"]) == ("Dr Okafor", "Nuts")
    assert saved_facts(app, pid) == {"GP": "Dr Patel"}
