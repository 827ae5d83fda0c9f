"""Share links: staff make a read-only link to a profile; anyone with it opens the profile
and its PDF without an account, until it expires or is revoked."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from profiles.accounts import limits
from profiles.extensions import db
from profiles.links import token_hash
from profiles.logs import LINK_TOKEN, MASK
from profiles.models import AuditEvent, Profile, ShareLink, WebSession, utcnow

from .conftest import inspecting, sign_in_as
from .test_browser import check_accessibility, live_server, page, sign_in  # noqa: F401

STATEMENTS = {
    "appreciation": ["Always remembers your birthday."],
    "important": ["My daughter Ann visits on Sundays."],
    "support": ["Knock and wait before you come in."],
}
LINK = re.compile(r'id="share-link" type="text" value="https?://[^/"]+(/shared/[^"]+)"')
NO_LONGER = "This link is no longer active"


def make_link(client, profile_id: int, **form) -> str:
    """Make a link on the profile's sharing page; the path it opens, as shown that once."""
    response = client.post(f"/profiles/{profile_id}/sharing", data={"days": "14", **form})
    assert response.status_code == 200, response.get_data(as_text=True)
    html = response.get_data(as_text=True)
    assert "This is the only time the link is shown" in html
    return LINK.search(html).group(1)


def events(app, action: str) -> list[AuditEvent]:
    with inspecting(app):
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        return list(db.session.scalars(query))


def the_link(app) -> ShareLink:
    with inspecting(app):
        return db.session.scalars(select(ShareLink)).one()


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(reader.pages[0].extract_text().split())


