"""The list of profiles: find one, see its state, delete it after a confirmation."""

import io

from PIL import Image
from sqlalchemy import event, func, select

from profiles.extensions import db
from profiles.library.services import thumbnail
from profiles.models import Photo, Profile, RenderResult, Section, Statement

from .conftest import acting_for, inspecting


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


def test_search_finds_names_typed_without_their_accents(client, create_profile):
    create_profile(name="Stanisław Nowak")
    create_profile(name="Siôn Prys", preferred_name="Siôn")
    create_profile(name="Zoë Ærø")
    for typed, found in (
        ("Stanislaw", "Stanisław Nowak"),
        ("sion", "Siôn Prys"),
        ("zoe aero", "Zoë Ærø"),
    ):
        page = client.post("/", data={"q": typed}).get_data(as_text=True)
        assert found in page and "1 profile found" in page, typed


def test_a_renamed_profile_is_found_by_its_new_name(app, client, create_profile):
    pid = create_profile(name="Margaret Jones")
    with inspecting(app):
        db.session.get(Profile, pid).preferred_name = "Peggy"
        db.session.commit()
    assert "Margaret Jones" in client.post("/", data={"q": "peggy"}).get_data(as_text=True)


def queries_for(app, client, request) -> int:
    """How many SQL statements one request runs."""
    with app.app_context():
        engine = db.engine
    seen = []

    def count(*args):
        seen.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        request(client)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def add_profiles(app, account, count, photo=False):
    with acting_for(app) as org:
        for i in range(count):
            profile = Profile(kind="adult", name=f"Person {i:03}", organisation_id=org.id)
            if photo:
                profile.photo = Photo(
                    media_type="image/jpeg", data=b"x" * 10, width=1, height=1, sha256=f"{i:064}"
                )
            db.session.add(profile)


def test_the_list_takes_the_same_queries_for_3_or_50_profiles_with_photos(app, client, account):
    add_profiles(app, account, 3, photo=True)
    few = queries_for(app, client, lambda c: c.get("/"))
    add_profiles(app, account, 47, photo=True)
    many = queries_for(app, client, lambda c: c.get("/"))
    assert many == few
    searched = queries_for(app, client, lambda c: c.post("/", data={"q": "person"}))
    assert searched == few


def test_a_long_list_comes_a_page_at_a_time_and_a_search_keeps_its_words_out_of_the_address(
    app, client, account
):
    add_profiles(app, account, 60)
    page = client.get("/").get_data(as_text=True)
    assert "Profiles 1 to 50 of 60, page 1 of 2." in page
    assert page.count('class="profile-card"') == 50
    second = client.get("/?page=2").get_data(as_text=True)
    assert second.count('class="profile-card"') == 10 and "Previous page" in second
    searched = client.post("/", data={"q": "person", "page": "2"})
    assert searched.request.path == "/" and not searched.request.query_string
    assert searched.get_data(as_text=True).count('class="profile-card"') == 10
    assert "There are no profiles on page 9" in client.get("/?page=9").get_data(as_text=True)


def upload(client, pid, colour):
    image = io.BytesIO()
    Image.new("RGB", (300, 300), colour).save(image, "PNG")
    client.post(
        f"/profiles/{pid}/steps/photo",
        data={"photo": (io.BytesIO(image.getvalue()), "p.png"), "description": "A photo"},
        content_type="multipart/form-data",
    )


def test_a_thumbnail_is_made_once_and_a_new_photo_gets_a_new_one(
    app, client, create_profile, monkeypatch
):
    from profiles.library import routes

    made = []
    monkeypatch.setattr(routes, "thumbnail", lambda data: made.append(1) or thumbnail(data))
    pid = create_profile()
    upload(client, pid, (200, 30, 30))
    first = client.get(f"/profiles/{pid}/photo?size=thumb").data
    with inspecting(app):
        photo = db.session.get(Photo, pid)
        assert photo.thumbnail == first and photo.thumbnail_of == photo.sha256
    assert client.get(f"/profiles/{pid}/photo?size=thumb").data == first
    assert len(made) == 1
    upload(client, pid, (30, 30, 200))
    with inspecting(app):  # the replaced photo's small copy went with it
        assert db.session.get(Photo, pid).thumbnail is None
    second = Image.open(io.BytesIO(client.get(f"/profiles/{pid}/photo?size=thumb").data))
    red, _, blue = second.convert("RGB").getpixel((10, 10))
    assert blue > 150 and red < 80  # the new photo's, never the old one's
