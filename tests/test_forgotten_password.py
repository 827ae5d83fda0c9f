"""Someone who has forgotten their password asks for a link by email, and chooses a new one."""

import logging
import re

from .conftest import BASE_URL, PASSWORD
from .test_staff import NEW_PASSWORD, choose_password, open_link, token_of

FORGOTTEN = "/sign-in/forgotten"


def ask_for_link(app, email, address="192.0.2.1"):
    """Ask for a link from a browser that is not signed in; the page that answers."""
    browser = app.test_client()
    environ = {"REMOTE_ADDR": address}
    asked = browser.post(FORGOTTEN, data={"email": email}, environ_base=environ)
    if asked.status_code != 303:
        return asked
    assert asked.headers["Location"] == "/sign-in/forgotten/sent"
    return browser.get(asked.headers["Location"], environ_base=environ)


def emailed_link(message) -> str:
    return re.search(r"https?://[^/\s]+/invitation/\S+", message.get_content()).group(0)


def test_the_sign_in_page_offers_a_link_for_a_forgotten_password(app, account):
    page = app.test_client().get("/sign-in").get_data(as_text=True)
    assert f'<a href="{FORGOTTEN}">Forgotten your password?</a>' in page


def test_an_address_with_an_account_and_one_without_get_the_same_page(app, account, outbox):
    pages = set()
    for email in ("SAM@riverside.example ", "nobody@riverside.example"):
        response = ask_for_link(app, email)
        assert response.status_code == 200
        typed = email.strip().lower()
        page = response.get_data(as_text=True)
        assert f"If {typed} has an account, we have sent a link to it." in page
        assert "It works once, for 24 hours." in page
        assert "If nothing arrives in 10 minutes, check your spam" in page
        assert "ask your manager" in page
        pages.add(page.replace(typed, "ADDRESS"))
    assert len(pages) == 1
    assert [message["To"] for message in outbox] == ["sam@riverside.example"]
    # The page says it once: reloading it asks again rather than repeat an address.
    assert app.test_client().get("/sign-in/forgotten/sent").headers["Location"] == FORGOTTEN


def test_a_link_is_emailed_only_to_an_account_that_can_sign_in(app, client, outbox, create_account):
    _, jo = create_account(email="jo@riverside.example", role="staff", name="Jo Carer")
    create_account(email="ffion@bryn.example", slug="bryn-home-care", name="Ffion Jones")
    client.post(f"/staff/{jo}/deactivate")
    client.post("/staff", data={"name": "Dan", "email": "dan@riverside.example", "role": "staff"})
    outbox.clear()  # Dan's invitation
    for email in ("jo@riverside.example", "dan@riverside.example", "nobody@example.org"):
        assert ask_for_link(app, email).status_code == 200
    assert outbox == []
    # Anyone who can sign in, administrators and other organisations' staff too.
    for email in ("ffion@bryn.example", "sam@riverside.example"):
        ask_for_link(app, email)
    assert [message["To"] for message in outbox] == ["ffion@bryn.example", "sam@riverside.example"]
    assert "Bryn Home Care" in outbox[0]["Subject"]


def test_the_emailed_link_lets_its_person_choose_a_new_password_once(app, account, outbox, caplog):
    caplog.set_level(logging.DEBUG)
    ask_for_link(app, "sam@riverside.example")
    (message,) = outbox
    assert message["Subject"] == "A link to choose a new password for Riverside Care Home"
    text = message.get_content()
    assert "Hello Sam Keyworker" in text and "It works once, for 24 hours" in text
    assert "If it was not, ignore this email: your password stays the same." in text
    link = emailed_link(message)
    browser = app.test_client()
    page = open_link(browser, link)
    assert page.status_code == 200 and page.request.path == "/invitation"
    assert "Choose a new password" in page.get_data(as_text=True)
    signed_in = choose_password(browser, "Sam Keyworker").get_data(as_text=True)
    assert "Your new password is set, and you are signed in." in signed_in
    old = {"email": "sam@riverside.example", "password": PASSWORD}
    assert app.test_client().post("/sign-in", data=old).status_code == 400
    new = {"email": "sam@riverside.example", "password": NEW_PASSWORD}
    assert app.test_client().post("/sign-in", data=new).status_code == 302
    used = open_link(app.test_client(), link)
    assert used.status_code == 410 and "already been used" in used.get_data(as_text=True)
    # Which account was sent a link is logged by its id; never the link or the address.
    assert f"emailed to account {account[1]}" in caplog.text
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert token_of(link) not in logged and "sam@riverside.example" not in logged


def test_asking_is_limited_so_no_one_can_flood_an_inbox(app, account, outbox):
    for _ in range(3):
        assert ask_for_link(app, "sam@riverside.example").status_code == 200
    refused = ask_for_link(app, "sam@riverside.example", address="198.51.100.7")
    assert refused.status_code == 429
    assert 3500 < int(refused.headers["Retry-After"]) <= 3600
    page = " ".join(refused.get_data(as_text=True).split())
    assert "Too many sign-in links were asked for. Try again after " in page
    assert "A link already sent still works" in page
    assert len(outbox) == 3
    # An address with no account is counted the same way, so the refusal tells nothing.
    for _ in range(3):
        ask_for_link(app, "nobody@riverside.example", address="198.51.100.8")
    assert ask_for_link(app, "nobody@riverside.example", address="198.51.100.9").status_code == 429
    # One internet address asking for many: stopped too, after ten in all from it.
    for number in range(7):
        assert ask_for_link(app, f"guess{number}@riverside.example").status_code == 200
    assert ask_for_link(app, "guess9@riverside.example").status_code == 429


def test_a_form_without_an_address_says_what_to_do(app, account, outbox):
    response = app.test_client().post(FORGOTTEN, data={"email": ""})
    assert response.status_code == 400
    assert "Enter the email address you sign in with" in response.get_data(as_text=True)
    response = app.test_client().post(FORGOTTEN, data={"email": "sam at riverside"})
    assert "Enter an email address like name@example.org" in response.get_data(as_text=True)
    assert outbox == []


def test_without_mail_the_page_says_to_ask_an_administrator(app, account, monkeypatch):
    import smtplib

    monkeypatch.setattr(smtplib, "SMTP", None)  # any attempt to send would fail loudly
    page = app.test_client().get(FORGOTTEN).get_data(as_text=True)
    assert "Ask your administrator for a new sign-in link." in page
    assert "on the <strong>Staff</strong> page: they choose “New sign-in link”" in " ".join(
        page.split()
    )
    assert "<form" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    sent = app.test_client().post(FORGOTTEN, data={"email": "sam@riverside.example"})
    assert sent.status_code == 200 and "Ask your administrator" in sent.get_data(as_text=True)


def test_an_emailed_link_leads_to_the_app_whatever_host_the_request_named(app, account, outbox):
    """Otherwise anyone could have a person emailed a working link to a site of their own."""
    client = app.test_client()
    data = {"email": "sam@riverside.example"}
    client.post("/sign-in/forgotten", data=data, headers={"Host": "evil.example"})
    assert len(outbox) == 1
    assert emailed_link(outbox[0]).startswith(BASE_URL + "/invitation/")
    assert "evil.example" not in outbox[0].as_string()


def test_without_the_apps_own_address_no_link_is_emailed(app, account, outbox):
    app.config["BASE_URL"] = ""
    page = app.test_client().get("/sign-in/forgotten").get_data(as_text=True)
    assert "Ask your administrator for a new sign-in link." in page
    assert ask_for_link(app, "sam@riverside.example").status_code in (200, 302, 303)
    assert outbox == []
