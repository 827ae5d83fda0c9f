"""Administrators invite staff with a single-use link, and deactivate accounts."""

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from profiles.extensions import db
from profiles.models import User

from .conftest import BASE_URL, PASSWORD, inspecting, sign_in_as

NEW_PASSWORD = "marmalade window ferry"


def invite(client, email="jo@riverside.example", name="Jo Carer", role="staff"):
    sent = {"name": name, "email": email, "role": role}
    response = client.post("/staff", data=sent, follow_redirects=True)
    assert response.status_code == 200, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    return re.search(r'value="(https?://[^/"]+/invitation/[^"]+)"', page).group(1), page


def open_link(client, link):
    """Open a link as a browser does: its token is taken on arrival, and the page is shown
    at an address without it. The link may name the app's address: the path is opened."""
    arrived = client.get(urlsplit(link).path)
    assert arrived.status_code == 303
    assert arrived.headers["Location"] == "/invitation"
    assert arrived.get_data(as_text=True).count(token_of(link)) == 0
    return client.get("/invitation")


def token_of(link: str) -> str:
    return link.rsplit("/", 1)[1]


def choose_password(client, name="Jo Carer", password=NEW_PASSWORD):
    """Send the form of the link opened in this browser."""
    data = {"name": name, "password": password, "confirm": password}
    return client.post("/invitation", data=data, follow_redirects=True)


def test_an_administrator_invites_someone_who_then_chooses_a_password(app, client):
    link, page = invite(client)
    assert "It works once, for 7 days" in page
    assert "Invited" in page
    newcomer = app.test_client()
    opened = newcomer.get(link, follow_redirects=True)
    assert opened.request.path == "/invitation" and token_of(link) not in opened.request.url
    form = opened.get_data(as_text=True)
    assert "Join Riverside Care Home" in form and "jo@riverside.example" in form
    assert token_of(link) not in form
    response = choose_password(newcomer)
    assert "Welcome, Jo Carer" in response.get_data(as_text=True)
    with inspecting(app):
        jo = db.session.scalar(select(User).where(User.email == "jo@riverside.example"))
        assert (jo.active, jo.role) == (True, "staff")
    # The link works only once: not in another browser, nor again in this one.
    for browser in (app.test_client(), newcomer):
        used = open_link(browser, link)
        assert used.status_code == 410
        assert "already been used" in used.get_data(as_text=True)
    # Its page, sent again, sets nothing.
    assert choose_password(newcomer, password="another long password").status_code == 410
    # And Jo signs in with the new password.
    again = app.test_client().post(
        "/sign-in", data={"email": "jo@riverside.example", "password": NEW_PASSWORD}
    )
    assert again.status_code == 302


def test_an_invitation_expires_after_seven_days(app, client, monkeypatch):
    link, _ = invite(client)
    import time

    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 7 * 24 * 3600 + 60)
    response = open_link(app.test_client(), link)
    assert response.status_code == 410
    assert "invitations work for 7 days" in response.get_data(as_text=True)


def test_a_link_opened_but_left_past_its_time_no_longer_works(app, client, monkeypatch):
    link, _ = invite(client)
    import time

    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 7 * 24 * 3600 - 60)
    newcomer = app.test_client()
    assert open_link(newcomer, link).status_code == 200
    monkeypatch.setattr(time, "time", lambda: real_time() + 7 * 24 * 3600 + 60)
    assert choose_password(newcomer).status_code == 410
    with inspecting(app):
        jo = db.session.scalar(select(User).where(User.email == "jo@riverside.example"))
        assert not jo.active


def test_the_page_without_a_link_says_to_open_the_link_again(app, account):
    response = app.test_client().get("/invitation")
    assert response.status_code == 400
    assert "Open the link you were given again" in response.get_data(as_text=True)


def test_a_tampered_link_does_not_work(app, client):
    link, _ = invite(client)
    response = open_link(app.test_client(), link[:-3] + "abc")
    assert response.status_code == 410
    assert "Ask your administrator for a new link" in response.get_data(as_text=True)


def test_a_new_link_makes_the_old_one_useless(app, client):
    old, _ = invite(client)
    with inspecting(app):
        jo = db.session.scalar(select(User).where(User.email == "jo@riverside.example"))
    response = client.post(f"/staff/{jo.id}/invite-again", follow_redirects=True)
    new = re.search(
        r'value="(https?://[^/"]+/invitation/[^"]+)"', response.get_data(as_text=True)
    ).group(1)
    assert new != old
    assert open_link(app.test_client(), old).status_code == 410
    assert open_link(app.test_client(), new).status_code == 200


def test_an_invited_person_cannot_sign_in_before_accepting(app, client):
    invite(client)
    response = app.test_client().post(
        "/sign-in", data={"email": "jo@riverside.example", "password": ""}
    )
    assert response.status_code == 400


