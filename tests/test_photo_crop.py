"""How a photo prints: the whole photo, or a square from its top, centre or bottom, chosen
on the photo step by looking at the person's own photo cropped each way."""

from __future__ import annotations

import io
import json
import re

from PIL import Image
from sqlalchemy import func, select

from profiles.extensions import db
from profiles.models import AuditEvent, Profile
from profiles.printing.service import print_document, print_profile
from profiles.render import cache_key
from profiles.services import get_kind

from .conftest import inspecting

SUPPORT = ["Please knock and wait for me to answer before you come into my room."]
CHOICES = {
    "whole": "Show the whole photo",
    "top": "A square from the top",
    "centre": "A square from the centre",
    "bottom": "A square from the bottom",
}


def portrait(colour=(200, 120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), colour).save(out, "JPEG")
    return out.getvalue()


def send_photo(client, pid, data=None, description="Peggy in her garden", **fields):
    form = {"description": description, "action": "save", **fields}
    if data is not None:
        form["photo"] = (io.BytesIO(data), "peggy.jpg")
    return client.post(
        f"/profiles/{pid}/steps/photo", data=form, content_type="multipart/form-data"
    )


def photo_of(app, pid):
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        photo = profile.photo
        return photo and (photo.crop, photo.description, photo.sha256, profile.version)


def checked(page: str) -> str:
    """The label of the crop choice the page has chosen."""
    chosen = re.search(r'<input checked id="crop-(\d)"', page)
    return list(CHOICES.values())[int(chosen.group(1))]


def test_without_a_photo_there_is_nothing_to_crop(client, create_profile):
    pid = create_profile()
    page = client.get(f"/profiles/{pid}/steps/photo").get_data(as_text=True)
    assert "How the photo prints" not in page


def test_each_choice_shows_the_persons_own_photo_cropped_that_way(client, create_profile):
    pid = create_profile()
    send_photo(client, pid, portrait())
    page = client.get(f"/profiles/{pid}/steps/photo").get_data(as_text=True)
    assert '<legend class="label">How the photo prints</legend>' in page
    thumb = f"/profiles/{pid}/photo?size=thumb"
    for number, (value, label) in enumerate(CHOICES.items()):
        # A radio a screen reader names by its words; the picture beside them adds nothing
        # to read aloud.
        assert f'name="crop" type="radio" value="{value}"' in page
        assert (
            f'<label for="crop-{number}">\n'
            f'                <img class="crop-choice__photo crop-choice__photo--{value}" '
            f'src="{thumb}" alt="">\n'
            f"                <span>{label}</span>"
        ) in page
    # Nothing is cut off until someone chooses to.
    assert checked(page) == "Show the whole photo"
    assert client.get(thumb).status_code == 200


def test_a_chosen_crop_is_saved_kept_with_a_new_description_and_printed(
    app, client, create_profile
):
    pid = create_profile(statements={"support": SUPPORT})
    send_photo(client, pid, portrait())
    with inspecting(app):
        assert print_profile(db.session.get(Profile, pid)).fits
    crop, _, sha, version = photo_of(app, pid)
    assert crop == "whole"
    response = send_photo(client, pid, crop="top")
    assert response.status_code == 302
    assert photo_of(app, pid) == ("top", "Peggy in her garden", sha, version + 1)
    page = client.get(f"/profiles/{pid}/steps/photo").get_data(as_text=True)
    assert checked(page) == "A square from the top"
    # Changing only the words keeps the crop.
    send_photo(client, pid, description="Peggy laughing", crop="top")
    assert photo_of(app, pid)[:2] == ("top", "Peggy laughing")
    # A page sent without the choice (an older page) leaves it as it was.
    send_photo(client, pid, description="Peggy laughing in her garden")
    assert photo_of(app, pid)[0] == "top"
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        photo = print_document(profile)["photo"]
        assert (photo["crop"], photo["width"], photo["height"]) == ("top", 300, 400)
        # A print made before the choice is never given for it.
        assert not print_profile(profile).cached


def test_each_crop_gives_its_own_print(app, client, create_profile):
    pid = create_profile(statements={"support": SUPPORT})
    send_photo(client, pid, portrait())
    keys = set()
    for crop in CHOICES:
        send_photo(client, pid, crop=crop)
        with inspecting(app):
            profile = db.session.get(Profile, pid)
            keys.add(cache_key(print_document(profile), get_kind(profile.kind), owner=pid))
    assert len(keys) == len(CHOICES)


def test_a_new_photo_prints_whole_until_a_crop_is_chosen_for_it(app, client, create_profile):
    pid = create_profile()
    send_photo(client, pid, portrait())
    send_photo(client, pid, crop="bottom")
    old_sha = photo_of(app, pid)[2]
    # The choice on the page was made for the old photo: it says nothing about the new one.
    send_photo(client, pid, portrait((20, 120, 200)), crop="bottom")
    crop, description, sha, _ = photo_of(app, pid)
    assert sha != old_sha
    assert crop == "whole" and description == "Peggy in her garden"
    page = client.get(f"/profiles/{pid}/steps/photo").get_data(as_text=True)
    assert checked(page) == "Show the whole photo"


def test_a_crop_that_is_not_a_choice_is_refused_and_changes_nothing(app, client, create_profile):
    pid = create_profile()
    send_photo(client, pid, portrait())
    before = photo_of(app, pid)
    response = send_photo(client, pid, description="Someone else", crop="diagonal")
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)
    assert photo_of(app, pid) == before


def test_choosing_a_crop_is_recorded_and_leaves_a_ready_profile_ready(app, client, create_profile):
    pid = create_profile(statements={"support": SUPPORT})
    send_photo(client, pid, portrait())
    with inspecting(app):
        db.session.get(Profile, pid).status = "ready"
        db.session.commit()
        changes = select(func.count()).where(AuditEvent.action == "changed")
        before = db.session.scalar(changes)
    response = send_photo(client, pid, crop="centre", action="save")
    assert response.status_code == 302
    with inspecting(app):
        # How the photo prints is a printing choice, like the paper: nobody's words changed.
        assert db.session.get(Profile, pid).status == "ready"
        assert db.session.scalar(changes) == before + 1


def test_the_crop_is_never_exported(app, client, create_profile):
    pid = create_profile(statements={"support": SUPPORT})
    send_photo(client, pid, portrait())
    send_photo(client, pid, crop="top")
    exported = json.loads(client.get(f"/profiles/{pid}/export.json").data)
    assert set(exported["photo"]) == {"media_type", "data", "description"}
