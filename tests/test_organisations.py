"""An administrator of the whole install adds organisations; nobody else can."""

import re

import pytest
from sqlalchemy import select

from profiles.extensions import db
from profiles.models import Organisation, User

from .conftest import PASSWORD, inspecting, sign_in_as
from .test_accounts import SETUP
from .test_staff import choose_password, open_link

NEW_PASSWORD = "marmalade window ferry"
BRYN = {"organisation": "Bryn Home Care", "name": "Ffion Jones", "email": "ffion@bryn.example"}


def invitation_link(page: str) -> str:
    return re.search(r'value="(https?://[^/"]+/invitation/[^"]+)"', page).group(1)


@pytest.fixture
def install_admin(app, client, account):
    """The usual signed-in administrator of Riverside Care Home, who also set up the install."""
    with inspecting(app):
        db.session.get(User, account[1]).install_admin = True
        db.session.commit()
    return client


def test_whoever_sets_up_the_install_may_add_organisations(app):
    client = app.test_client()
    page = client.post("/setup", data=SETUP, follow_redirects=True).get_data(as_text=True)
    assert 'href="/organisations">Organisations</a>' in page
    page = client.get("/organisations").get_data(as_text=True)
    assert "Riverside Care Home" in page and "<td>riverside-care-home</td>" in page


def test_an_organisation_is_added_and_its_administrator_joins_it(
    app, install_admin, create_profile
):
    client = install_admin
    create_profile(name="Margaret Jones")
    response = client.post("/organisations", data=BRYN, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "Invitation for Ffion Jones" in page and "<td>bryn-home-care</td>" in page
    # Reloading the page does not send the form again, and the link is not shown twice.
    assert "Invitation for Ffion Jones" not in client.get("/organisations").get_data(as_text=True)
    link = invitation_link(page)

    ffion = app.test_client()
    assert "Join Bryn Home Care" in open_link(ffion, link).get_data(as_text=True)
    welcome = choose_password(ffion, "Ffion Jones").get_data(as_text=True)
    assert "You are signed in to Bryn Home Care" in welcome
    # Her organisation starts empty: Riverside's residents are not hers to see.
    assert "Margaret Jones" not in welcome
    assert "New invitation link" not in ffion.get("/staff").get_data(as_text=True)
    # She runs Bryn Home Care, not the install.
    assert ffion.get("/organisations").status_code == 403
    with inspecting(app):
        user = db.session.scalar(select(User).where(User.email == "ffion@bryn.example"))
        assert (user.role, user.install_admin, user.organisation.slug) == (
            "administrator",
            False,
            "bryn-home-care",
        )


def test_an_organisation_administrator_cannot_add_organisations(app, client, create_account):
    assert 'href="/organisations"' not in client.get("/").get_data(as_text=True)
    refused = client.get("/organisations")
    assert refused.status_code == 403
    assert "Only the administrator of this installation can add organisations" in (
        refused.get_data(as_text=True)
    )
    assert client.post("/organisations", data=BRYN).status_code == 403
    _, jo = create_account(email="jo@riverside.example", role="staff", name="Jo Carer")
    staff = app.test_client()
    sign_in_as(staff, jo)
    assert staff.get("/organisations").status_code == 403
    with inspecting(app):
        assert (
            db.session.scalar(select(Organisation).where(Organisation.slug == "bryn-home-care"))
            is None
        )


def test_a_name_already_set_up_or_an_email_in_use_is_refused_and_nothing_is_added(
    app, install_admin
):
    client = install_admin
    for data, message in (
        ({**BRYN, "organisation": "Riverside  Care Home"}, "add to the name, such as the town"),
        ({**BRYN, "email": "sam@riverside.example"}, "This email address already has an account"),
        ({**BRYN, "organisation": "  "}, "Enter the name of the organisation"),
        ({**BRYN, "email": "ffion"}, "Enter an email address like name@example.org"),
    ):
        response = client.post("/organisations", data=data)
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert message in page and "<title>Error: Organisations" in page
    with inspecting(app):
        assert db.session.scalars(select(Organisation.slug)).all() == ["riverside-care-home"]
        assert db.session.scalars(select(User.email)).all() == ["sam@riverside.example"]


def test_a_new_link_for_an_administrator_voids_the_first(app, install_admin):
    client = install_admin
    first = invitation_link(
        client.post("/organisations", data=BRYN, follow_redirects=True).get_data(as_text=True)
    )
    page = client.get("/organisations").get_data(as_text=True)
    assert "Ffion Jones (invited, not yet signed in)" in page
    with inspecting(app):
        ffion = db.session.scalar(select(User.id).where(User.email == "ffion@bryn.example"))
    second = invitation_link(
        client.post(
            f"/organisations/administrators/{ffion}/invite-again", follow_redirects=True
        ).get_data(as_text=True)
    )
    assert second != first
    assert open_link(app.test_client(), first).status_code == 410
    assert open_link(app.test_client(), second).status_code == 200


def test_only_an_administrator_still_to_join_gets_a_new_link(
    app, install_admin, account, create_account
):
    _, jo = create_account(email="jo@bryn.example", slug="bryn-home-care", role="staff")
    for user_id in (jo, account[1], 9999):
        response = install_admin.post(f"/organisations/administrators/{user_id}/invite-again")
        assert response.status_code == 404


def test_the_first_administrator_made_on_the_command_line_may_add_organisations(app):
    runner = app.test_cli_runner()

    def create_admin(organisation, email, *flags):
        return runner.invoke(
            args=["create-admin", "--organisation", organisation, "--email", email,
                  "--name", "Sam Keyworker", "--password", PASSWORD, *flags],
        )  # fmt: skip

    first = create_admin("Riverside Care Home", "sam@riverside.example")
    assert first.exit_code == 0, first.output
    assert "may also add organisations" in first.output
    second = create_admin("Bryn Home Care", "ffion@bryn.example")
    assert "may also add organisations" not in second.output
    third = create_admin("Ysgol Glan", "dai@glan.example", "--install-admin")
    assert "may also add organisations" in third.output
    with inspecting(app):
        admins = db.session.scalars(select(User.email).where(User.install_admin).order_by(User.id))
        assert list(admins) == ["sam@riverside.example", "dai@glan.example"]


def test_once_an_organisation_has_joined_its_invitations_are_its_own(app, install_admin):
    link = invitation_link(
        install_admin.post("/organisations", data=BRYN, follow_redirects=True).get_data(
            as_text=True
        )
    )
    ffion = app.test_client()
    open_link(ffion, link)
    assert "You are signed in to Bryn Home Care" in choose_password(ffion, "Ffion Jones").text
    # Ffion invites a second administrator for Bryn Home Care.
    ffion.post(
        "/staff", data={"name": "Dai Evans", "email": "dai@bryn.example", "role": "administrator"}
    )
    with inspecting(app):
        dai = db.session.scalar(select(User.id).where(User.email == "dai@bryn.example"))
    page = install_admin.get("/organisations").get_data(as_text=True)
    assert "Dai Evans (invited, not yet signed in)" in page
    assert "New invitation link" not in page
    response = install_admin.post(f"/organisations/administrators/{dai}/invite-again")
    assert response.status_code == 404