def test_a_link_opens_the_profile_and_its_pdf_for_someone_without_an_account(
    app, client, account, create_profile
):
    pid = create_profile(name="Margaret Jones", statements=STATEMENTS)
    html = client.get(f"/profiles/{pid}/sharing").get_data(as_text=True)
    assert "Share the profile of Margaret Jones" in html
    assert "No link to this profile works at the moment." in html
    path = make_link(client, pid)
    [shared] = events(app, "shared")
    assert (shared.user_id, shared.profile_id) == (account[1], pid)

    visitor = app.test_client()
    response = visitor.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "One-page profile of Margaret Jones" in html
    assert "Shared with you by Riverside Care Home" in html
    assert '<meta name="robots" content="noindex' in html
    assert "Sign out" not in html and "site-nav" not in html
    for headers in (response.headers, visitor.get(path + "/page").headers):
        assert headers["X-Robots-Tag"].startswith("noindex")
        assert headers["Cache-Control"] == "no-store"
        assert headers["Referrer-Policy"] == "no-referrer"
    # The printed page itself, framed by the shared page, and a way to read it on its own.
    assert f'<a href="{path}/page">Read the profile on a page of its own</a>' in html
    framed = visitor.get(path + "/page")
    assert framed.status_code == 200
    assert "Knock and wait before you come in." in framed.get_data(as_text=True)
    assert "frame-ancestors 'self'" in framed.headers["Content-Security-Policy"]

    pdf = visitor.get(path + "/profile.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "Margaret Jones - one-page profile.pdf" in pdf.headers["Content-Disposition"]
    assert pdf.headers["Cache-Control"] == "no-store"
    assert pdf.headers["Referrer-Policy"] == "no-referrer"
    pages, text = pdf_text(pdf.data)
    assert pages == 1 and "Margaret Jones" in text and "Knock and wait" in text

    # Both openings (the page and the PDF) are in the audit trail, by nobody with an account.
    opened = events(app, "opened")
    assert [(e.user_id, e.profile_id) for e in opened] == [(None, pid), (None, pid)]
    assert the_link(app).last_opened_at is not None
    staff_page = client.get(f"/profiles/{pid}/sharing").get_data(as_text=True)
    assert "Not opened yet" not in staff_page and "Stop this link working" in staff_page
    audit = client.get("/audit").get_data(as_text=True)
    assert "Opened by link" in audit and "Someone with a share link" in audit
    assert "Shared" in audit


def test_the_token_is_kept_nowhere_but_in_the_link(app, client, create_profile):
    pid = create_profile(statements=STATEMENTS)
    path = make_link(client, pid, code="blue kettle")
    token = path.removeprefix("/shared/")
    assert len(token) * 6 >= 128
    visitor = app.test_client()
    visitor.post(path, data={"code": "blue kettle"})
    visitor.get(path)
    with inspecting(app):
        link = db.session.scalars(select(ShareLink)).one()
        row = [str(getattr(link, c.key)) for c in ShareLink.__table__.columns]
        assert link.token_hash == token_hash(token)
        assert "blue kettle" not in link.code_hash
        sessions = [s.data for s in db.session.scalars(select(WebSession))]
    assert not any(token in value or "blue kettle" in value for value in row)
    assert not any(token.encode() in data for data in sessions)
    # The staff page shows the link only on the page that made it.
    assert token not in client.get(f"/profiles/{pid}/sharing").get_data(as_text=True)


def test_a_link_with_an_access_code_asks_for_it_first(app, client, create_profile):
    pid = create_profile(name="Margaret Jones", statements=STATEMENTS)
    path = make_link(client, pid, code="blue kettle")
    visitor = app.test_client()
    asked = visitor.get(path)
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Enter the access code" in html
    assert "Margaret Jones" not in html
    assert asked.headers["X-Robots-Tag"].startswith("noindex")
    # Nor do the printed page or the PDF open without it.
    for part in ("/page", "/profile.pdf"):
        response = visitor.get(path + part)
        assert response.status_code == 303 and response.headers["Location"] == path
    assert events(app, "opened") == []

    wrong = visitor.post(path, data={"code": "blue kettel"})
    assert wrong.status_code == 400
    html = wrong.get_data(as_text=True)
    assert "The access code is not right." in html and "Margaret Jones" not in html
    empty = visitor.post(path, data={"code": "  "})
    assert "Enter the access code" in empty.get_data(as_text=True)

    right = visitor.post(path, data={"code": " blue kettle "})
    assert right.status_code == 303 and right.headers["Location"] == path
    assert "One-page profile of Margaret Jones" in visitor.get(path).get_data(as_text=True)
    assert visitor.get(path + "/profile.pdf").status_code == 200
    # The code opens it in this browser only.
    assert "Enter the access code" in app.test_client().get(path).get_data(as_text=True)


def test_the_right_access_code_moves_the_session_to_a_new_id(app, client, create_profile):
    pid = create_profile(name="Margaret Jones", statements=STATEMENTS)
    path = make_link(client, pid, code="blue kettle")
    name = app.config["SESSION_COOKIE_NAME"]
    # Someone with a session of their own here (they were given another link's code) and
    # this link, but not its code, plants their session id in another's browser.
    other = make_link(client, pid, code="red teapot")
    planter, visitor = app.test_client(), app.test_client()
    assert planter.post(other, data={"code": "red teapot"}).status_code == 303
    planted = planter.get_cookie(name).value
    visitor.set_cookie(name, planted)
    assert visitor.post(path, data={"code": "blue kettle"}).status_code == 303
    assert visitor.get_cookie(name).value != planted
    assert "Margaret Jones" in visitor.get(path).get_data(as_text=True)
    # The planted id opens nothing: the code is asked for again.
    html = planter.get(path).get_data(as_text=True)
    assert "Enter the access code" in html and "Margaret Jones" not in html


def test_wrong_access_codes_are_limited(app, client, create_profile, monkeypatch):
    monkeypatch.setattr(limits, "CODE_FAILURES", "3 per 15 minutes")
    pid = create_profile(statements=STATEMENTS)
    path = make_link(client, pid, code="blue kettle")
    visitor = app.test_client()
    for _ in range(3):
        assert visitor.post(path, data={"code": "guess"}).status_code == 400
    refused = visitor.post(path, data={"code": "blue kettle"})
    assert refused.status_code == 429
    assert "Too many wrong access codes. Try again after" in refused.get_data(as_text=True)
    assert visitor.get(path + "/profile.pdf").status_code == 303


def test_a_link_is_locked_for_good_after_20_wrong_access_codes(
    app, client, create_profile, monkeypatch
):
    # However slowly they come, and from however many addresses.
    monkeypatch.setattr(limits, "CODE_FAILURES", "1000 per 15 minutes")
    monkeypatch.setattr(limits, "LINK_OPENINGS_PER_ADDRESS", "1000 per 10 minutes")
    pid = create_profile(name="Margaret Jones", statements=STATEMENTS)
    path = make_link(client, pid, code="blue kettle")
    for _ in range(19):
        assert app.test_client().post(path, data={"code": "guess"}).status_code == 400
    assert the_link(app).code_failures == 19
    last = app.test_client().post(path, data={"code": "guess"})
    assert last.status_code == 403
    for visitor in (app.test_client(), app.test_client()):
        for response in (visitor.get(path), visitor.post(path, data={"code": "blue kettle"})):
            assert response.status_code == 403
            text = response.get_data(as_text=True)
            assert "This link is locked" in text
            assert "Ask whoever sent you the link for a new one." in text
            assert "Margaret Jones" not in text and "<form" not in text
            assert response.headers["X-Robots-Tag"].startswith("noindex")
        assert visitor.get(path + "/profile.pdf").status_code == 303
    assert events(app, "opened") == []
    assert the_link(app).code_failures == 20  # the right code, refused, is not counted

    staff_page = client.get(f"/profiles/{pid}/sharing").get_data(as_text=True)
    assert "the access code was typed wrong too many times" in staff_page
    link = the_link(app)
    revoked = client.post(f"/profiles/{pid}/sharing/{link.id}/revoke", follow_redirects=True)
    assert "No link to this profile works at the moment." in revoked.get_data(as_text=True)
    # A new link, with a new code, works.
    again = make_link(client, pid, code="green teapot")
    visitor = app.test_client()
    assert visitor.post(again, data={"code": "green teapot"}).status_code == 303
    assert "Margaret Jones" in visitor.get(again).get_data(as_text=True)


def test_a_revoked_link_opens_nothing_at_once(app, client, create_profile):
    pid = create_profile(name="Margaret Jones", statements=STATEMENTS)
    path = make_link(client, pid)
    visitor = app.test_client()
    assert visitor.get(path).status_code == 200
    link = the_link(app)
    response = client.post(f"/profiles/{pid}/sharing/{link.id}/revoke", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "The link no longer works." in html
    assert "No link to this profile works at the moment." in html
    for part in ("", "/page", "/profile.pdf"):
        gone = visitor.get(path + part)
        assert gone.status_code == 404  # as for a link never made: no telling them apart
        text = gone.get_data(as_text=True)
        assert NO_LONGER in text and "ask whoever sent you the link" in text.lower()
        assert "Margaret Jones" not in text and "Riverside" not in text and "<nav" not in text
        assert gone.headers["X-Robots-Tag"].startswith("noindex")
    assert len(events(app, "opened")) == 1
    assert the_link(app).revoked_at is not None


def test_an_expired_link_opens_nothing(app, client, create_profile):
    pid = create_profile(name="Margaret Jones", statements=STATEMENTS)
    path = make_link(client, pid, days="3")
    link = the_link(app)
    made = link.expires_at - link.created_at
    assert made == timedelta(days=3)
    with inspecting(app):
        db.session.get(ShareLink, link.id).expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    gone = app.test_client().get(path)
    assert gone.status_code == 404 and NO_LONGER in gone.get_data(as_text=True)
    assert "Margaret Jones" not in gone.get_data(as_text=True)
    assert "No link to this profile works" in client.get(f"/profiles/{pid}/sharing").get_data(
        as_text=True
    )


def test_an_unknown_link_says_the_same_and_nothing_else(app, client, create_profile):
    response = app.test_client().get("/shared/not-a-real-token")
    assert response.status_code == 404
    assert NO_LONGER in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    # A link that once worked answers exactly as one never made: nothing tells them apart.
    pid = create_profile(name="Margaret Jones", statements=STATEMENTS)
    revoked = make_link(client, pid)
    client.post(f"/profiles/{pid}/sharing/{the_link(app).id}/revoke")
    for method in ("GET", "POST"):
        unknown = app.test_client().open("/shared/not-a-real-token", method=method)
        stopped = app.test_client().open(revoked, method=method)
        assert stopped.status_code == unknown.status_code == 404
        assert stopped.get_data() == unknown.get_data()


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("0", "Enter a number of days from 1 to 90"),
        ("91", "Enter a number of days from 1 to 90"),
        ("two weeks", "Enter a number of days from 1 to 90"),
        ("", "Enter a number of days from 1 to 90"),
    ],
)
def test_a_link_lasts_between_1_and_90_days(app, client, create_profile, days, message):
    pid = create_profile()
    response = client.post(f"/profiles/{pid}/sharing", data={"days": days})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and message in html
    assert f'value="{days}"' in html  # what was typed stays in the box
    with inspecting(app):
        assert db.session.scalar(select(func.count(ShareLink.id))) == 0
    short = client.post(f"/profiles/{pid}/sharing", data={"days": "14", "code": "abcde"})
    assert "An access code must be 6 to 50 characters long" in short.get_data(as_text=True)


