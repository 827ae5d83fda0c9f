"""Security headers: a policy without inline script, and framing only where the app frames."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from pypdf import PdfReader

from profiles import security
from profiles.document import profile_document
from profiles.extensions import db
from profiles.models import Profile
from profiles.render import print_html
from profiles.render.assets import TEMPLATES_DIR
from profiles.services import get_kind

from .conftest import inspecting, sign_in_as

# Values for the URL parts of every page, so a new page is walked without listing it here.
URL_VALUES = {
    "profile_id": None,
    "step": "review",
    "filename": "css/app.css",
    "token": "not-a-real-invitation",
    "user_id": 1,
    "change": "deactivate",
    "held_id": 1,
    "group_id": 1,
    "job_id": 1,
    "invite_id": 1,
    "contribution_id": 1,
    "link_id": 1,
    "number": 1,
}
# Pages a link opens without an account pass on no address at all (see profiles/links.py).
LINK_PAGES = ("/contribute/", "/shared/")
NONCE = re.compile(r'<style nonce="([^"]+)">')


@pytest.fixture
def app(app):
    """The app with its security headers, whether or not create_app registers them yet."""
    if "security" not in app.extensions:
        security.init_app(app)
    return app


def policy(response) -> dict[str, str]:
    """The Content-Security-Policy as {directive: sources}."""
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def page_urls(app, profile_id: int) -> list[str]:
    """A URL for every page a browser can open, filled in with one profile."""
    values = {**URL_VALUES, "profile_id": profile_id}
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        missing = rule.arguments - values.keys()
        assert not missing, f"Add a value for {missing} to URL_VALUES to check {rule.rule}"
        urls.append(rule.build({name: values[name] for name in rule.arguments})[1])
    return urls


def test_every_page_sends_the_security_headers(app, client, create_profile):
    pid = create_profile(statements={"support": ["Please knock before you come in."]})
    urls = [*page_urls(app, pid), "/no-such-page", f"/profiles/{pid + 1}/preview"]
    assert len(urls) > 10
    for url in urls:
        with client.get(url) as response:
            assert response.status_code < 500, url
            headers = response.headers
            assert headers["X-Content-Type-Options"] == "nosniff", url
            referrer = "no-referrer" if url.startswith(LINK_PAGES) else "same-origin"
            assert headers["Referrer-Policy"] == referrer, url
            assert headers["Cross-Origin-Opener-Policy"] == "same-origin", url
            assert headers["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()", url
            sources = policy(response)
            assert sources["default-src"] == "'self'", url
            assert sources["script-src"] == "'self'", url
            assert sources["object-src"] == "'none'", url
            assert sources["base-uri"] == "'self'" and sources["form-action"] == "'self'", url
            assert "unsafe-" not in headers["Content-Security-Policy"], url


def test_a_redirect_after_a_form_sends_the_headers_too(client):
    answers = {"kind": "adult", "name": "Margaret Jones", "preferred_name": "", "written_by": ""}
    response = client.post("/profiles/new", data=answers)
    assert response.status_code == 302
    assert policy(response)["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_preview_style_block_is_allowed_by_this_responses_nonce_only(client, create_profile):
    pid = create_profile()
    first, second = client.get(f"/profiles/{pid}/preview"), client.get(f"/profiles/{pid}/preview")
    nonces = []
    for response in (first, second):
        html = response.get_data(as_text=True)
        assert html.count("<style") == 1
        match = NONCE.search(html)
        assert match, "the preview's <style> block has no nonce"
        nonce = match.group(1)
        assert policy(response)["style-src"] == f"'self' 'nonce-{nonce}'"
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    # Pages without an inline style block allow none.
    assert policy(client.get("/"))["style-src"] == "'self'"


def test_only_the_preview_may_be_framed_and_only_by_this_site(client, create_profile):
    pid = create_profile()
    preview = client.get(f"/profiles/{pid}/preview")
    assert policy(preview)["frame-ancestors"] == "'self'"
    assert preview.headers["X-Frame-Options"] == "SAMEORIGIN"
    review = client.get(f"/profiles/{pid}/steps/review")
    assert f'src="/profiles/{pid}/preview"' in review.get_data(as_text=True)
    for response in (review, client.get("/"), client.get(f"/profiles/{pid}/profile.pdf")):
        assert policy(response)["frame-ancestors"] == "'none'"
        assert response.headers["X-Frame-Options"] == "DENY"


def test_headers_a_view_sets_itself_are_kept(app, client, create_profile):
    own = {"Content-Security-Policy": "default-src 'none'", "X-Frame-Options": "X"}
    app.add_url_rule("/own-headers", "own_headers", lambda: ("", 200, own))
    response = client.get("/own-headers")
    assert response.headers["Content-Security-Policy"] == "default-src 'none'"
    assert response.headers["X-Frame-Options"] == "X"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    pdf = client.get(f"/profiles/{create_profile()}/profile.pdf")
    assert pdf.headers["Cache-Control"] == "no-store"


def test_the_pdf_still_prints_and_its_html_outside_a_request_has_no_nonce(
    app, client, create_profile
):
    pid = create_profile(name="Margaret Jones")
    response = client.get(f"/profiles/{pid}/profile.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    assert "Margaret Jones" in reader.pages[0].extract_text()
    with inspecting(app):
        profile = db.get_or_404(Profile, pid)
        html = print_html(profile_document(profile), get_kind(profile.kind), 12)
    assert "<style>" in html and "nonce" not in html


TEMPLATES = sorted(TEMPLATES_DIR.rglob("*.html"))
TAG = re.compile(r"<[a-zA-Z][^<>]*>")
INLINE = re.compile(r"\s(on[a-z]+|style)\s*=", re.IGNORECASE)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES_DIR)))
def test_templates_hold_no_inline_script_or_style(path):
    text = path.read_text()
    for tag in TAG.findall(text):
        assert not INLINE.search(tag), f"inline handler or style attribute in {tag}"
        if tag.lower().startswith("<script"):
            assert "src=" in tag, f"inline script: {tag}"
        if tag.lower().startswith("<style"):
            assert "nonce" in tag, f"a <style> block without the CSP nonce: {tag}"
    assert "javascript:" not in text.lower()


def test_no_response_but_the_static_files_may_be_kept_by_a_browser_or_proxy(
    app, create_profile, account
):
    """Pages, photos, thumbnails, prints, previews and exported files name people: every
    response to a signed-in person is sent Cache-Control: no-store."""
    pid = create_profile(statements={"support": ["Please knock before you come in."]})
    client = app.test_client()
    sign_in_as(client, account[1])
    png = io.BytesIO()
    Image.new("RGB", (300, 300), "teal").save(png, "PNG")
    client.post(
        f"/profiles/{pid}/steps/photo",
        data={"photo": (io.BytesIO(png.getvalue()), "p.png"), "description": "Smiling"},
        content_type="multipart/form-data",
    )
    values = {**URL_VALUES, "profile_id": pid, "user_id": account[1]}
    requests, statuses = [], {}
    for rule in app.url_map.iter_rules():
        url = rule.build({name: values[name] for name in rule.arguments})[1]
        requests += [
            (method, url, rule.endpoint) for method in ("GET", "POST") if method in rule.methods
        ]
    requests.append(("GET", f"/profiles/{pid}/photo?size=thumb", "library.photo"))
    # Every form is sent too, after every page, each from a session of its own: a form
    # sent back with a problem shows what was typed.
    requests.sort(key=lambda request: request[0] == "POST")
    for method, url, endpoint in requests:
        if method == "POST":
            client = app.test_client()
            sign_in_as(client, account[1])
        with client.open(url, method=method) as response:
            assert response.status_code < 500, (method, url)
            statuses[method, url] = response.status_code
            cache = response.headers.get("Cache-Control", "")
            if endpoint == "static":
                assert "no-store" not in cache, url  # the app's own files may be kept
            else:
                assert "no-store" in cache, (method, url, response.status_code, cache)
    assert len(requests) > 30
    # The responses that are personal data themselves were really sent, not refused.
    for path in ("/", "/account", "/photo", "/photo?size=thumb", "/profile.pdf", "/preview"):
        url = path if path in ("/", "/account") else f"/profiles/{pid}{path}"
        assert statuses["GET", url] == 200, url
    assert statuses["GET", f"/profiles/{pid}/export.json"] == 200
    assert statuses["GET", f"/profiles/{pid}/everything.zip"] == 200
    assert statuses["GET", "/audit/events.csv"] == 200
