"""Logs hold ids and events, never a password, a person's name or what was written."""

import http.client
import io
import logging
import threading

from PIL import Image

from .conftest import BASE_URL, EXAMPLES
from .test_accounts import SETUP

NEW_PASSWORD = "marmalade window ferry"
# Everything typed below that is personal or secret: none of it may reach a log line.
PRIVATE = (
    SETUP["password"],
    NEW_PASSWORD,
    "wrong password entirely",
    "sam@riverside.example",
    "Sam Keyworker",
    "jo@riverside.example",
    "Jo Carer",
    "Margaret Jones",
    "Peggy",
    "Knock twice and wait",
    "Peggy smiling",
)


def test_a_whole_day_of_use_leaves_nothing_private_in_the_logs(app, caplog):
    caplog.set_level(logging.DEBUG)
    # SQL statements are logged when someone turns this on to find a fault: never their values.
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    app.config.update(
        SMTP_HOST="127.0.0.1", SMTP_PORT=9, BASE_URL=BASE_URL
    )  # an invitation email that fails
    client = app.test_client()
    client.post("/setup", data=SETUP)
    client.post("/sign-out")
    client.post("/sign-in", data={"email": SETUP["email"], "password": "wrong password entirely"})
    client.post("/sign-in", data={"email": SETUP["email"], "password": SETUP["password"]})

    started = client.post(
        "/profiles/new",
        data={
            "kind": "adult",
            "name": "Margaret Jones",
            "preferred_name": "Peggy",
            "language": "en",
        },
    )
    pid = int(started.headers["Location"].split("/")[2])
    saved = client.post(
        f"/profiles/{pid}/steps/appreciation",
        data={"action": "next", "answer_0": "Knock twice and wait"},
    )
    assert saved.headers["Location"].endswith("/steps/important")
    photo = io.BytesIO()
    Image.new("RGB", (300, 300), (90, 120, 200)).save(photo, "JPEG")
    saved = client.post(
        f"/profiles/{pid}/steps/photo",
        data={
            "photo": (io.BytesIO(photo.getvalue()), "peggy.jpg"),
            "description": "Peggy smiling",
            "action": "next",
        },
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302
    assert client.get(f"/profiles/{pid}/profile.pdf").status_code == 200
    assert client.get(f"/profiles/{pid}/export.json").status_code == 200
    assert "Margaret Jones" in client.post("/", data={"q": "Margaret"}).get_data(as_text=True)
    imported = client.post(
        "/import",
        data={"files": [(io.BytesIO((EXAMPLES / "adult.json").read_bytes()), "adult.json")]},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 302
    link_page = client.post(
        "/staff",
        data={"name": "Jo Carer", "email": "jo@riverside.example", "role": "staff"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "could not be sent" in link_page
    assert client.get(f"/profiles/{pid}/everything.zip").status_code == 200
    deleted = client.post(f"/profiles/{pid}/delete", data={"confirm": "Margaret Jones"})
    assert deleted.status_code == 302
    client.post("/account/sign-out-everywhere")

    assert "INSERT INTO profile" in caplog.text  # the SQL log was really on
    assert "could not be sent" in caplog.text  # and so was the app's own
    for secret in PRIVATE:
        assert secret.lower() not in caplog.text.lower(), secret


def logged(caplog) -> str:
    """What was logged: each record's message as its logger would write it."""
    return "\n".join(record.getMessage() for record in caplog.records) + caplog.text


def test_invitation_and_sign_in_links_leave_no_token_in_the_logs(
    app, client, create_account, caplog
):
    from .test_staff import choose_password, invite, open_link, sign_in_link, token_of

    caplog.set_level(logging.DEBUG)  # every logger, everything it says
    _, dan = create_account(email="dan@riverside.example", role="staff", name="Dan Driver")
    tokens = []
    for make_link, person in (
        (lambda: invite(client)[0], "Jo Carer"),
        (lambda: sign_in_link(client, dan)[0], "Dan Driver"),
    ):
        link = make_link()
        tokens.append(token_of(link))
        browser = app.test_client()
        page = open_link(browser, link)
        assert page.status_code == 200 and page.request.path == "/invitation"
        assert "ou are signed in" in choose_password(browser, person).get_data(as_text=True)
        assert open_link(app.test_client(), link).status_code == 410  # it worked once only
    assert "made a sign-in link for account" in caplog.text  # the app's log was on
    for token in tokens:
        assert token not in logged(caplog)


def test_the_servers_request_log_masks_a_links_token(app, client, caplog):
    from werkzeug.serving import make_server

    from .test_staff import invite, token_of

    link, _ = invite(client)
    caplog.set_level(logging.DEBUG)
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        path = link.removeprefix("http://localhost")
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        connection.request("GET", path)
        arrived = connection.getresponse()
        arrived.read()
        connection.close()
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
    assert arrived.status == 303 and arrived.getheader("Location") == "/invitation"
    requests = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("GET /invitation/[link hidden] HTTP/1.1" in line for line in requests), requests
    assert token_of(link) not in logged(caplog)


def test_a_production_servers_access_log_masks_a_links_token(app, caplog):
    caplog.set_level(logging.INFO)
    # As gunicorn writes its access log: a format, and the request's parts by name.
    logging.getLogger("gunicorn.access").info(
        '%(h)s "%(r)s" %(s)s',
        {"h": "192.0.2.1", "r": "GET /invitation/abc.DEF-123 HTTP/1.1", "s": "303"},
    )
    assert (
        caplog.records[-1].getMessage() == '192.0.2.1 "GET /invitation/[link hidden] HTTP/1.1" 303'
    )
    assert "abc.DEF-123" not in caplog.text
