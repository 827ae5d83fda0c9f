"""An organisation's accent colour and logo: set by its administrators, printed on every
profile, never given an old print, and never seen by another organisation."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image

from profiles.extensions import db
from profiles.models import Branding, Profile, RenderResult
from profiles.printing import service as printing
from profiles.printing.service import print_document, print_profile

from .conftest import inspecting, sign_in_as
from .test_photos import blank_png, camera_exif, encode, halves

SUPPORT = ["Please knock and wait for me to answer before you come into my room."]


def branding(app, organisation_id: int) -> Branding | None:
    with inspecting(app):
        found = db.session.get(Branding, organisation_id)
        if found is not None:
            db.session.refresh(found, ["logo_data"])
            db.session.expunge(found)
        return found


def send_logo(client, data: bytes, filename="logo.png", description=""):
    return client.post(
        "/settings/logo",
        data={"logo": (io.BytesIO(data), filename), "description": description},
        content_type="multipart/form-data",
    )


def page_of(response) -> str:
    return response.get_data(as_text=True)


def test_an_administrator_finds_the_settings_in_the_navigation(client):
    home = page_of(client.get("/"))
    assert '<a href="/settings">Settings</a>' in home
    page = page_of(client.get("/settings"))
    assert "<h1>Organisation settings</h1>" in page
    assert "Profiles print in each layout's own colours" in page
    assert "No logo yet: profiles print without one." in page


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/settings"), ("POST", "/settings/colour"), ("POST", "/settings/logo")],
)
def test_staff_cannot_change_how_the_organisation_prints(
    app, account, create_account, method, path
):
    _, jo = create_account(email="jo@riverside.example", role="staff")
    client = app.test_client()
    sign_in_as(client, jo)
    response = client.open(path, method=method, data={"accent": "#1d70b8", "action": "default"})
    assert response.status_code == 403
    assert "Ask your administrator" in page_of(response)
    assert 'href="/settings"' not in page_of(client.get("/"))
    assert branding(app, account[0]) is None


def test_a_colour_is_saved_as_typed_and_prints_on_every_profile(app, client, create_profile):
    pid = create_profile(statements={"support": SUPPORT})
    response = client.post("/settings/colour", data={"accent": " 1D70B8 "})
    assert response.status_code == 302
    page = page_of(client.get("/settings"))
    assert "The accent colour #1d70b8 is saved" in page
    assert "Profiles print with #1d70b8." in page
    # The swatch shows it, through the page's one nonce-allowed style block.
    assert "--accent: #1d70b8;" in page
    with inspecting(app):
        assert print_document(db.session.get(Profile, pid))["branding"] == {"accent": "#1d70b8"}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a colour, such as #0b5d4b, or choose to use the layouts&#39; own colours"),
        ("dark blue", "Enter the colour as # and six letters or numbers, such as #0b5d4b"),
        ("#12345", "Enter the colour as # and six letters or numbers"),
        ("#12345g", "Enter the colour as # and six letters or numbers"),
        (
            "#aaaaaa",
            "This colour is too light to read on white paper (contrast 2.3 to 1; it needs at "
            "least 4.5 to 1). Choose a darker colour.",
        ),
        # 4.48 to 1 is short of 4.5, and is never shown as reaching it.
        ("#777777", "(contrast 4.4 to 1; it needs at least 4.5 to 1)"),
    ],
)
def test_a_colour_that_is_not_one_or_too_light_is_refused_and_changes_nothing(
    app, client, account, typed, message
):
    client.post("/settings/colour", data={"accent": "#0b4f8a"})
    response = client.post("/settings/colour", data={"accent": typed})
    assert response.status_code == 400
    page = page_of(response)
    assert message in page
    assert "There is a problem" in page and '<a href="#accent">' in page
    assert f'value="{typed}"' in page  # what was typed stays, to be corrected
    assert branding(app, account[0]).accent == "#0b4f8a"


def test_a_colour_just_dark_enough_is_taken(app, client, account):
    assert client.post("/settings/colour", data={"accent": "#767676"}).status_code == 302
    assert branding(app, account[0]).accent == "#767676"


def test_going_back_to_the_layouts_own_colours(app, client, account, create_profile):
    pid = create_profile(statements={"support": SUPPORT})
    client.post("/settings/colour", data={"accent": "#0b4f8a"})
    assert "Use each layout's own colours" in page_of(client.get("/settings"))
    response = client.post("/settings/colour", data={"action": "default"}, follow_redirects=True)
    assert "Profiles now print in each layout&#39;s own colours." in page_of(response)
    assert branding(app, account[0]).accent is None
    with inspecting(app):
        assert "branding" not in print_document(db.session.get(Profile, pid))


def test_a_logo_is_checked_cleaned_and_scaled_to_its_printed_size(app, client, account):
    picture = halves((2400, 1200))
    exif = camera_exif()
    response = send_logo(client, encode(picture, "JPEG", exif=exif, comment=b"Room 12"), "l.jpg")
    assert response.status_code == 302
    assert "The logo is saved" in page_of(client.get("/settings"))
    saved = branding(app, account[0])
    # Turned upright as its EXIF said (on its side), and 600 pixels at its longest.
    assert (saved.logo_width, saved.logo_height) == (300, 600)
    assert saved.logo_media_type == "image/jpeg"
    stored = Image.open(io.BytesIO(saved.logo_data))
    assert stored.size == (300, 600)
    assert not stored.getexif() and b"Room 12" not in saved.logo_data
    # Anyone signed in to the organisation sees it as it is stored.
    shown = client.get("/logo")
    assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
    assert shown.data == saved.logo_data
    assert shown.headers["Cache-Control"] == "no-store"


def test_a_png_logo_keeps_its_transparency_and_is_described_by_the_organisations_name(
    app, client, account, create_profile
):
    logo = Image.new("RGBA", (200, 80), (0, 0, 0, 0))
    logo.paste((11, 79, 138, 255), (0, 0, 100, 80))
    assert send_logo(client, encode(logo, "PNG")).status_code == 302
    saved = branding(app, account[0])
    assert Image.open(io.BytesIO(saved.logo_data)).getpixel((150, 40))[3] == 0
    page = page_of(client.get("/settings"))
    assert '<img class="logo-current" src="/logo" alt="Riverside Care Home">' in page
    pid = create_profile(statements={"support": SUPPORT})
    with inspecting(app):
        printed = print_document(db.session.get(Profile, pid))["branding"]
    assert printed == {
        "logo": {
            "media_type": "image/png",
            "sha256": saved.logo_sha256,
            "description": "Riverside Care Home",
        }
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"Riverside Care Home letterhead",
            "This file is not a logo we can use. Choose a JPEG, PNG or WebP logo.",
        ),
        (b"%PDF-1.7 a letterhead", "This file is a PDF document, not a logo."),
        (
            blank_png(20000, 20000),
            "This logo is too large to open (20000 \N{MULTIPLICATION SIGN} 20000 pixels).",
        ),
        (b"", "This file is empty. Choose a JPEG, PNG or WebP logo."),
    ],
)
def test_a_file_that_is_not_a_logo_we_can_use_is_refused_and_changes_nothing(
    app, client, account, content, message
):
    send_logo(client, encode(halves(), "PNG"), description="Riverside")
    before = branding(app, account[0])
    response = send_logo(client, content, "letterhead.png", description="Something else")
    assert response.status_code == 400
    page = page_of(response)
    assert message in page and '<a href="#logo">' in page
    after = branding(app, account[0])
    assert (after.logo_sha256, after.logo_description) == (before.logo_sha256, "Riverside")


def test_a_description_without_a_logo_says_to_choose_one(app, client, account):
    response = client.post("/settings/logo", data={"description": "Riverside"})
    assert response.status_code == 400
    assert "Choose a logo to upload: a JPEG, PNG or WebP file" in page_of(response)
    assert branding(app, account[0]) is None


def test_a_logo_is_replaced_described_and_removed(app, client, account):
    send_logo(client, encode(halves(), "PNG"))
    first = branding(app, account[0]).logo_sha256
    send_logo(client, encode(halves((200, 300)), "PNG"), description="Riverside, a green tree")
    second = branding(app, account[0])
    assert second.logo_sha256 != first and second.logo_description == "Riverside, a green tree"
    # A new description alone keeps the logo.
    client.post("/settings/logo", data={"description": "Riverside Care Home, Leeds"})
    described = branding(app, account[0])
    assert described.logo_sha256 == second.logo_sha256
    assert described.logo_description == "Riverside Care Home, Leeds"
    response = client.post("/settings/logo", data={"action": "remove"}, follow_redirects=True)
    assert "The logo is removed" in page_of(response)
    assert "No logo yet" in page_of(response)
    removed = branding(app, account[0])
    assert removed.logo_sha256 is None and removed.logo_data is None
    assert client.get("/logo").status_code == 404


def test_another_organisations_colour_and_logo_are_never_seen_or_printed(
    app, client, account, create_account, create_profile
):
    theirs, ffion = create_account(email="ffion@bryn.example", slug="bryn-home-care")
    bryn = app.test_client()
    sign_in_as(bryn, ffion)
    bryn.post("/settings/colour", data={"accent": "#6f2c91"})
    send_logo(bryn, encode(halves(), "PNG"), description="Bryn Home Care")
    assert bryn.get("/logo").status_code == 200
    # Riverside's own settings, logo and prints know nothing of Bryn's.
    page = page_of(client.get("/settings"))
    assert "#6f2c91" not in page and "Bryn Home Care" not in page
    assert client.get("/logo").status_code == 404
    pid = create_profile(statements={"support": SUPPORT})
    with inspecting(app):
        assert "branding" not in print_document(db.session.get(Profile, pid))
    # Riverside's changes reach only Riverside.
    client.post("/settings/colour", data={"accent": "#0b4f8a"})
    assert branding(app, theirs).accent == "#6f2c91"
    assert branding(app, account[0]).accent == "#0b4f8a"


def test_a_changed_colour_or_logo_never_gives_an_old_print(app, client, account, create_profile):
    pid = create_profile(statements={"support": SUPPORT})

    def printed():
        with inspecting(app):
            profile = db.session.get(Profile, pid)
            outcome = print_profile(profile)
            key = db.session.scalar(db.select(RenderResult.key))
            return outcome, key

    _, first_key = printed()
    again, same_key = printed()
    assert again.cached and same_key == first_key
    client.post("/settings/colour", data={"accent": "#0b4f8a"})
    coloured, coloured_key = printed()
    assert not coloured.cached and coloured_key != first_key and coloured.fits
    send_logo(client, encode(halves(), "PNG"))
    with_logo, logo_key = printed()
    assert not with_logo.cached and logo_key != coloured_key and with_logo.fits
    send_logo(client, encode(halves((200, 300)), "PNG"))
    new_logo, new_logo_key = printed()
    assert not new_logo.cached and new_logo_key != logo_key
    client.post("/settings/logo", data={"description": "Riverside, a green tree"})
    described, described_key = printed()
    assert not described.cached and described_key != new_logo_key


def test_the_renderer_gets_the_logos_bytes_only_when_it_lays_out_a_page(
    app, client, account, create_profile, monkeypatch
):
    send_logo(client, encode(halves(), "PNG"))
    saved = branding(app, account[0])
    pid = create_profile(statements={"support": SUPPORT})
    given = []
    real = printing.fit_within

    def spy(document, *args, **kwargs):
        given.append(document)
        return real(document, *args, **kwargs)

    monkeypatch.setattr(printing, "fit_within", spy)
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        assert print_profile(profile).fits
        print_profile(profile)  # from the kept print: nothing laid out, nothing read
    assert len(given) == 1
    logo = given[0]["branding"]["logo"]
    assert logo["sha256"] == saved.logo_sha256
    assert logo["data"] == base64.b64encode(saved.logo_data).decode()


def test_the_preview_shows_the_logo_from_the_organisations_own_address(
    app, client, create_profile, monkeypatch
):
    from profiles.printing import routes

    send_logo(client, encode(halves(), "PNG"))
    client.post("/settings/colour", data={"accent": "#0b4f8a"})
    pid = create_profile(statements={"support": SUPPORT})
    shown = []
    real = routes.print_html

    def spy(document, *args, **kwargs):
        shown.append(document)
        return real(document, *args, **kwargs)

    monkeypatch.setattr(routes, "print_html", spy)
    assert client.get(f"/profiles/{pid}/preview").status_code == 200
    branding_shown = shown[0]["branding"]
    assert branding_shown["accent"] == "#0b4f8a"
    assert branding_shown["logo"]["address"] == "/logo"
    assert "data" not in branding_shown["logo"]


def test_an_export_carries_neither_colour_nor_logo(app, client, create_profile):
    import json

    client.post("/settings/colour", data={"accent": "#0b4f8a"})
    send_logo(client, encode(halves(), "PNG"))
    pid = create_profile(statements={"support": SUPPORT})
    exported = json.loads(client.get(f"/profiles/{pid}/export.json").data)
    assert "branding" not in exported
    assert "#0b4f8a" not in json.dumps(exported)