def test_inviting_an_address_in_use_says_the_same_here_or_in_another_organisation(
    app, client, create_account
):
    invite(client, email="dan@riverside.example", name="Dan Driver")
    _, jo = create_account(email="jo@riverside.example", role="staff", name="Jo Carer")
    client.post(f"/staff/{jo}/deactivate")
    create_account(email="ffion@bryn.example", slug="bryn-home-care", name="Ffion")
    with inspecting(app):
        before = db.session.scalar(select(func.count(User.id)))
    answers = set()
    for email in (
        "ffion@bryn.example",  # another organisation's
        "SAM@riverside.example",  # this organisation's, typed differently
        "dan@riverside.example",  # invited here, not joined yet
        "jo@riverside.example",  # deactivated here
    ):
        response = client.post("/staff", data={"name": "X", "email": email, "role": "staff"})
        page = response.get_data(as_text=True)
        problem = re.search(r'<p class="error-message"[^>]*>(.*?)</p>', page, re.S).group(1)
        answers.add((response.status_code, " ".join(problem.split())))
    assert answers == {
        (
            400,
            '<span class="visually-hidden">Error:</span> This email address cannot be invited. '
            "It may already have an account. Check the address, or ask the person to sign in. "
            "If they are in the list above, choose “New sign-in link”, “New invitation link” "
            "or “Reactivate” next to their name instead.",
        )
    }
    with inspecting(app):
        assert db.session.scalar(select(func.count(User.id))) == before
    assert "another organisation" not in page and "Ffion" not in page


def sign_in_link(client, user_id: int) -> tuple[str, str]:
    response = client.post(f"/staff/{user_id}/sign-in-link", follow_redirects=True)
    page = response.get_data(as_text=True)
    return re.search(r'value="(https?://[^/"]+/invitation/[^"]+)"', page).group(1), page


def test_someone_who_forgot_their_password_chooses_a_new_one_with_a_link(
    app, client, create_account
):
    _, jo = create_account(email="jo@riverside.example", role="staff", name="Jo Carer")
    other_device = app.test_client()
    sign_in_as(other_device, jo)
    link, page = sign_in_link(client, jo)
    assert "New sign-in link for Jo Carer" in page and "It works once, for 24 hours" in page
    # Until the link is used, the old password still works.
    old = {"email": "jo@riverside.example", "password": PASSWORD}
    assert app.test_client().post("/sign-in", data=old).status_code == 302
    jo_client = app.test_client()
    assert "Choose a new password" in open_link(jo_client, link).get_data(as_text=True)
    response = choose_password(jo_client)
    assert "Your new password is set, and you are signed in." in response.get_data(as_text=True)
    assert app.test_client().post("/sign-in", data=old).status_code == 400
    new = {"email": "jo@riverside.example", "password": NEW_PASSWORD}
    assert app.test_client().post("/sign-in", data=new).status_code == 302
    assert other_device.get("/").headers["Location"].startswith("/sign-in")
    assert open_link(app.test_client(), link).status_code == 410


def test_a_sign_in_link_lasts_a_day_and_ends_with_the_account(
    app, client, create_account, monkeypatch
):
    _, jo = create_account(email="jo@riverside.example", role="staff", name="Jo Carer")
    link, _ = sign_in_link(client, jo)
    import time

    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 25 * 3600)
    expired = open_link(app.test_client(), link)
    assert expired.status_code == 410 and "too old" in expired.get_data(as_text=True)
    monkeypatch.setattr(time, "time", real_time)
    link, _ = sign_in_link(client, jo)
    client.post(f"/staff/{jo}/deactivate")
    assert open_link(app.test_client(), link).status_code == 410


def test_sign_in_links_are_only_for_colleagues_already_signing_in(
    app, client, account, create_account
):
    _, theirs = create_account(email="ffion@bryn.example", slug="bryn-home-care")
    assert client.post(f"/staff/{theirs}/sign-in-link").status_code == 404
    invite(client)
    with inspecting(app):
        jo = db.session.scalar(select(User.id).where(User.email == "jo@riverside.example"))
    assert client.post(f"/staff/{jo}/sign-in-link").status_code == 400  # invited, not joined
    own = client.post(f"/staff/{account[1]}/sign-in-link", follow_redirects=True)
    assert "Change your own password from Your account." in own.get_data(as_text=True)


def test_the_invitation_is_emailed_when_a_mail_server_is_configured(app, client, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            sent.append(("starttls",))

        def send_message(self, message):
            sent.append(("message", message["To"], message.get_content()))

    import smtplib

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    app.config.update(SMTP_HOST="mail.riverside.example", BASE_URL=BASE_URL)
    link, page = invite(client)
    assert "we have also emailed it to jo@riverside.example" in page
    assert sent[0] == ("connect", "mail.riverside.example", 587)
    assert sent[-1][1] == "jo@riverside.example" and link in sent[-1][2]


def test_a_mail_server_that_cannot_be_reached_still_gives_the_link_to_copy(app, client, caplog):
    # Nothing listens on port 9 here: the connection is refused, as with a wrong setting.
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=9, BASE_URL=BASE_URL)
    link, page = invite(client)
    assert "The email to jo@riverside.example could not be sent" in page
    assert "we have also emailed it" not in page
    assert open_link(app.test_client(), link).status_code == 200
    assert "could not be sent" in caplog.text and "jo@riverside.example" not in caplog.text


