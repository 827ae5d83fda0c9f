"""What someone typed is kept when their session ends before they save it."""

import re
import threading
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from profiles.extensions import db
from profiles.models import HeldChange, Profile

from .conftest import PASSWORD, build_app, inspecting, sign_in_as
from .test_sessions import leave_for
from .test_wizard import existing, post_multipart, texts, upload, version

ANSWER = "Sit on my left side: I hear better in my left ear.\nCall me Peggy, never Maggie."


class ReplayForms(HTMLParser):
    """The 'Save this change now' forms of a page: their action and their fields."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs.get("action", ""), []))
        elif tag == "input" and attrs.get("type") == "hidden" and self.forms:
            self.forms[-1][1].append((attrs["name"], attrs.get("value", "")))


def replay_forms(page: str):
    parser = ReplayForms()
    parser.feed(page)
    return [(action, fields) for action, fields in parser.forms if action.startswith("/profiles")]


def sign_in(client, email="sam@riverside.example"):
    return client.post("/sign-in", data={"email": email, "password": PASSWORD})


def held_count(app) -> int:
    with inspecting(app):
        return db.session.scalar(select(func.count(HeldChange.id)))


def type_then_wander_off(app, client, pid, answer=ANSWER, **extra):
    """Open a step, type an answer, leave the page for 45 minutes, then press save."""
    data, _ = existing(app, pid, "support")
    leave_for(client, 45)
    return client.post(
        f"/profiles/{pid}/steps/support",
        data={**data, "version": version(app, pid), "answer_0": answer, "action": "next", **extra},
    )


def test_text_sent_after_the_idle_time_is_kept_and_saved_after_signing_in(
    app, client, create_profile
):
    pid = create_profile(statements={"support": ["Knock before you come in."]})
    response = type_then_wander_off(app, client, pid)
    assert response.headers["Location"].startswith("/sign-in")
    notice = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "What you typed is kept: sign in again and you can save it." in notice
    assert texts(app, pid, "support") == ["Knock before you come in."]

    signed_in = sign_in(client)
    assert signed_in.headers["Location"] == "/account/unsaved"
    page = client.get("/account/unsaved").get_data(as_text=True)
    assert "The profile of Margaret Jones" in page
    assert "On the step “How best to support me”." in page
    assert "Sit on my left side: I hear better in my left ear." in page
    assert "<dd>Knock before you come in.</dd>" not in page  # unchanged, so not listed
    ((action, fields),) = replay_forms(page)
    saved = client.post(action, data=MultiDict(fields))
    assert saved.headers["Location"] == f"/profiles/{pid}/steps/photo"  # "next", as pressed
    assert "Your unsaved change is saved." in client.get(saved.headers["Location"]).get_data(
        as_text=True
    )
    assert texts(app, pid, "support") == [
        "Knock before you come in.",
        "Sit on my left side: I hear better in my left ear.",
        "Call me Peggy, never Maggie.",
    ]
    assert held_count(app) == 0
    client.post("/sign-out")
    assert sign_in(client).headers["Location"] == "/"


def test_a_kept_change_to_a_profile_changed_since_keeps_both(app, client, create_profile):
    pid = create_profile(statements={"support": ["Knock before you come in."]})
    type_then_wander_off(app, client, pid)
    colleague = app.test_client()
    sign_in(colleague)
    data, _ = existing(app, pid, "support")
    colleague.post(
        f"/profiles/{pid}/steps/support",
        data={**data, "answer_0": "Tea with two sugars.", "action": "save"},
    )
    sign_in(client)
    ((action, fields),) = replay_forms(client.get("/account/unsaved").get_data(as_text=True))
    response = client.post(action, data=MultiDict(fields))
    assert response.status_code == 302
    saved = texts(app, pid, "support")
    assert "Tea with two sugars." in saved and any("Sit on my left side" in t for t in saved)
    assert held_count(app) == 0


def test_only_its_author_is_offered_a_kept_change(app, client, create_profile, create_account):
    pid = create_profile()
    type_then_wander_off(app, client, pid)
    create_account(email="jo@riverside.example", role="staff", name="Jo Carer")
    # A colleague signing in on the same tablet is not shown it.
    assert sign_in(client, "jo@riverside.example").headers["Location"] == "/"
    page = client.get("/account/unsaved").get_data(as_text=True)
    assert "You have no unsaved changes." in page and "Sit on my left side" not in page
    with inspecting(app):
        held_id = db.session.scalar(select(HeldChange.id))
    response = client.post(f"/account/unsaved/{held_id}/discard", follow_redirects=True)
    assert "That unsaved change was already discarded." in response.get_data(as_text=True)
    assert held_count(app) == 1
    # Its author gets it on any device.
    other_device = app.test_client()
    assert sign_in(other_device).headers["Location"] == "/account/unsaved"
    # Until it is saved or discarded, every page says so.
    for path in ("/", "/account", "/profiles/new"):
        page = " ".join(other_device.get(path).get_data(as_text=True).split())
        assert "You have an unsaved change from when you were signed out." in page, path


def test_a_kept_change_can_be_discarded(app, client, create_profile):
    pid = create_profile()
    type_then_wander_off(app, client, pid)
    sign_in(client)
    with inspecting(app):
        held_id = db.session.scalar(select(HeldChange.id))
    confirm = client.get(f"/account/unsaved/{held_id}/discard").get_data(as_text=True)
    assert "Discard this unsaved change?" in confirm and "Sit on my left side" in confirm
    assert held_count(app) == 1  # asking is not discarding
    response = client.post(f"/account/unsaved/{held_id}/discard", follow_redirects=True)
    assert "That unsaved change is discarded." in response.get_data(as_text=True)
    assert held_count(app) == 0
    again = client.post(f"/account/unsaved/{held_id}/discard", follow_redirects=True)
    assert "That unsaved change was already discarded." in again.get_data(as_text=True)


def test_a_new_profile_started_after_the_idle_time_is_kept(app, client):
    leave_for(client, 45)
    start = {"kind": "adult", "name": "Tom Evans", "preferred_name": "", "written_by": ""}
    client.post("/profiles/new", data=start)
    with inspecting(app):
        assert db.session.scalar(select(func.count(Profile.id))) == 0
    sign_in(client)
    page = client.get("/account/unsaved").get_data(as_text=True)
    assert "A new profile" in page and "Tom Evans" in page
    ((action, fields),) = replay_forms(page)
    assert client.post(action, data=MultiDict(fields)).status_code == 302
    with inspecting(app):
        assert db.session.scalars(select(Profile.name)).all() == ["Tom Evans"]


def test_nothing_is_kept_when_the_page_sent_would_change_nothing(app, client, create_profile):
    pid = create_profile(statements={"support": ["Knock before you come in."]})
    data, _ = existing(app, pid, "support")
    leave_for(client, 45)
    # What a browser sends on Back: the heading, the statements as saved, empty answers.
    page = {**data, "heading": "How best to support me", "version": version(app, pid)}
    client.post(f"/profiles/{pid}/steps/support", data={**page, "answer_0": " ", "action": "back"})
    about = {"name": "Margaret Jones", "preferred_name": "", "language": "en", "action": "next"}
    sign_in(client)
    leave_for(client, 45)
    client.post(f"/profiles/{pid}/steps/about", data=about)
    assert held_count(app) == 0


def test_printing_choices_and_photos_are_not_kept(app, client, create_profile):
    pid = create_profile()
    leave_for(client, 45)
    client.post(f"/profiles/{pid}/steps/review", data={"paper": "Letter", "action": "save"})
    sign_in(client)
    leave_for(client, 45)
    client.post(f"/profiles/{pid}/steps/photo", data={"description": "Peggy", "action": "next"})
    assert held_count(app) == 0


def test_each_piece_kept_is_shown_with_the_question_it_answers(app, client, create_profile):
    pid = create_profile(statements={"support": ["Knock before you come in."]})
    data, _ = existing(app, pid, "support")
    data["statements-0-text"] = "Knock twice before you come in."
    leave_for(client, 45)
    client.post(
        f"/profiles/{pid}/steps/support",
        data={**data, "heading": "Helping Peggy", "answer_1": "Tea, no sugar.", "action": "next"},
    )
    with inspecting(app):
        assert db.session.scalar(select(HeldChange.typed)) == [
            ["Heading for this section", "Helping Peggy"],
            ["A statement you changed", "Knock twice before you come in."],
            ["How do you communicate, and how should people talk with you?", "Tea, no sugar."],
        ]
    sign_in(client)
    page = client.get("/account/unsaved").get_data(as_text=True)
    assert "<dt>How do you communicate, and how should people talk with you?</dt>" in page
    assert "<dd>Tea, no sugar.</dd>" in page


def test_a_kept_change_sent_twice_is_saved_once(app, client):
    leave_for(client, 45)
    start = {"kind": "adult", "name": "Tom Evans", "preferred_name": "", "written_by": ""}
    client.post("/profiles/new", data=start)
    sign_in(client)
    ((action, fields),) = replay_forms(client.get("/account/unsaved").get_data(as_text=True))
    assert client.post(action, data=MultiDict(fields)).status_code == 302
    again = client.post(action, data=MultiDict(fields), follow_redirects=True)
    assert "That change is no longer waiting: it was already saved or discarded." in (
        again.get_data(as_text=True)
    )
    with inspecting(app):
        assert db.session.scalars(select(Profile.name)).all() == ["Tom Evans"]


def test_a_page_that_tells_the_server_too_late_leaves_the_save_to_keep_the_text(
    app, client, create_profile
):
    pid = create_profile()
    leave_for(client, 45)
    assert client.post("/account/still-here").status_code == 401
    response = type_then_wander_off(app, client, pid)  # the session is still there to end
    assert response.headers["Location"].startswith("/sign-in")
    assert held_count(app) == 1


def form_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.fixture
def protected(database_url, account, create_profile):
    """With form tokens checked, as in real use: (app, client, profile id, the open support
    page's token, its statements as form data) after the page was left for 45 minutes."""
    app = build_app(database_url, WTF_CSRF_ENABLED=True)
    pid = create_profile()
    client = app.test_client()
    sign_in_as(client, account[1])
    token = form_token(client.get(f"/profiles/{pid}/steps/support").get_data(as_text=True))
    data, _ = existing(app, pid, "support")
    leave_for(client, 45)
    yield app, client, pid, token, data
    with inspecting(app):
        db.engine.dispose()


def sign_in_with_token(client, page: str) -> None:
    signing_in = {"email": "sam@riverside.example", "password": PASSWORD}
    response = client.post("/sign-in", data={**signing_in, "csrf_token": form_token(page)})
    assert response.status_code == 302


def test_sending_a_kept_change_again_passes_the_form_token_check(protected):
    app, client, pid, token, data = protected
    client.post(
        f"/profiles/{pid}/steps/support",
        data={**data, "csrf_token": token, "answer_0": ANSWER, "action": "next"},
    )
    sign_in_with_token(client, client.get("/sign-in").get_data(as_text=True))
    ((action, fields),) = replay_forms(client.get("/account/unsaved").get_data(as_text=True))
    assert client.post(action, data=MultiDict(fields)).status_code == 302
    assert "Call me Peggy, never Maggie." in texts(app, pid, "support")


def test_kept_changes_go_with_their_profile_and_after_seven_days(app, client, create_profile):
    first, second = create_profile(), create_profile(name="Tom Evans")
    type_then_wander_off(app, client, first)
    sign_in(client)
    type_then_wander_off(app, client, second)
    assert held_count(app) == 2
    sign_in(client)
    client.post(f"/profiles/{first}/delete", data={"confirm": "Margaret Jones"})
    assert held_count(app) == 1
    with inspecting(app):
        change = db.session.scalar(select(HeldChange))
        change.created_at -= timedelta(days=8)
        db.session.commit()
    assert "You have no unsaved changes." in client.get("/account/unsaved").get_data(as_text=True)
    type_then_wander_off(app, client, second, answer="Tea, no sugar.")
    with inspecting(app):  # the expired one is deleted when the next is kept
        assert db.session.scalars(select(HeldChange.typed)).all() == [
            [["What must people know to keep you well and safe?", "Tea, no sugar."]]
        ]


def test_a_password_form_is_never_kept(app, client, account):
    sign_in_as(client, account[1])
    leave_for(client, 45)
    client.post(
        "/account/password",
        data={"current": PASSWORD, "password": "new secret words", "confirm": "new secret words"},
    )
    assert held_count(app) == 0


def test_a_file_far_too_large_after_the_idle_time_is_not_read_or_kept(app, client, create_profile):
    pid = create_profile()
    leave_for(client, 45)
    response = post_multipart(
        client,
        f"/profiles/{pid}/steps/photo",
        {"photo": upload(bytes(21 * 1024 * 1024), "huge.jpg"), "description": "Peggy"},
    )
    assert response.headers["Location"].startswith("/sign-in")
    notice = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "your last change was not saved" in notice
    assert held_count(app) == 0


def test_two_sends_of_one_kept_change_at_the_same_moment_save_it_once(app, client, account):
    leave_for(client, 45)
    start = {"kind": "adult", "name": "Tom Evans", "preferred_name": "", "written_by": ""}
    client.post("/profiles/new", data=start)
    sign_in(client)
    ((action, fields),) = replay_forms(client.get("/account/unsaved").get_data(as_text=True))
    barrier = threading.Barrier(2)
    codes = []

    def send():
        tab = app.test_client()
        sign_in_as(tab, account[1])
        barrier.wait()
        codes.append(tab.post(action, data=MultiDict(fields)).status_code)

    tabs = [threading.Thread(target=send) for _ in range(2)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join()
    assert sorted(codes) == [302, 302]  # one saved, one told it was no longer waiting
    with inspecting(app):
        assert db.session.scalars(select(Profile.name)).all() == ["Tom Evans"]


def test_a_kept_change_sent_back_with_a_problem_is_on_the_page_and_not_kept_twice(
    app, client, create_profile
):
    pid = create_profile()
    too_long = "I like " + "very " * 130 + "quiet mornings."
    type_then_wander_off(app, client, pid, answer=too_long)
    sign_in(client)
    ((action, fields),) = replay_forms(client.get("/account/unsaved").get_data(as_text=True))
    response = client.post(action, data=MultiDict(fields))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "quiet mornings." in page and "split it over two lines" in page
    assert held_count(app) == 0  # the page holds the text now; no reminder lingers
    assert "unsaved change" not in client.get("/").get_data(as_text=True)


def test_a_page_open_in_another_tab_saves_after_signing_in_again(protected):
    app, client, pid, token, data = protected
    # Another tab notices first: signed out, then signed in again.
    sign_in_with_token(client, client.get("/", follow_redirects=True).get_data(as_text=True))
    # The first tab's page, with its token from before, is sent now.
    saved = client.post(
        f"/profiles/{pid}/steps/support",
        data={**data, "version": version(app, pid), "csrf_token": token, "answer_0": ANSWER,
              "action": "next"},
    )  # fmt: skip
    assert saved.status_code == 302
    assert "Call me Peggy, never Maggie." in texts(app, pid, "support")


def test_the_page_is_told_it_was_left_too_long(client):
    leave_for(client, 45)
    response = client.post("/account/still-here")
    assert (response.status_code, response.headers["X-Signed-Out"]) == (401, "idle")