def test_opening_links_is_limited_per_address(app, client, create_profile, monkeypatch):
    monkeypatch.setattr(limits, "LINK_OPENINGS_PER_ADDRESS", "3 per 10 minutes")
    pid = create_profile(statements=STATEMENTS)
    path = make_link(client, pid)
    visitor = app.test_client()
    for _ in range(3):
        assert visitor.get(path).status_code == 200
    refused = visitor.get(path)
    assert refused.status_code == 429
    assert "Too many shared pages have been opened" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    # Guessing tokens counts the same.
    assert visitor.get("/shared/a-guess").status_code == 429
    assert len(events(app, "opened")) == 3


def test_another_organisations_sharing_pages_are_not_found(
    app, client, create_account, create_profile
):
    other_org, ffion = create_account(email="ffion@bryn.example", slug="bryn-home-care")
    theirs = create_profile(name="Someone Else", organisation_id=other_org, statements=STATEMENTS)
    ours = create_profile(name="Margaret Jones", statements=STATEMENTS)
    them = app.test_client()
    sign_in_as(them, ffion)
    path = make_link(them, theirs)
    link_id = the_link(app).id
    for method, url in (
        ("GET", f"/profiles/{theirs}/sharing"),
        ("POST", f"/profiles/{theirs}/sharing"),
        ("POST", f"/profiles/{theirs}/sharing/{link_id}/revoke"),
        # Their link, named under our own profile, is not ours to revoke.
        ("POST", f"/profiles/{ours}/sharing/{link_id}/revoke"),
    ):
        response = client.open(url, method=method, data={"days": "14"})
        assert response.status_code == 404, (method, url)
        assert "Someone Else" not in response.get_data(as_text=True)
    assert the_link(app).revoked_at is None
    with inspecting(app):
        assert db.session.scalar(select(func.count(ShareLink.id))) == 1
    # Their link opens their profile for anyone, as it should, and only that: even for
    # someone signed in here to another organisation, as a visitor, in their trail.
    assert "Someone Else" in app.test_client().get(path).get_data(as_text=True)
    assert "Someone Else" in client.get(path).get_data(as_text=True)
    assert client.get(path + "/profile.pdf").status_code == 200
    opened = events(app, "opened")
    assert [(e.organisation_id, e.user_id) for e in opened] == [(other_org, None)] * 3