def test_without_a_mail_server_nothing_is_sent_and_the_link_is_shown(client):
    _, page = invite(client)
    assert "emailed" not in page


def test_deactivating_keeps_their_work_and_stops_their_access(app, client, create_account):
    _, jo = create_account(email="jo@riverside.example", role="staff", name="Jo Carer")
    jo_client = app.test_client()
    sign_in_as(jo_client, jo)
    assert jo_client.get("/").status_code == 200
    response = client.post(f"/staff/{jo}/deactivate", follow_redirects=True)
    assert "Jo Carer can no longer sign in. Everything they wrote is kept." in response.get_data(
        as_text=True
    )
    assert jo_client.get("/").headers["Location"].startswith("/sign-in")
    refused = app.test_client().post(
        "/sign-in", data={"email": "jo@riverside.example", "password": PASSWORD}
    )
    assert refused.status_code == 400
    client.post(f"/staff/{jo}/reactivate")
    allowed = app.test_client().post(
        "/sign-in", data={"email": "jo@riverside.example", "password": PASSWORD}
    )
    assert allowed.status_code == 302


def test_an_administrator_cannot_deactivate_themselves(client, account):
    response = client.post(f"/staff/{account[1]}/deactivate", follow_redirects=True)
    assert "You cannot deactivate your own account" in response.get_data(as_text=True)


@pytest.mark.parametrize(("method", "path"), [("GET", "/staff"), ("POST", "/staff")])
def test_staff_cannot_manage_accounts(app, create_account, method, path):
    _, jo = create_account(email="jo@riverside.example", role="staff")
    client = app.test_client()
    sign_in_as(client, jo)
    assert client.open(path, method=method).status_code == 403
    assert 'href="/staff"' not in client.get("/").get_data(as_text=True)


def test_another_organisations_accounts_are_not_found(app, client, create_account):
    _, theirs = create_account(email="ffion@bryn.example", slug="bryn-home-care")
    assert client.post(f"/staff/{theirs}/deactivate").status_code == 404
    assert "ffion@bryn.example" not in client.get("/staff").get_data(as_text=True)


def test_deactivating_someone_discards_what_they_typed_but_never_saved(
    app, client, create_account, create_profile
):
    from profiles.models import HeldChange

    from .test_sessions import leave_for

    pid = create_profile()
    _, jo = create_account(email="jo@riverside.example", role="staff", name="Jo Carer")
    jo_client = app.test_client()
    sign_in_as(jo_client, jo)
    leave_for(jo_client, 45)
    jo_client.post(f"/profiles/{pid}/steps/support", data={"answer_0": "Tea.", "action": "next"})
    with inspecting(app):
        assert db.session.scalars(select(HeldChange.user_id)).all() == [jo]
    client.post(f"/staff/{jo}/deactivate")
    with inspecting(app):
        assert db.session.scalars(select(HeldChange.user_id)).all() == []


def test_no_administrator_can_make_a_link_into_another_administrators_account(
    app, client, create_account, caplog
):
    _, other_admin = create_account(email="pat@riverside.example", name="Pat Manager")
    _, jo = create_account(email="jo@riverside.example", role="staff", name="Jo Carer")
    page = client.get("/staff").get_data(as_text=True)
    assert 'New sign-in link<span class="visually-hidden"> for Jo Carer' in page
    assert 'New sign-in link<span class="visually-hidden"> for Pat Manager' not in page
    refused = client.post(f"/staff/{other_admin}/sign-in-link")
    assert refused.status_code == 403
    assert "from whoever runs this installation" in refused.get_data(as_text=True)
    caplog.set_level("INFO")
    sign_in_link(client, jo)
    assert f"made a sign-in link for account {jo}" in caplog.text and "Jo Carer" not in caplog.text


def test_whoever_runs_the_install_makes_an_administrators_link_from_a_shell(app, account):
    result = app.test_cli_runner().invoke(
        args=["sign-in-link", "SAM@riverside.example", "--site", "https://profiles.example.org"]
    )
    assert result.exit_code == 0, result.output
    link = result.stdout.strip()
    assert link.startswith("https://profiles.example.org/invitation/")
    path = link.removeprefix("https://profiles.example.org")
    assert "Choose a new password" in open_link(app.test_client(), path).get_data(as_text=True)
    unknown = app.test_cli_runner().invoke(
        args=["sign-in-link", "nobody@example.org", "--site", "https://profiles.example.org"]
    )
    assert unknown.exit_code == 1 and "No account has the email address" in unknown.output
