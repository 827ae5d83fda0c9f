"""Everything held about one person, as one download for a subject access request."""

import io
import json
import zipfile

from pypdf import PdfReader

from .conftest import sign_in_as


def test_everything_about_a_person_comes_as_one_zip(client, create_profile):
    pid = create_profile(
        name="Margaret Jones",
        statements={"support": ["Knock first."]},
        consent_self=True,
        consent_by="Margaret Jones",
    )
    client.get(f"/profiles/{pid}/steps/support")  # viewed: an audit entry
    response = client.get(f"/profiles/{pid}/everything.zip")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(f"profile-{pid}-everything.zip")
    with zipfile.ZipFile(io.BytesIO(response.data)) as zipped:
        names = set(zipped.namelist())
        assert {"README.txt", "profile.json", "profile.pdf", "consent.txt", "audit.csv"} <= names
        assert json.loads(zipped.read("profile.json"))["name"] == "Margaret Jones"
        assert len(PdfReader(io.BytesIO(zipped.read("profile.pdf"))).pages) == 1
        assert "Margaret Jones agreed themselves" in zipped.read("consent.txt").decode()
        audit = zipped.read("audit.csv").decode()
        assert f",viewed,{pid}" in audit


def test_only_administrators_may_download_everything(app, create_account, create_profile):
    _, jo = create_account(email="jo@riverside.example", role="staff")
    pid = create_profile()
    client = app.test_client()
    sign_in_as(client, jo)
    assert client.get(f"/profiles/{pid}/everything.zip").status_code == 403
