"""The list of profiles: find one, see its state, delete it after a confirmation."""

import io

from PIL import Image
from sqlalchemy import func, select

from profiles.extensions import db
from profiles.models import Photo, Profile, RenderResult, Section, Statement

from .conftest import inspecting


def test_the_list_shows_each_profile_with_its_status_and_actions(client, create_profile):
    pid = create_profile(name="Margaret Jones", preferred_name="Peggy")
    create_profile(name="Tom Evans", status="ready")
    page = client.get("/").get_data(as_text=True)
    assert "Margaret Jones (Peggy)" in page and "Tom Evans" in page
    assert "Draft" in page and "Ready" in page
    for path in (
        f"/profiles/{pid}/profile.pdf",
        f"/profiles/{pid}/export.json",
        f"/profiles/{pid}/delete",
        f"/profiles/{pid}",
    ):
        assert f'href="{path}"' in page


def test_search_finds_by_part_of_a_name_without_putting_it_in_the_address(client, create_profile):
    create_profile(name="Margaret Jones", preferred_name="Peggy")
    create_profile(name="Tom Evans")
    response = client.post("/", data={"q": "peg"})
    page = response.get_data(as_text=True)
    assert response.request.path == "/"
    assert "Margaret Jones" in page and "Tom Evans" not in page
    assert "1 profile found" in page
    page = client.post("/", data={"q": "nobody"}).get_data(as_text=True)
    assert "No profile has a name containing" in page


def test_an_empty_list_says_how_to_begin(client):
    assert "There are no profiles yet" in client.get("/").get_data(as_text=True)


def test_delete_asks_first_then_removes_everything(app, client, create_profile):
    pid = create_profile(name="Tom Evans", statements={"support": ["Knock first."]})
    photo = io.BytesIO()
    Image.new("RGB", (300, 300), (90, 120, 200)).save(photo, "JPEG")
    client.post(
        f"/profiles/{pid}/steps/photo",
        data={"photo": (io.BytesIO(photo.getvalue()), "t.jpg"), "description": "Tom"},
        content_type="multipart/form-data",
    )
    assert client.get(f"/profiles/{pid}/profile.pdf").status_code == 200  # a cached PDF
    with inspecting(app):
        assert db.session.scalar(select(func.count()).select_from(RenderResult)) == 1
    confirm = client.get(f"/profiles/{pid}/delete").get_data(as_text=True)
    assert "Delete the profile of Tom Evans?" in confirm
    with inspecting(app):
        assert db.session.get(Profile, pid) is not None
    response = client.post(f"/profiles/{pid}/delete", data={"confirm": "Tom Evan"})
    assert response.status_code == 400
    assert "That is not the name on this profile" in response.get_data(as_text=True)
    with inspecting(app):
        assert db.session.get(Profile, pid) is not None
    response = client.post(
        f"/profiles/{pid}/delete", data={"confirm": "  tom  evans "}, follow_redirects=True
    )
    assert "The profile, its photo and its printed copies were deleted." in response.get_data(
        as_text=True
    )
    with inspecting(app):
        for model in (Profile, Section, Statement, Photo, RenderResult):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0
    assert client.get(f"/profiles/{pid}/delete").status_code == 404


def test_a_profile_without_a_photo_has_no_photo_to_serve(client, create_profile):
    pid = create_profile()
    assert client.get(f"/profiles/{pid}/photo").status_code == 404


def test_search_ignores_case_in_every_alphabet_and_takes_symbols_literally(client, create_profile):
    create_profile(name="Łukasz Żółw")
    create_profile(name="Élodie Martin")
    page = client.post("/", data={"q": "łukasz"}).get_data(as_text=True)
    assert "Łukasz Żółw" in page and "Élodie" not in page
    page = client.post("/", data={"q": "ÉLODIE"}).get_data(as_text=True)
    assert "Élodie Martin" in page
    assert "No profile has a name containing" in client.post("/", data={"q": "%"}).get_data(
        as_text=True
    )


def test_a_transparent_photo_gets_a_white_thumbnail(client, create_profile):
    pid = create_profile()
    png = io.BytesIO()
    Image.new("RGBA", (300, 300), (0, 0, 0, 0)).save(png, "PNG")
    client.post(
        f"/profiles/{pid}/steps/photo",
        data={"photo": (io.BytesIO(png.getvalue()), "t.png"), "description": "Nothing"},
        content_type="multipart/form-data",
    )
    thumb = Image.open(io.BytesIO(client.get(f"/profiles/{pid}/photo?size=thumb").data))
    assert thumb.convert("RGB").getpixel((10, 10)) == (255, 255, 255)


def test_only_administrators_may_delete(app, create_account, create_profile):
    from .conftest import sign_in_as

    _, staff = create_account(email="jo@riverside.example", role="staff", name="Jo")
    pid = create_profile(name="Tom Evans")
    client = app.test_client()
    sign_in_as(client, staff)
    assert "Delete<span" not in client.get("/").get_data(as_text=True)
    for method in ("GET", "POST"):
        response = client.open(
            f"/profiles/{pid}/delete", method=method, data={"confirm": "Tom Evans"}
        )
        assert response.status_code == 403
        assert "Only an administrator" in response.get_data(as_text=True)
    with inspecting(app):
        assert db.session.get(Profile, pid) is not None


def test_a_deleted_profiles_id_is_never_given_to_someone_else(client, create_profile):
    first = create_profile(name="Tom Evans")
    client.post(f"/profiles/{first}/delete", data={"confirm": "Tom Evans"})
    assert create_profile(name="Ann Jones") != first