def test_a_link_opens_its_own_profile_and_no_other(app, client, create_profile):
    first = create_profile(name="Margaret Jones", statements=STATEMENTS)
    second = create_profile(name="Tom Evans", statements={"support": ["Tea, no sugar."]})
    path = make_link(client, first)
    visitor = app.test_client()
    for asked in (path, f"{path}?profile_id={second}"):
        assert "Tom Evans" not in visitor.get(asked).get_data(as_text=True)
    pdf = visitor.get(f"{path}/profile.pdf", query_string={"profile_id": second})
    _, text = pdf_text(pdf.data)
    assert "Margaret Jones" in text and "Tom Evans" not in text
    assert {e.profile_id for e in events(app, "opened")} == {first}
    # The staff pages of one profile show and revoke only its own links.
    link_id = the_link(app).id
    assert client.post(f"/profiles/{second}/sharing/{link_id}/revoke").status_code == 404
    other_page = client.get(f"/profiles/{second}/sharing").get_data(as_text=True)
    assert "Stop this link working" not in other_page


def test_the_rights_zip_lists_the_links_but_never_a_token(app, client, create_profile):
    pid = create_profile(statements=STATEMENTS)
    first = make_link(client, pid, code="blue kettle")
    make_link(client, pid, days="30")
    app.test_client().get(make_link(client, pid))
    link_id = the_link_ids(app)[0]
    client.post(f"/profiles/{pid}/sharing/{link_id}/revoke")
    response = client.get(f"/profiles/{pid}/everything.zip")
    with zipfile.ZipFile(io.BytesIO(response.data)) as zipped:
        assert "links.csv" in zipped.read("README.txt").decode()
        rows = zipped.read("links.csv").decode().splitlines()
    assert rows[0] == "made,made by,works until,access code,revoked,last opened"
    assert len(rows) == 4
    assert rows[1].split(",")[1:4:2] == ["Sam Keyworker", "yes"]
    assert rows[1].split(",")[4]  # revoked
    assert rows[3].split(",")[5]  # opened
    with inspecting(app):
        hashes = list(db.session.scalars(select(ShareLink.token_hash)))
    zipped_text = "\n".join(rows)
    assert first.removeprefix("/shared/") not in zipped_text
    assert not any(h in zipped_text for h in hashes)


