"""Each member of staff can keep their own staff profile, linked to their account."""

from sqlalchemy import select

from profiles.extensions import db
from profiles.models import AuditEvent, Profile, User

from .conftest import inspecting, sign_in_as


def linked_profile(app, user_id: int) -> int | None:
    with inspecting(app):
        return db.session.get(User, user_id).staff_profile_id


def staff_client(app, create_account):
    _, jo = create_account(email="jo@riverside.example", role="staff", name="Jo Carer")
    client = app.test_client()
    sign_in_as(client, jo)
    return client, jo


def test_a_member_of_staff_starts_their_own_staff_profile(app, create_account):
    client, jo = staff_client(app, create_account)
    page = client.get("/account").get_data(as_text=True)
    assert "Start your staff profile" in page
    response = client.post("/account/staff-profile/start")
    pid = linked_profile(app, jo)
    assert pid is not None
    assert response.headers["Location"] == f"/profiles/{pid}"
    first_step = client.get(f"/profiles/{pid}", follow_redirects=True).get_data(as_text=True)
    assert "What people appreciate about me" in first_step
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        assert (profile.kind, profile.name, profile.written_by) == ("staff", "Jo Carer", "Jo Carer")
        event = db.session.scalar(select(AuditEvent))
        assert (event.action, event.user_id, event.profile_id) == ("created", jo, pid)
    page = client.get("/account").get_data(as_text=True)
    assert "Continue your staff profile" in page and "Start your staff profile" not in page
    library = client.get("/").get_data(as_text=True)
    assert '<span class="tag tag--kind">Staff member</span>' in library
    # Starting again opens the same profile rather than making a second one.
    assert client.post("/account/staff-profile/start").headers["Location"] == f"/profiles/{pid}"
    with inspecting(app):
        assert db.session.scalars(select(Profile.id)).all() == [pid]


def test_a_profile_started_for_them_can_be_claimed_and_let_go(
    app, client, account, create_account, create_profile
):
    mine = create_profile(name="Sam Keyworker", kind="staff")
    theirs = create_profile(name="Jo Carer", kind="staff")
    resident = create_profile(name="Margaret Jones")
    other_org, _ = create_account(email="ffion@bryn.example", slug="bryn-home-care")
    elsewhere = create_profile(name="Ffion Jones", kind="staff", organisation_id=other_org)
    _, jo = create_account(email="jo@riverside.example", role="staff", name="Jo Carer")
    with inspecting(app):
        db.session.get(User, jo).staff_profile_id = theirs
        db.session.commit()

    page = client.get("/account").get_data(as_text=True)
    assert ">Sam Keyworker (last changed " in page
    # A colleague's own profile, a resident's and another organisation's are not offered.
    for name in ("Jo Carer", "Margaret Jones", "Ffion Jones"):
        assert f">{name} (last changed" not in page
    for refused in (theirs, resident, elsewhere, 9999):
        response = client.post("/account/staff-profile/link", data={"profile": str(refused)})
        assert response.status_code == 400
        assert "That staff profile is no longer free to choose" in response.get_data(as_text=True)
        assert linked_profile(app, account[1]) is None
    response = client.post("/account/staff-profile/link", data={})
    assert "Choose your staff profile" in response.get_data(as_text=True)

    response = client.post(
        "/account/staff-profile/link", data={"profile": str(mine)}, follow_redirects=True
    )
    assert "That staff profile is now linked to your account." in response.get_data(as_text=True)
    assert linked_profile(app, account[1]) == mine

    response = client.post("/account/staff-profile/unlink", follow_redirects=True)
    assert "It is still kept." in response.get_data(as_text=True)
    assert linked_profile(app, account[1]) is None
    with inspecting(app):
        assert db.session.get(Profile, mine) is not None


def test_deleting_a_staff_profile_leaves_the_account_free_to_start_another(
    app, client, account, create_profile
):
    mine = create_profile(name="Sam Keyworker", kind="staff")
    client.post("/account/staff-profile/link", data={"profile": str(mine)})
    assert linked_profile(app, account[1]) == mine
    response = client.post(f"/profiles/{mine}/delete", data={"confirm": "Sam Keyworker"})
    assert response.status_code == 302
    assert linked_profile(app, account[1]) is None
    assert "Start your staff profile" in client.get("/account").get_data(as_text=True)


def test_a_profile_claimed_by_someone_else_meanwhile_is_explained(
    app, client, account, create_account, create_profile
):
    only = create_profile(name="Sam Keyworker", kind="staff")
    _, jo = create_account(email="jo@riverside.example", role="staff", name="Jo Carer")
    with inspecting(app):
        db.session.get(User, jo).staff_profile_id = only
        db.session.commit()
    # Sam's page offered it a moment ago; now nothing is free to choose.
    response = client.post("/account/staff-profile/link", data={"profile": str(only)})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "<title>Error: Your account" in page
    assert "someone may have just said it is theirs, or deleted it" in page
    assert linked_profile(app, account[1]) is None


def test_two_people_claiming_one_profile_at_once_cannot_both_have_it(
    app, client, account, create_account, create_profile, monkeypatch
):
    from profiles.accounts import forms

    only = create_profile(name="Sam Keyworker", kind="staff")
    _, jo = create_account(email="jo@riverside.example", role="staff", name="Jo Carer")
    with inspecting(app):
        db.session.get(User, jo).staff_profile_id = only
        db.session.commit()
        claimed = db.session.get(Profile, only)
        db.session.expunge(claimed)
    # As if Sam's check ran just before Jo's claim was saved.
    real = forms.unclaimed_staff_profiles
    calls = iter([[claimed]])
    monkeypatch.setattr(forms, "unclaimed_staff_profiles", lambda: next(calls, None) or real())
    response = client.post("/account/staff-profile/link", data={"profile": str(only)})
    assert response.status_code == 409
    assert "no longer free to choose" in response.get_data(as_text=True)
    assert (linked_profile(app, account[1]), linked_profile(app, jo)) == (None, only)


def test_someone_with_a_staff_profile_is_not_given_a_second(app, client, account, create_profile):
    mine = create_profile(name="Sam Keyworker", kind="staff")
    other = create_profile(name="Sam K", kind="staff")
    client.post("/account/staff-profile/link", data={"profile": str(mine)})
    response = client.post(
        "/account/staff-profile/link", data={"profile": str(other)}, follow_redirects=True
    )
    assert "Your account already has a staff profile." in response.get_data(as_text=True)
    assert linked_profile(app, account[1]) == mine
