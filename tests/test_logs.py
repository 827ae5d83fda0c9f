"""Logs hold ids and events, never a password, a person's name or what was written."""

import io
import logging

from PIL import Image

from .conftest import EXAMPLES
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
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=9)  # an invitation email that fails
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
