"""Administrators invite staff with a single-use link, and deactivate accounts."""

import re

import pytest
from sqlalchemy import select

from profiles.extensions import db
from profiles.models import User

from .conftest import PASSWORD, sign_in_as

NEW_PASSWORD = "marmalade window ferry"


def invite(client, email="jo@riverside.example", name="Jo Carer", role="staff"):
    response = client.post("/staff", data={"name": name, "email": email, "role": role})
    assert response.status_code == 200, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    return re.search(r'value="(http://localhost/invitation/[^"]+)"', page).group(1), page


def test_an_administrator_invites_someone_who_then_chooses_a_password(app, client):
    link, page = invite(client)
    assert "It works once, for 7 days" in page
    assert "Invited" in page
    newcomer = app.test_client()
    form = newcomer.get(link).get_data(as_text=True)
    assert "Join Riverside Care Home" in form and "jo@riverside.example" in form
    response = newcomer.post(
        link,
        data={"name": "Jo Carer", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        follow_redirects=True,
    )
    assert "Welcome, Jo Carer" in response.get_data(as_text=True)
    with app.app_context():
        jo = db.session.scalar(select(User).where(User.email == "jo@riverside.example"))
        assert (jo.active, jo.role) == (True, "staff")
    # The link works only once.
    used = app.test_client().get(link)
    assert used.status_code == 410
    assert "already been used" in used.get_data(as_text=True)
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
    response = app.test_client().get(link)
    assert response.status_code == 410
    assert "more than 7 days old" in response.get_data(as_text=True)


def test_a_tampered_link_does_not_work(app, client):
    link, _ = invite(client)
    response = app.test_client().get(link[:-3] + "abc")
    assert response.status_code == 410
    assert "Ask your administrator for a new invitation link" in response.get_data(as_text=True)


def test_a_new_link_makes_the_old_one_useless(app, client):
    old, _ = invite(client)
    with app.app_context():
        jo = db.session.scalar(select(User).where(User.email == "jo@riverside.example"))
    response = client.post(f"/staff/{jo.id}/invite-again")
    new = re.search(
        r'value="(http://localhost/invitation/[^"]+)"', response.get_data(as_text=True)
    ).group(1)
    assert new != old
    assert app.test_client().get(old).status_code == 410
    assert app.test_client().get(new).status_code == 200


def test_an_invited_person_cannot_sign_in_before_accepting(app, client):
    invite(client)
    response = app.test_client().post(
        "/sign-in", data={"email": "jo@riverside.example", "password": ""}
    )
    assert response.status_code == 400


def test_inviting_an_email_that_has_an_account_is_refused(client):
    response = client.post(
        "/staff", data={"name": "Sam", "email": "sam@riverside.example", "role": "staff"}
    )
    assert response.status_code == 400
    assert "This email address already has an account" in response.get_data(as_text=True)


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
    app.config["SMTP_HOST"] = "mail.riverside.example"
    link, page = invite(client)
    assert "we have also emailed it to jo@riverside.example" in page
    assert sent[0] == ("connect", "mail.riverside.example", 587)
    assert sent[-1][1] == "jo@riverside.example" and link in sent[-1][2]


def test_a_mail_server_that_cannot_be_reached_still_gives_the_link_to_copy(app, client, caplog):
    # Nothing listens on port 9 here: the connection is refused, as with a wrong setting.
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=9)
    link, page = invite(client)
    assert "The email to jo@riverside.example could not be sent" in page
    assert "we have also emailed it" not in page
    assert app.test_client().get(link).status_code == 200
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
    with app.app_context():
        assert db.session.scalars(select(HeldChange.user_id)).all() == [jo]
    client.post(f"/staff/{jo}/deactivate")
    with app.app_context():
        assert db.session.scalars(select(HeldChange.user_id)).all() == []