def the_link_ids(app) -> list[int]:
    with inspecting(app):
        return list(db.session.scalars(select(ShareLink.id).order_by(ShareLink.id)))


def test_deleting_a_profile_deletes_its_links(app, client, create_profile):
    pid = create_profile(name="Tom Evans", statements=STATEMENTS)
    path = make_link(client, pid)
    client.post(f"/profiles/{pid}/delete", data={"confirm": "Tom Evans"})
    with inspecting(app):
        assert db.session.scalar(select(func.count(ShareLink.id))) == 0
    assert app.test_client().get(path).status_code == 404


def test_a_share_links_token_is_masked_in_log_lines():
    line = '192.0.2.1 "GET /shared/abc.DEF-123/profile.pdf HTTP/1.1" 200'
    assert LINK_TOKEN.sub(MASK, line) == (
        '192.0.2.1 "GET /shared/[link hidden]/profile.pdf HTTP/1.1" 200'
    )


def test_the_check_page_saves_then_opens_sharing_and_the_list_links_to_it(
    app, client, create_profile
):
    pid = create_profile(name="Margaret Jones", statements=STATEMENTS)
    html = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert "Save and share by link" in html
    response = client.post(
        f"/profiles/{pid}/steps/review",
        data={"action": "share", "design": "classic", "paper": "A5", "review_due": ""},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/profiles/{pid}/sharing"
    with inspecting(app):
        from profiles.models import Profile

        assert db.session.get(Profile, pid).paper == "A5"  # saved on the way
    assert f'href="/profiles/{pid}/sharing"' in client.get("/").get_data(as_text=True)
    # The check page says how many links work, and when one was last opened.
    path = make_link(client, pid)
    review = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert "1 link to it works now" in " ".join(review.split())
    assert "not opened yet" in review
    app.test_client().get(path)
    review = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert "works now: last opened" in " ".join(review.split())


def test_someone_without_an_account_opens_a_shared_profile_until_it_is_revoked(
    live_server,  # noqa: F811
    page,  # noqa: F811
    create_profile,
):
    from playwright.sync_api import expect

    pid = create_profile(name="Margaret Jones", statements=STATEMENTS)
    sign_in(page, live_server)
    page.goto(f"{live_server}/profiles/{pid}/steps/review")
    page.get_by_role("button", name="Save and share by link").click()
    expect(page.get_by_role("heading", name="Share the profile of Margaret Jones")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("How many days should the link work?").fill("100")
    page.get_by_role("button", name="Make a share link").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("How many days should the link work?").fill("7")
    page.get_by_label("Access code (optional)").fill("blue kettle")
    page.get_by_role("button", name="Make a share link").click()
    expect(page.get_by_role("heading", name="Link made: copy it now")).to_be_visible()
    check_accessibility(page)
    link = page.get_by_label("Share link", exact=True).input_value()

    # A fresh browser, with no account and no session.
    visitor_context = page.context.browser.new_context(accept_downloads=True)
    visitor = visitor_context.new_page()
    visitor.goto(link)
    expect(visitor.get_by_role("heading", name="Enter the access code")).to_be_visible()
    expect(visitor.get_by_text("Margaret Jones")).to_have_count(0)
    check_accessibility(visitor)
    visitor.get_by_label("Access code").fill("blue kettel")
    visitor.get_by_role("button", name="Continue").click()
    expect(visitor.get_by_text("The access code is not right.").first).to_be_visible()
    check_accessibility(visitor)
    visitor.get_by_label("Access code").fill("blue kettle")
    visitor.get_by_role("button", name="Continue").click()
    heading = visitor.get_by_role("heading", name="One-page profile of Margaret Jones")
    expect(heading).to_be_visible()
    framed = visitor.frame_locator('iframe[title="The one-page profile of Margaret Jones"]')
    expect(framed.get_by_text("Knock and wait before you come in.")).to_be_visible()
    check_accessibility(visitor)
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Download the profile as a PDF").click()
    assert download.value.suggested_filename == "Margaret Jones - one-page profile.pdf"
    pages, text = pdf_text(Path(download.value.path()).read_bytes())
    assert pages == 1 and "Margaret Jones" in text

    page.goto(f"{live_server}/profiles/{pid}/sharing")
    expect(page.get_by_text("Not opened yet")).to_have_count(0)
    expect(page.get_by_label("Share link", exact=True)).to_have_count(0)  # shown only once
    page.get_by_role("button", name=re.compile(r"^Stop this link working")).click()
    expect(page.get_by_text("The link no longer works.")).to_be_visible()
    check_accessibility(page)
    visitor.reload()
    expect(visitor.get_by_role("heading", name=NO_LONGER)).to_be_visible()
    expect(visitor.get_by_text("Margaret Jones")).to_have_count(0)
    check_accessibility(visitor)
    visitor_context.close()


def test_a_link_made_for_the_agreed_version_keeps_showing_it_after_later_changes(
    app, client, create_profile
):
    from .conftest import agree_to

    pid = create_profile(name="Margaret Jones", statements=STATEMENTS)
    html = client.get(f"/profiles/{pid}/sharing").get_data(as_text=True)
    assert "What should the link show?" not in html  # nothing agreed yet: only "as it is now"
    agree_to(client, pid)
    html = client.get(f"/profiles/{pid}/sharing").get_data(as_text=True)
    assert "The version that was agreed, even if the profile changes later" in html
    agreed = make_link(client, pid, shows="agreed")
    now = make_link(client, pid)
    # Something added after the agreement.
    added = client.post(
        f"/profiles/{pid}/steps/appreciation",
        data={"answer_0": "Sings along to Johnny Cash.", "action": "save"},
    )
    assert added.status_code == 302
    staff_page = client.get(f"/profiles/{pid}/sharing").get_data(as_text=True)
    assert "The version agreed (version" in staff_page
    assert "The profile as it is now" in staff_page

    # And a new name since: the agreed version is headed and named as it was agreed.
    with inspecting(app):
        db.session.get(Profile, pid).name = "Margaret Evans"
        db.session.commit()

    visitor = app.test_client()
    shown = visitor.get(agreed).get_data(as_text=True)
    assert "later changes do not show here" in shown
    assert "<title>One-page profile of Margaret Jones" in shown
    assert "<h1>One-page profile of Margaret Jones</h1>" in shown and "Evans" not in shown
    download = visitor.get(agreed + "/profile.pdf").headers["Content-Disposition"]
    assert "Margaret Jones - one-page profile.pdf" in download
    assert "One-page profile of Margaret Evans" in visitor.get(now).get_data(as_text=True)
    assert "Johnny Cash" not in visitor.get(agreed + "/page").get_data(as_text=True)
    pages, text = pdf_text(visitor.get(agreed + "/profile.pdf").data)
    assert pages == 1 and "Knock and wait" in text and "Johnny Cash" not in text
    # Agreed, so never printed as a draft, whatever has changed since.
    assert "Draft" not in text

    pages, text = pdf_text(visitor.get(now + "/profile.pdf").data)
    assert pages == 1 and "Johnny Cash" in text
    # Each keeps its own print: opening one link never makes the other print again.
    from profiles.models import RenderResult

    with inspecting(app):
        kept = db.session.scalars(
            select(RenderResult.version).where(RenderResult.profile_id == pid)
        ).all()
        link_version = db.session.scalars(select(ShareLink.version)).all()
    assert sorted(kept) == sorted(v or 0 for v in link_version)


def test_an_access_code_is_the_same_code_in_capitals_or_not(app, client, create_profile):
    pid = create_profile(name="Margaret Jones", statements=STATEMENTS)
    html = client.get(f"/profiles/{pid}/sharing").get_data(as_text=True)
    assert "capital letters do not matter" in html
    path = make_link(client, pid, code="Blue Kettle")
    asked = app.test_client().get(path).get_data(as_text=True)
    assert "Capital letters do not matter." in asked
    # As read out on the phone and typed by someone else, with or without capitals.
    for typed in ("blue kettle", "BLUE KETTLE", "Blue Kettle"):
        visitor = app.test_client()
        right = visitor.post(path, data={"code": typed})
        assert right.status_code == 303, typed
        assert "One-page profile of Margaret Jones" in visitor.get(path).get_data(as_text=True)
    wrong = app.test_client().post(path, data={"code": "blue kettles"})
    assert wrong.status_code == 400
    assert "The access code is not right." in wrong.get_data(as_text=True)


def test_each_links_button_says_the_same_plain_words_and_which_link_it_stops(
    app, client, create_profile
):
    from .conftest import agree_to

    pid = create_profile(name="Margaret Jones", statements=STATEMENTS)
    agree_to(client, pid)
    # Made in the same minute: told apart by what they show and how long they work.
    make_link(client, pid, shows="agreed", days="7")
    make_link(client, pid, days="14")
    make_link(client, pid, days="30")
    html = client.get(f"/profiles/{pid}/sharing").get_data(as_text=True)
    names = [
        " ".join(re.sub(r"<[^>]+>", "", name).split())
        for name in re.findall(r'<button type="submit" class="link-button">(.*?)</button>', html)
    ]
    assert len(names) == 3 and len(set(names)) == 3
    assert all(name.startswith("Stop this link working: the link made ") for name in names)
    assert sum("showing the version agreed (version" in name for name in names) == 1
    assert sum("showing the profile as it is now, working until" in name for name in names) == 2
    assert "Revoke" not in html and "revoke it" not in html


def test_the_sharing_page_warns_when_the_profile_is_not_agreed_as_it_is(
    app, client, create_profile
):
    from .conftest import agree_to

    pid = create_profile(name="Margaret Jones", preferred_name="Peggy", statements=STATEMENTS)
    html = " ".join(client.get(f"/profiles/{pid}/sharing").get_data(as_text=True).split())
    assert "This profile has not been agreed with Peggy yet" in html
    assert "Share it only if Peggy (or whoever can agree for them) is happy" in html
    assert f'href="/profiles/{pid}/steps/agree"' in html
    agree_to(client, pid)
    html = client.get(f"/profiles/{pid}/sharing").get_data(as_text=True)
    assert "not been agreed" not in html and "changed since it was agreed" not in html
    client.post(
        f"/profiles/{pid}/steps/appreciation",
        data={"answer_0": "Sings along to Johnny Cash.", "action": "save"},
    )
    html = " ".join(client.get(f"/profiles/{pid}/sharing").get_data(as_text=True).split())
    assert "This profile has changed since it was agreed on 26 May 2026" in html
    assert "shows changes that Peggy has not agreed to" in html
    assert "Choose below to share the version that was agreed" in html
    # Said before the link is made, and on the page that shows the link made.
    made = " ".join(
        client.post(f"/profiles/{pid}/sharing", data={"days": "14"}).get_data(as_text=True).split()
    )
    assert made.index("changed since it was agreed") < made.index("Link made: copy it now")


def test_an_access_code_is_taken_without_a_form_token_from_a_fresh_browser(
    app, client, database_url, create_profile
):
    """The link's token is the secret: someone whose session was lost is not refused."""
    from .conftest import build_app

    pid = create_profile(name="Margaret Jones", statements=STATEMENTS)
    path = make_link(client, pid, code="blue kettle")
    checked = build_app(database_url, WTF_CSRF_ENABLED=True)
    visitor = checked.test_client()
    assert 'name="csrf_token"' not in visitor.get(path).get_data(as_text=True)
    fresh = checked.test_client()  # never opened the page: no session at all
    right = fresh.post(path, data={"code": "blue kettle"})
    assert right.status_code == 303 and right.headers["Location"] == path
    assert "One-page profile of Margaret Jones" in fresh.get(path).get_data(as_text=True)
    wrong = checked.test_client().post(path, data={"code": "blue kettel"})
    assert wrong.status_code == 400
    assert "The access code is not right." in wrong.get_data(as_text=True)
    with inspecting(checked):
        db.engine.dispose()


def test_every_cell_of_the_links_table_names_its_column_for_a_phone(app, client, create_profile):
    from .conftest import tables_with_labelled_cells

    pid = create_profile(statements=STATEMENTS)
    make_link(client, pid)
    make_link(client, pid, code="blue kettle")
    html = client.get(f"/profiles/{pid}/sharing").get_data(as_text=True)
    assert 'data-label="Access code">No</td>' in html
    assert tables_with_labelled_cells(html) == [
        ["Made", "Shows", "Works until", "Access code", "Last opened", "Action"]
    ]
    # The style sheet shows the labels only where rows become cards.
    css = (Path(app.static_folder) / "css" / "app.css").read_text(encoding="utf-8")
    narrow = css.split("On a phone a table's rows become cards")[1].split("\n}")[0]
    assert 'td[data-label]::before { content: attr(data-label) ": "' in narrow
