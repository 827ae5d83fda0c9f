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


def test_the_zip_and_deletion_cover_history_contributions_links_and_reviews(
    app, client, create_profile
):
    """Everything issue-by-issue parts keep about a person: in the zip, and gone with them."""
    from datetime import date

    from sqlalchemy import func, select

    from profiles.extensions import db
    from profiles.models import (
        Contribution,
        ContributionInvite,
        ProfileReview,
        Revision,
        ShareLink,
    )

    from .conftest import agree_to, inspecting
    from .test_contributions import ANN, accept, waiting_ids
    from .test_contributions import make_link as invite
    from .test_sharing import make_link as share

    pid = create_profile(name="Margaret Jones", statements={"support": ["Knock first."]})
    agree_to(client, pid)
    share(client, pid)
    app.test_client().post(invite(client, pid), data=ANN)
    [cid] = waiting_ids(app, pid)
    accept(client, pid, cid, ANN["answer_appreciation"])
    client.post(
        f"/reviews/{pid}",
        data={"note": "Still right.", "next_due-day": "1", "next_due-month": "3",
              "next_due-year": str(date.today().year + 1)},
    )  # fmt: skip

    response = client.get(f"/profiles/{pid}/everything.zip")
    with zipfile.ZipFile(io.BytesIO(response.data)) as zipped:
        history = json.loads(zipped.read("history.json"))
        assert [v["what"] for v in history][-3:] == [
            "Agreed",
            "Accepted a contribution",
            "Reviewed",
        ]
        assert "Ann Smith" in zipped.read("contributions.csv").decode()
        assert zipped.read("invitations.csv").decode().count("\n") == 2  # heading and one
        assert zipped.read("links.csv").decode().count("\n") == 2
        assert "Still right." in zipped.read("reviews.csv").decode()
        assert "README.txt" in zipped.namelist()

    client.post(f"/profiles/{pid}/delete", data={"confirm": "Margaret Jones"})
    with inspecting(app):
        for model in (Revision, ShareLink, ContributionInvite, Contribution, ProfileReview):
            left = db.session.scalar(select(func.count()).select_from(model))
            assert left == 0, model.__name__


def test_reviews_in_the_zip_keep_typed_text_as_text_and_times_in_utc(client, create_profile):
    import csv
    from datetime import date

    pid = create_profile(review_due=date(2020, 1, 1))
    client.post(
        f"/reviews/{pid}",
        data={"took_part": "+44 Margaret", "note": '=HYPERLINK("http://x.example","Open")',
              "next_due-day": "1", "next_due-month": "1", "next_due-year": "2030"},
    )  # fmt: skip
    response = client.get(f"/profiles/{pid}/everything.zip")
    with zipfile.ZipFile(io.BytesIO(response.data)) as zipped:
        rows = list(csv.reader(io.StringIO(zipped.read("reviews.csv").decode())))
    at, _, took_part, note, _ = rows[1]
    assert at.endswith("+00:00")
    assert took_part == "'+44 Margaret"
    assert note == '\'=HYPERLINK("http://x.example","Open")'
