"""Groups: making, renaming and deleting them, choosing who is in them, and seeing them."""

from __future__ import annotations

from sqlalchemy import func, select

from profiles.extensions import db
from profiles.models import Group, Profile, group_member

from .conftest import inspecting


def make_group(client, name="Rowan unit") -> int:
    response = client.post("/groups", data={"name": name})
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_a_group_is_made_filled_shown_on_the_profile_list_and_renamed(client, create_profile):
    ada = create_profile(name="Ada Brown")
    zoe = create_profile(name="Zoë Adams")
    create_profile(name="Not Chosen")
    group_id = make_group(client)
    page = client.get(f"/groups/{group_id}").get_data(as_text=True)
    assert "Rowan unit" in page and "0 profiles in this group" in page
    # The checkboxes list everyone by name.
    assert page.index("Ada Brown") < page.index("Not Chosen") < page.index("Zoë Adams")

    response = client.post(f"/groups/{group_id}", data={"profiles": [str(zoe), str(ada)]})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved: 2 profiles in “Rowan unit”" in page and "2 profiles in this group" in page

    listing = client.get("/groups").get_data(as_text=True)
    assert "Rowan unit" in listing and "<td>2</td>" in listing
    profiles = client.get("/").get_data(as_text=True)
    assert profiles.count("In group: Rowan unit") == 2

    response = client.post(f"/groups/{group_id}/rename", data={"name": "  Rowan   Unit (ground) "})
    assert response.status_code == 302
    assert "Rowan Unit (ground)" in client.get("/groups").get_data(as_text=True)


def test_a_name_already_taken_or_empty_or_too_long_is_refused(client):
    make_group(client, "Rowan unit")
    other = make_group(client, "Birch unit")
    for name, message in [
        ("ROWAN  UNIT", "There is already a group with that name"),
        ("Rówan unit", "There is already a group with that name"),
        ("", "Enter a name for the group"),
        ("x" * 81, "A group&#39;s name can be up to 80 characters"),
    ]:
        response = client.post("/groups", data={"name": name})
        assert response.status_code == 400, name
        assert message in response.get_data(as_text=True)
    response = client.post(f"/groups/{other}/rename", data={"name": "rowan unit"})
    assert response.status_code == 400
    # Its own name, differently written, is no clash.
    assert client.post(f"/groups/{other}/rename", data={"name": "BIRCH unit"}).status_code == 302
    assert client.get("/groups").get_data(as_text=True).count("unit</a>") == 2


def test_a_profile_of_another_organisation_can_never_be_added(
    app, client, create_profile, create_account
):
    other_org, _ = create_account(email="ffion@bryn.example", slug="bryn-home-care")
    theirs = create_profile(name="Someone Else", organisation_id=other_org)
    ours = create_profile(name="Ada Brown")
    group_id = make_group(client)
    response = client.post(f"/groups/{group_id}", data={"profiles": [str(ours), str(theirs)]})
    assert response.status_code == 400
    assert "not in your organisation&#39;s list" in response.get_data(as_text=True)
    assert "Someone Else" not in response.get_data(as_text=True)
    with inspecting(app):
        assert db.session.scalar(select(func.count()).select_from(group_member)) == 0


def test_deleting_a_group_keeps_its_profiles_and_deleting_a_profile_leaves_its_groups(
    app, client, create_profile
):
    ada = create_profile(name="Ada Brown")
    ben = create_profile(name="Ben Carter")
    rowan, birch = make_group(client, "Rowan unit"), make_group(client, "Birch unit")
    for group_id in (rowan, birch):
        client.post(f"/groups/{group_id}", data={"profiles": [str(ada), str(ben)]})
    page = client.get(f"/groups/{rowan}/delete").get_data(as_text=True)
    assert "Delete the group “Rowan unit”?" in page and "2 profiles in it stay" in page
    response = client.post(f"/groups/{rowan}/delete")
    assert response.status_code == 302
    assert "Its profiles were not changed" in client.get("/groups").get_data(as_text=True)
    client.post(f"/profiles/{ada}/delete", data={"confirm": "Ada Brown"})
    with inspecting(app):
        assert db.session.scalar(select(func.count(Profile.id))) == 1
        assert db.session.scalars(select(Group.name)).all() == ["Birch unit"]
        members = db.session.execute(select(group_member)).all()
        assert [(g, p) for g, p in members] == [(birch, ben)]
