"""Family, friends and colleagues add to a profile through a link; staff accept or decline."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import timedelta

import pytest
from flask import session
from flask_login import current_user
from pypdf import PdfReader
from sqlalchemy import func, select

from profiles.contributions import services as contributions
from profiles.extensions import db
from profiles.links import token_hash
from profiles.models import (
    MAX_STATEMENT,
    MAX_STATEMENTS,
    AuditEvent,
    Contribution,
    ContributionInvite,
    Profile,
    WebSession,
    aware,
    utcnow,
)
from profiles.services import current_organisation_id

from .conftest import inspecting, sign_in_as

LINK = re.compile(r'value="(https?://[^"]+/contribute/([^"]+))"')
ANN = {
    "contributor_name": "Ann Smith",
    "contributor_relationship": "daughter",
    "answer_appreciation": "Mum makes everyone laugh at Sunday lunch.",
}


def make_link(client, pid, **fields) -> str:
    """Make an invitation link on the staff page; returns its path, as the page that answers
    the form shows it (that page only: see test_the_token_is_kept_nowhere_but_in_the_link)."""
    data = {"label": "Margaret's family", "allow_suggestions": "no", "days": "14", **fields}
    made = client.post(f"/profiles/{pid}/contributions", data=data)
    page = made.get_data(as_text=True)
    assert made.status_code == 200, page
    assert "This is the only time the whole link is shown" in page
    found = LINK.search(page)
    assert found, page
    return "/contribute/" + found.group(2)


def statements_of(app, pid, key):
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        return [(s.text, s.contributed_by) for s in profile.section(key).statements]


def accept(client, pid, cid, text):
    """Accept a waiting contribution as staff, with this text in its box."""
    return client.post(
        f"/profiles/{pid}/contributions/{cid}",
        data={"action": "accept", f"contribution-{cid}-text": text},
    )


def waiting_ids(app, pid):
    with inspecting(app):
        query = select(Contribution.id).where(
            Contribution.profile_id == pid, Contribution.state == "pending"
        )
        return list(db.session.scalars(query.order_by(Contribution.id)))


def test_a_contribution_sent_through_its_link_is_accepted_and_prints(app, client, create_profile):
    pid = create_profile(
        name="Margaret Jones",
        preferred_name="Peggy",
        statements={"appreciation": ["I am a wonderful cook."], "support": ["Knock first."]},
        facts=[{"label": "NHS number", "value": "9434765919"}],
    )
    path = make_link(client, pid)
    # Shown once only: the page shows the link no more, and only its hash is kept.
    again = client.get(f"/profiles/{pid}/contributions").get_data(as_text=True)
    assert "/contribute/" not in again and "Margaret&#39;s family" in again
    token = path.rsplit("/", 1)[1]
    with inspecting(app):
        invite = db.session.scalar(select(ContributionInvite))
        assert invite.token_hash == token_hash(token)

    # Someone without an account opens it: only the preferred name, nothing else.
    visitor = app.test_client()
    page = visitor.get(path)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "You have been asked to add to Peggy's one-page profile" in text
    assert "Asked by Riverside Care Home" in text
    assert "How do you know Peggy?" in text and "How do you know them?" not in text
    assert "Jones" not in text and "wonderful cook" not in text and "9434765919" not in text
    assert "What do you like and admire about Peggy?" in text
    assert "important to Peggy" not in text  # suggestions were not allowed
    assert page.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"

    sent = visitor.post(path, data=ANN)
    assert sent.status_code == 303 and sent.headers["Location"] == "/contribute/thanks"
    thanks = visitor.get("/contribute/thanks")
    assert "Thank you" in thanks.get_data(as_text=True)
    assert thanks.headers["Referrer-Policy"] == "no-referrer"

    # The queue shows who, for which section, and what they wrote, in a box to edit.
    queue = client.get(f"/profiles/{pid}/contributions").get_data(as_text=True)
    assert "Waiting for you (1)" in queue
    assert (
        "Margaret&#39;s family</td>" in queue and 'data-label="Sent through it">1</td>' in queue
    )  # sent
    assert "From Ann Smith (daughter)" in queue
    assert "What people appreciate about me" in queue
    assert "Mum makes everyone laugh at Sunday lunch." in queue
    review = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert "1 contribution is waiting" in review

    [cid] = waiting_ids(app, pid)
    accepted = client.post(
        f"/profiles/{pid}/contributions/{cid}",
        data={
            "action": "accept",
            f"contribution-{cid}-text": "I make everyone laugh at Sunday lunch.",
        },
    )
    assert accepted.status_code == 303
    after = client.get(f"/profiles/{pid}/contributions").get_data(as_text=True)
    assert "credited to Ann Smith (daughter)" in after and "Waiting for you (0)" in after
    assert statements_of(app, pid, "appreciation") == [
        ("I am a wonderful cook.", None),
        ("I make everyone laugh at Sunday lunch.", "Ann Smith (daughter)"),
    ]
    section = client.get(f"/profiles/{pid}/steps/appreciation").get_data(as_text=True)
    assert "Added by Ann Smith (daughter)" in section
    with inspecting(app):
        assert db.session.get(Profile, pid).version == 2  # a save like any other
        contribution = db.session.get(Contribution, cid)
        assert contribution.state == "accepted" and contribution.decided_at is not None
    with inspecting(app):
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions.count("changed") == 1  # the accepting

    pdf = client.get(f"/profiles/{pid}/profile.pdf")
    assert pdf.status_code == 200
    printed = " ".join(PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text().split())
    assert "I make everyone laugh at Sunday lunch." in printed


def test_the_token_is_kept_nowhere_but_in_the_link(app, client, create_profile):
    pid = create_profile(name="Margaret Jones", preferred_name="Peggy")
    data = {"label": "Margaret's family", "allow_suggestions": "no", "days": "14"}
    made = client.post(f"/profiles/{pid}/contributions", data=data)
    # Shown on the page that answers the form, before anything else is asked of the server.
    token = LINK.search(made.get_data(as_text=True)).group(2)
    path = "/contribute/" + token
    assert len(token) * 6 >= 128
    with inspecting(app):
        sessions = [s.data for s in db.session.scalars(select(WebSession))]
    assert sessions and not any(token.encode() in data for data in sessions)
    visitor = app.test_client()
    assert visitor.get(path).status_code == 200
    assert visitor.post(path, data=ANN).status_code == 303
    with inspecting(app):
        invite = db.session.scalars(select(ContributionInvite)).one()
        row = [str(getattr(invite, c.key)) for c in ContributionInvite.__table__.columns]
        assert invite.token_hash == token_hash(token)
        sessions = [s.data for s in db.session.scalars(select(WebSession))]
    assert sessions  # the staff member's session, at least, is kept: and holds no token
    assert not any(token in value for value in row)
    assert not any(token.encode() in data for data in sessions)
    # The staff page shows the link only on the page that made it.
    assert token not in client.get(f"/profiles/{pid}/contributions").get_data(as_text=True)


def test_suggestions_go_to_their_sections_when_staff_allow_them(app, client, create_profile):
    pid = create_profile(name="Margaret Jones")
    path = make_link(client, pid, allow_suggestions="yes")
    visitor = app.test_client()
    page = visitor.get(path).get_data(as_text=True)
    assert "What do you like and admire about Margaret?" in page  # no preferred name
    assert "What do you think is important to Margaret?" in page
    assert "How can people best support Margaret?" in page
    sent = visitor.post(
        path,
        data={
            "contributor_name": "Raj Patel",
            "contributor_relationship": "friend from church",
            "answer_support": "Sit on my left: I hear better on that side.",
            "answer_important": "",
        },
    )
    assert sent.status_code == 303
    with inspecting(app):
        [contribution] = db.session.scalars(select(Contribution)).all()
        assert contribution.section_key == "support"
        assert contribution.contributed_by == "Raj Patel (friend from church)"


def test_a_contribution_with_problems_says_so_and_keeps_what_was_typed(app, client, create_profile):
    pid = create_profile()
    path = make_link(client, pid)
    visitor = app.test_client()
    empty = visitor.post(path, data={"contributor_name": "Ann Smith"})
    text = empty.get_data(as_text=True)
    assert empty.status_code == 400
    assert "There is a problem" in text
    assert "Enter how you know Margaret" in text
    assert "Write something in at least one box" in text
    assert 'value="Ann Smith"' in text
    too_long = "A" * (MAX_STATEMENT + 1)
    long = visitor.post(path, data={**ANN, "answer_appreciation": too_long})
    assert long.status_code == 400
    assert f"This has {MAX_STATEMENT + 1} characters" in long.get_data(as_text=True)
    assert too_long in long.get_data(as_text=True)  # never cut short
    assert waiting_ids(app, pid) == []


def test_declined_contributions_leave_the_profile_as_it_was(app, client, create_profile):
    pid = create_profile(statements={"appreciation": ["I am kind."]})
    path = make_link(client, pid)
    app.test_client().post(path, data=ANN)
    [cid] = waiting_ids(app, pid)
    declined = client.post(f"/profiles/{pid}/contributions/{cid}", data={"action": "decline"})
    assert declined.status_code == 303
    page = client.get(f"/profiles/{pid}/contributions").get_data(as_text=True)
    assert "Declined what Ann Smith (daughter) wrote" in page
    assert "Nothing is waiting." in page and "Declined (1)" in page
    assert statements_of(app, pid, "appreciation") == [("I am kind.", None)]
    with inspecting(app):
        assert db.session.get(Profile, pid).version == 1
        assert db.session.get(Contribution, cid).state == "declined"
    # Deciding again changes nothing.
    again = client.post(
        f"/profiles/{pid}/contributions/{cid}",
        data={"action": "accept", f"contribution-{cid}-text": "I am kind."},
        follow_redirects=True,
    )
    assert "What Ann Smith (daughter) wrote was already declined by Sam Keyworker at " in (
        again.get_data(as_text=True)
    )
    assert statements_of(app, pid, "appreciation") == [("I am kind.", None)]


def test_a_full_section_or_too_long_a_text_is_refused_never_cut(app, client, create_profile):
    full = [f"Thing {i} I love." for i in range(MAX_STATEMENTS)]
    pid = create_profile(statements={"appreciation": full}, status="ready")
    path = make_link(client, pid)
    app.test_client().post(path, data=ANN)
    [cid] = waiting_ids(app, pid)
    edited = "I make everyone laugh, edited by staff."
    refused = accept(client, pid, cid, edited)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert f"already has {MAX_STATEMENTS} statements" in text
    assert f'href="#contribution-{cid}-text"' in text  # in the error summary
    assert edited in text  # the edited text is still there
    too_long = "B" * (MAX_STATEMENT + 1)
    refused = accept(client, pid, cid, too_long)
    assert refused.status_code == 400
    assert f"This has {MAX_STATEMENT + 1} characters" in refused.get_data(as_text=True)
    assert too_long in refused.get_data(as_text=True)
    assert len(statements_of(app, pid, "appreciation")) == MAX_STATEMENTS
    assert waiting_ids(app, pid) == [cid]
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        assert (profile.version, profile.status) == (1, "ready")


def test_accepting_into_a_ready_profile_makes_it_a_draft_again(app, client, create_profile):
    pid = create_profile(statements={"appreciation": ["I am kind."]}, status="ready")
    path = make_link(client, pid)
    app.test_client().post(path, data=ANN)
    [cid] = waiting_ids(app, pid)
    page = client.post(
        f"/profiles/{pid}/contributions/{cid}",
        data={"action": "accept", f"contribution-{cid}-text": ANN["answer_appreciation"]},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "it is a draft again" in page
    with inspecting(app):
        assert db.session.get(Profile, pid).status == "draft"


def test_a_revoked_expired_or_unknown_link_opens_nothing(app, client, create_profile):
    pid = create_profile(name="Margaret Jones", preferred_name="Peggy")
    revoked, expired = make_link(client, pid), make_link(client, pid)
    page = client.get(f"/profiles/{pid}/contributions").get_data(as_text=True)
    assert page.count("Stop this link working") == 2
    with inspecting(app):
        first, second = db.session.scalars(
            select(ContributionInvite).order_by(ContributionInvite.id)
        ).all()
        second.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        first_id = first.id
    stopped = client.post(f"/profiles/{pid}/contributions/invitations/{first_id}/revoke")
    assert stopped.status_code == 303
    page = client.get(f"/profiles/{pid}/contributions").get_data(as_text=True)
    assert "The link no longer works" in page and "No link works at the moment." in page
    visitor = app.test_client()
    for path in (revoked, expired, "/contribute/not-a-link-we-made"):
        for response in (visitor.get(path), visitor.post(path, data=ANN)):
            text = response.get_data(as_text=True)
            assert response.status_code == 404
            assert "This link is no longer active" in text
            assert "Peggy" not in text and "<form" not in text
            assert response.headers["Referrer-Policy"] == "no-referrer"
    assert waiting_ids(app, pid) == []


def test_the_link_works_for_at_most_90_days(app, client, create_profile):
    pid = create_profile()
    refused = client.post(
        f"/profiles/{pid}/contributions",
        data={"label": "Family", "allow_suggestions": "no", "days": "91"},
    )
    assert refused.status_code == 400
    assert "Enter a number of days from 1 to 90, such as 14" in refused.get_data(as_text=True)
    with inspecting(app):
        assert db.session.scalar(select(func.count(ContributionInvite.id))) == 0
    make_link(client, pid, days="90")
    with inspecting(app):
        invite = db.session.scalar(select(ContributionInvite))
        lasts = aware(invite.expires_at) - aware(invite.created_at)
        assert lasts == timedelta(days=90)
        assert invite.created_by is not None and invite.label == "Margaret's family"


def test_sending_too_often_from_one_address_is_stopped_with_a_message(app, client, create_profile):
    pid = create_profile()
    path = make_link(client, pid)
    visitor = app.test_client()
    for _ in range(10):
        assert visitor.post(path, data=ANN).status_code == 303
    stopped = visitor.post(path, data={**ANN, "answer_appreciation": "One more thing."})
    text = stopped.get_data(as_text=True)
    assert stopped.status_code == 429
    assert "Too many contributions have been sent from this connection. Try again" in text
    assert "One more thing." in text
    assert len(waiting_ids(app, pid)) == 10


def test_a_link_stops_taking_contributions_when_its_queue_is_full(
    app, client, create_profile, monkeypatch
):
    from profiles.contributions import services

    monkeypatch.setattr(services, "MAX_WAITING", 2)
    pid = create_profile()
    path = make_link(client, pid)
    visitor = app.test_client()
    assert visitor.post(path, data=ANN).status_code == 303
    assert visitor.post(path, data=ANN).status_code == 303
    full = visitor.post(path, data={**ANN, "answer_appreciation": "A third thing."})
    text = full.get_data(as_text=True)
    assert full.status_code == 400
    assert "as many contributions as the staff can read for now" in text
    assert "A third thing." in text
    assert len(waiting_ids(app, pid)) == 2


def test_a_link_opens_only_its_own_profile_and_staff_pages_only_their_organisations(
    app, client, create_profile, create_account
):
    ours = create_profile(name="Margaret Jones", preferred_name="Peggy")
    other = create_profile(name="Tom Evans")
    path = make_link(client, ours)
    assert app.test_client().post(path, data=ANN).status_code == 303
    [cid] = waiting_ids(app, ours)
    assert waiting_ids(app, other) == []
    # The contribution and the link belong to their own profile only.
    assert (
        client.post(
            f"/profiles/{other}/contributions/{cid}", data={"action": "decline"}
        ).status_code
        == 404
    )
    with inspecting(app):
        invite_id = db.session.scalar(select(ContributionInvite.id))
    assert (
        client.post(f"/profiles/{other}/contributions/invitations/{invite_id}/revoke").status_code
        == 404
    )
    # Another organisation's staff see none of it.
    _, ffion = create_account(email="ffion@bryn.example", slug="bryn-home-care")
    stranger = app.test_client()
    sign_in_as(stranger, ffion)
    for url, method in (
        (f"/profiles/{ours}/contributions", "GET"),
        (f"/profiles/{ours}/contributions", "POST"),
        (f"/profiles/{ours}/contributions/{cid}", "POST"),
        (f"/profiles/{ours}/contributions/invitations/{invite_id}/revoke", "POST"),
    ):
        response = stranger.open(
            url, method=method, data={"action": "accept", f"contribution-{cid}-text": "x"}
        )
        assert response.status_code == 404, url
        assert "Ann Smith" not in response.get_data(as_text=True)
    assert waiting_ids(app, ours) == [cid]


def test_someone_signed_in_to_another_organisation_contributes_through_the_link(
    app, client, create_profile, create_account
):
    pid = create_profile(name="Margaret Jones", preferred_name="Peggy")
    path = make_link(client, pid)
    _, ffion = create_account(email="ffion@bryn.example", slug="bryn-home-care")
    visitor = app.test_client()
    sign_in_as(visitor, ffion)
    # Their own organisation never replaces the link's, however far the request goes.
    page = visitor.get(path)
    assert page.status_code == 200
    assert "What do you like and admire about Peggy?" in page.get_data(as_text=True)
    assert visitor.post(path, data=ANN).status_code == 303
    with inspecting(app):
        [contribution] = db.session.scalars(select(Contribution)).all()
        assert contribution.profile_id == pid
        assert contribution.organisation_id == db.session.get(Profile, pid).organisation_id
    assert "From Ann Smith (daughter)" in client.get(f"/profiles/{pid}/contributions").get_data(
        as_text=True
    )
    # Whatever reads who is signed in later in the request (a page's layout does), the
    # request goes on acting for the link's organisation.
    token = path.removeprefix("/contribute/")
    with app.test_request_context(path):
        session["_user_id"] = f"{ffion}.1"
        invite = contributions.open_invite(token)
        assert current_user.is_authenticated and current_user.id == ffion
        assert current_organisation_id() == invite.organisation_id != current_user.organisation_id


def test_the_rights_zip_holds_contributions_and_invitations_and_deletion_removes_them(
    app, client, create_profile
):
    pid = create_profile(name="Margaret Jones")
    path = make_link(client, pid)
    token = path.rsplit("/", 1)[1]
    app.test_client().post(path, data={**ANN, "answer_appreciation": "=1+1 is my joke."})
    response = client.get(f"/profiles/{pid}/everything.zip")
    with zipfile.ZipFile(io.BytesIO(response.data)) as zipped:
        assert "contributions.csv" in zipped.read("README.txt").decode()
        rows = list(csv.DictReader(io.StringIO(zipped.read("contributions.csv").decode())))
        invitations = zipped.read("invitations.csv").decode()
        everything = b"".join(zipped.read(name) for name in zipped.namelist())
    assert [(r["name"], r["relationship"], r["section"], r["text"], r["state"]) for r in rows] == [
        ("Ann Smith", "daughter", "appreciation", "'=1+1 is my joke.", "pending")
    ]
    assert rows[0]["sent"]
    assert "Margaret's family,no," in invitations
    assert token.encode() not in everything
    deleted = client.post(f"/profiles/{pid}/delete", data={"confirm": "Margaret Jones"})
    assert deleted.status_code in (302, 303)
    with inspecting(app):
        assert db.session.scalar(select(func.count(Contribution.id))) == 0
        assert db.session.scalar(select(func.count(ContributionInvite.id))) == 0
    assert app.test_client().get(path).status_code == 404


def test_a_contribution_links_token_is_hidden_in_log_lines():
    from profiles.logs import LINK_TOKEN, MASK

    line = '"GET /contribute/AbC-123_xyz HTTP/1.1" 200'
    assert LINK_TOKEN.sub(MASK, line) == '"GET /contribute/[link hidden] HTTP/1.1" 200'


def test_a_save_of_the_profile_in_the_same_instant_keeps_the_text_to_accept_again(
    app, client, create_profile, monkeypatch
):
    from sqlalchemy import update

    from profiles.contributions import services

    pid = create_profile(statements={"appreciation": ["I am kind."]})
    path = make_link(client, pid)
    app.test_client().post(path, data=ANN)
    [cid] = waiting_ids(app, pid)
    real_find = services.find_contribution

    def someone_else_saves_first(profile, contribution_id):
        # Another member of staff's save lands between reading the profile and writing it.
        with app.app_context(), db.engine.begin() as connection:
            table = Profile.__table__
            connection.execute(
                update(table).where(table.c.id == pid).values(version=table.c.version + 1)
            )
        return real_find(profile, contribution_id)

    monkeypatch.setattr(services, "find_contribution", someone_else_saves_first)
    edited = "I make everyone laugh, as edited."
    response = accept(client, pid, cid, edited)
    text = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved changes to this profile at the same moment" in text
    assert edited in text
    assert statements_of(app, pid, "appreciation") == [("I am kind.", None)]
    assert waiting_ids(app, pid) == [cid]
    monkeypatch.setattr(services, "find_contribution", real_find)
    accepted = accept(client, pid, cid, edited)
    assert accepted.status_code == 303
    assert statements_of(app, pid, "appreciation")[-1] == (edited, "Ann Smith (daughter)")


def test_a_hospital_passport_asks_for_likes_and_what_is_important_never_what_to_know(
    app, client, create_profile
):
    pid = create_profile(name="Tom Evans", kind="hospital")
    page = app.test_client().get(make_link(client, pid, allow_suggestions="yes"))
    text = page.get_data(as_text=True)
    assert "What does Tom like, and what do they dislike?" in text
    assert "What do you think is important to Tom?" in text
    assert 'name="answer_must_know"' not in text


def test_each_line_of_a_contribution_becomes_a_statement_of_its_own(app, client, create_profile):
    pid = create_profile(name="Margaret Jones", statements={"appreciation": ["I am kind."]})
    path = make_link(client, pid)
    visitor = app.test_client()
    page = visitor.get(path).get_data(as_text=True)
    assert "each line becomes its own point on the profile" in " ".join(page.split())
    written = "Her stories about Lagos\r\n\r\n  Her   jollof rice \r\n"
    assert visitor.post(path, data={**ANN, "answer_appreciation": written}).status_code == 303
    [cid] = waiting_ids(app, pid)
    queue = client.get(f"/profiles/{pid}/contributions").get_data(as_text=True)
    assert "Each line becomes a statement of its own" in " ".join(queue.split())
    accepted = accept(client, pid, cid, written)
    assert accepted.status_code == 303
    assert statements_of(app, pid, "appreciation") == [
        ("I am kind.", None),
        ("Her stories about Lagos", "Ann Smith (daughter)"),
        ("Her jollof rice", "Ann Smith (daughter)"),
    ]
    with inspecting(app):
        assert db.session.get(Profile, pid).version == 2  # one save, for both


def test_lines_that_would_not_all_fit_in_the_section_are_refused_together(
    app, client, create_profile
):
    room_for_two = [f"Thing {i} I love." for i in range(MAX_STATEMENTS - 2)]
    pid = create_profile(statements={"appreciation": room_for_two})
    path = make_link(client, pid)
    app.test_client().post(path, data=ANN)
    [cid] = waiting_ids(app, pid)
    three = "First thing.\nSecond thing.\nThird thing."
    refused = accept(client, pid, cid, three)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert f"has {MAX_STATEMENTS - 2} statements and can hold {MAX_STATEMENTS}" in text
    assert "room for 2 more" in text and "there are 3" in text
    assert "First thing.\nSecond thing.\nThird thing." in text  # kept, to join or cut
    assert len(statements_of(app, pid, "appreciation")) == MAX_STATEMENTS - 2
    assert waiting_ids(app, pid) == [cid]
    long_line = "Short line.\n" + "C" * (MAX_STATEMENT + 1)
    refused = accept(client, pid, cid, long_line)
    assert refused.status_code == 400
    assert f"Line 2 has {MAX_STATEMENT + 1} characters" in refused.get_data(as_text=True)
    two = "First thing.\nSecond thing."
    accepted = accept(client, pid, cid, two)
    assert accepted.status_code == 303
    assert len(statements_of(app, pid, "appreciation")) == MAX_STATEMENTS


def test_opening_the_address_of_a_refused_decision_again_leads_back_to_the_page(
    app, client, create_profile
):
    pid = create_profile(statements={"appreciation": ["I am kind."]})
    path = make_link(client, pid)
    app.test_client().post(path, data=ANN)
    [cid] = waiting_ids(app, pid)
    address = f"/profiles/{pid}/contributions/{cid}"
    refused = client.post(address, data={"action": "accept", f"contribution-{cid}-text": " "})
    assert refused.status_code == 400
    assert "The text is empty" in refused.get_data(as_text=True)
    # Reloaded later, or opened from the browser's history: back to the contributions.
    again = client.get(address)
    assert again.status_code == 303
    assert again.headers["Location"] == f"/profiles/{pid}/contributions#waiting"
    page = client.get(address, follow_redirects=True).get_data(as_text=True)
    assert "From Ann Smith (daughter)" in page and "Method Not Allowed" not in page
    assert waiting_ids(app, pid) == [cid]


def test_an_address_opened_the_wrong_way_gets_a_calm_page_saying_what_to_do(
    app, client, create_profile
):
    pid = create_profile()
    response = client.get(f"/profiles/{pid}/contributions/invitations/1/revoke")
    text = response.get_data(as_text=True)
    assert response.status_code == 405 and response.headers["Allow"]
    assert "This page cannot be opened again" in text
    assert "Go back to the page you were on" in text and "Go to your profiles" in text
    assert "Method Not Allowed" not in text


@pytest.mark.parametrize(("first", "then"), [("declined", "accept"), ("accepted", "decline")])
def test_of_two_people_deciding_at_the_same_moment_only_one_acts(
    app, client, create_profile, monkeypatch, first, then
):
    from sqlalchemy import update

    from profiles.contributions import services

    pid = create_profile(statements={"appreciation": ["I am kind."]})
    path = make_link(client, pid)
    app.test_client().post(path, data=ANN)
    [cid] = waiting_ids(app, pid)
    real_find = services.find_contribution

    def someone_else_decides_meanwhile(profile, contribution_id):
        # Read as waiting; another member of staff's decision lands before this one's.
        found = real_find(profile, contribution_id)
        with app.app_context(), db.engine.begin() as connection:
            table = Contribution.__table__
            connection.execute(
                update(table)
                .where(table.c.id == contribution_id)
                .values(state=first, decided_at=utcnow())
            )
        return found

    monkeypatch.setattr(services, "find_contribution", someone_else_decides_meanwhile)
    response = client.post(
        f"/profiles/{pid}/contributions/{cid}",
        data={"action": then, f"contribution-{cid}-text": "I make everyone laugh."},
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"What Ann Smith (daughter) wrote was already {first}" in text
    assert statements_of(app, pid, "appreciation") == [("I am kind.", None)]
    with inspecting(app):
        assert db.session.get(Contribution, cid).state == first
        assert db.session.get(Profile, pid).version == 1


def test_a_declined_contribution_is_put_back_by_undo_or_from_the_declined_list(
    app, client, create_profile
):
    pid = create_profile(statements={"appreciation": ["I am kind."]})
    path = make_link(client, pid)
    app.test_client().post(path, data=ANN)
    [cid] = waiting_ids(app, pid)
    page = client.get(f"/profiles/{pid}/contributions").get_data(as_text=True)
    assert "Declined (" not in page  # nothing declined yet
    declined = client.post(
        f"/profiles/{pid}/contributions/{cid}", data={"action": "decline"}, follow_redirects=True
    )
    page = declined.get_data(as_text=True)
    put_back = f'action="/profiles/{pid}/contributions/{cid}/put-back"'
    # The notice offers to undo it, with a form (no script needed).
    notice = page[page.index("Declined what Ann Smith (daughter) wrote") :]
    notice = notice[: notice.index("</form>")]
    assert ">Undo<" in notice
    assert page.count(put_back) == 2  # the notice, and the declined list
    assert "<summary>Declined (1)</summary>" in page
    assert ANN["answer_appreciation"] in page
    assert "Put back in the queue" in page and "by Sam Keyworker" in page
    # Shown once: the next showing offers no undo, but still lists it.
    again = client.get(f"/profiles/{pid}/contributions").get_data(as_text=True)
    assert ">Undo<" not in again and again.count(put_back) == 1
    assert waiting_ids(app, pid) == []

    undone = client.post(f"/profiles/{pid}/contributions/{cid}/put-back", follow_redirects=True)
    page = undone.get_data(as_text=True)
    assert "What Ann Smith (daughter) wrote is back in the queue" in page
    assert "Waiting for you (1)" in page and "Declined (" not in page
    assert waiting_ids(app, pid) == [cid]
    with inspecting(app):
        contribution = db.session.get(Contribution, cid)
        assert (contribution.decided_by, contribution.decided_at) == (None, None)
    # Twice changes nothing more; and it can be accepted now.
    twice = client.post(f"/profiles/{pid}/contributions/{cid}/put-back", follow_redirects=True)
    assert "already back in the queue" in twice.get_data(as_text=True)
    accepted = accept(client, pid, cid, ANN["answer_appreciation"])
    assert accepted.status_code == 303
    # An accepted one is not put back in the queue.
    late = client.post(f"/profiles/{pid}/contributions/{cid}/put-back", follow_redirects=True)
    assert "was already accepted" in late.get_data(as_text=True)
    assert waiting_ids(app, pid) == []
    assert statements_of(app, pid, "appreciation")[-1][1] == "Ann Smith (daughter)"


def test_screen_readers_tell_apart_two_contributions_from_one_person_and_their_statements(
    app, client, create_profile
):
    pid = create_profile(name="Margaret Jones")
    path = make_link(client, pid, allow_suggestions="yes")
    app.test_client().post(
        path,
        data={
            **ANN,
            "answer_appreciation": "Mum makes everyone laugh at Sunday lunch, every week.",
            "answer_support": "Sit on her left side.",
        },
    )
    html = client.get(f"/profiles/{pid}/contributions").get_data(as_text=True)
    names = [
        " ".join(re.sub(r"<[^>]+>", "", name).split())
        for name in re.findall(
            r'<button type="submit" class="button[^"]*"[^>]*>(.*?)</button>', html
        )
        if name.startswith(("Accept", "Decline"))
    ]
    assert (
        "Accept what Ann Smith wrote for “What people appreciate about me”, "
        "starting “Mum makes everyone laugh at Sunday…”"
    ) in names
    assert len(names) == 4 and len(set(names)) == 4
    assert any(name.startswith("Decline what Ann Smith wrote for “How") for name in names)
    assert any(name.endswith("starting “Sit on her left side.”") for name in names)

    # Accepted, the statement's box is described by who added it.
    [cid, _] = waiting_ids(app, pid)
    accept(client, pid, cid, "I make everyone laugh.")
    section = client.get(f"/profiles/{pid}/steps/appreciation").get_data(as_text=True)
    hint = re.search(r'<p class="hint" id="([^"]+)">Added by Ann Smith \(daughter\)</p>', section)
    assert hint, section
    box = re.search(rf'<textarea[^>]*aria-describedby="{hint.group(1)}"[^>]*>', section)
    assert box and "I make everyone laugh." in section[box.end() : box.end() + 100]


def test_a_contributor_whose_session_was_lost_is_not_refused_but_staff_forms_still_are(
    app, client, database_url, create_profile
):
    """The link's token is the secret: a contributor back after a day, or with cookies
    cleared, sends what they wrote without any token of the form's."""
    from .conftest import build_app

    pid = create_profile(name="Margaret Jones", preferred_name="Peggy")
    path = make_link(client, pid)
    checked = build_app(database_url, WTF_CSRF_ENABLED=True)
    visitor = checked.test_client()  # never opened the form: no session, no form token
    sent = visitor.post(path, data=ANN)
    assert sent.status_code == 303 and sent.headers["Location"] == "/contribute/thanks"
    assert len(waiting_ids(app, pid)) == 1
    # A mistake is still shown with what they wrote, not a page about expiry.
    again = checked.test_client().post(path, data={**ANN, "contributor_name": ""})
    text = again.get_data(as_text=True)
    assert again.status_code == 400 and "Enter your name" in text
    assert "This page had expired" not in text and ANN["answer_appreciation"] in text
    assert 'name="csrf_token"' not in visitor.get(path).get_data(as_text=True)
    # A member of staff's form, without its token, is still refused.
    staff = checked.test_client()
    sign_in_as(staff, current_staff_id(app, pid))
    [cid] = waiting_ids(app, pid)
    refused = staff.post(f"/profiles/{pid}/contributions/{cid}", data={"action": "decline"})
    assert refused.status_code == 400
    assert "This page had expired" in refused.get_data(as_text=True)
    assert waiting_ids(app, pid) == [cid]
    with inspecting(checked):
        db.engine.dispose()


def current_staff_id(app, pid) -> int:
    from profiles.models import User

    with inspecting(app):
        organisation_id = db.session.get(Profile, pid).organisation_id
        return db.session.scalar(select(User.id).where(User.organisation_id == organisation_id))


def test_every_cell_of_the_invitations_table_names_its_column_for_a_phone(
    app, client, create_profile
):
    from .conftest import tables_with_labelled_cells

    pid = create_profile(statements={"appreciation": ["I am kind."]})
    make_link(client, pid)
    page = client.get(f"/profiles/{pid}/contributions").get_data(as_text=True)
    assert 'data-label="Sent through it">0</td>' in page
    assert tables_with_labelled_cells(page) == [
        ["For", "They can add", "Sent through it", "Works until", "Action"]
    ]
