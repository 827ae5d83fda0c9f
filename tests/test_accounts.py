"""Setting up a fresh install, signing in and out, and the create-admin command."""

from sqlalchemy import func, select

from profiles.extensions import db
from profiles.models import Organisation, Profile, User

from .conftest import PASSWORD, inspecting, sign_in_as

SETUP = {
    "organisation": "Riverside Care Home",
    "name": "Sam Keyworker",
    "email": "Sam@Riverside.example ",
    "password": "teapot lantern harbour",
    "confirm": "teapot lantern harbour",
}


def test_a_fresh_install_is_set_up_once_with_its_first_administrator(app):
    client = app.test_client()
    assert client.get("/").headers["Location"] == "/setup"
    response = client.post("/setup", data=SETUP, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Riverside Care Home is set up, and you are signed in as its administrator." in page
    assert "<h1>Profiles</h1>" in page
    with inspecting(app):
        user = db.session.scalar(select(User))
        assert (user.email, user.role, user.organisation.slug) == (
            "sam@riverside.example",
            "administrator",
            "riverside-care-home",
        )
        assert "teapot" not in user.password_hash
    assert client.get("/setup").status_code == 404


def test_setup_refuses_a_short_or_common_password_and_creates_nothing(app):
    client = app.test_client()
    for password, message in (
        ("short", "at least 12 characters"),
        ("password1234", "often guessed"),
    ):
        response = client.post("/setup", data={**SETUP, "password": password, "confirm": password})
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    with inspecting(app):
        assert db.session.scalar(select(func.count(Organisation.id))) == 0


def test_signing_in_takes_the_person_where_they_were_going(app, account):
    client = app.test_client()
    response = client.get("/profiles/new")
    assert response.headers["Location"].startswith("/sign-in?next=")
    response = client.post(
        "/sign-in?next=/profiles/new", data={"email": "SAM@riverside.example", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/profiles/new"
    assert client.get("/profiles/new").status_code == 200


def test_sign_in_never_sends_someone_to_another_site(app, account):
    client = app.test_client()
    response = client.post(
        "/sign-in?next=https://elsewhere.example/",
        data={"email": "sam@riverside.example", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_a_wrong_password_says_what_to_do_and_does_not_sign_in(app, account):
    client = app.test_client()
    response = client.post(
        "/sign-in", data={"email": "sam@riverside.example", "password": "not the password"}
    )
    assert response.status_code == 400
    assert "The email address or password is not right" in response.get_data(as_text=True)
    assert client.get("/").headers["Location"].startswith("/sign-in")


def test_a_deactivated_account_cannot_sign_in_and_its_sessions_end(app, account):
    client = app.test_client()
    sign_in_as(client, account[1])
    assert client.get("/").status_code == 200
    with inspecting(app):
        db.session.get(User, account[1]).active = False
        db.session.commit()
    assert client.get("/").headers["Location"].startswith("/sign-in")
    response = client.post(
        "/sign-in", data={"email": "sam@riverside.example", "password": PASSWORD}
    )
    assert response.status_code == 400


def test_raising_the_session_version_signs_out_every_device(app, account):
    client = app.test_client()
    sign_in_as(client, account[1])
    with inspecting(app):
        db.session.get(User, account[1]).session_version += 1
        db.session.commit()
    assert client.get("/").headers["Location"].startswith("/sign-in")


def test_signing_out_ends_the_session(client):
    response = client.post("/sign-out", follow_redirects=True)
    assert "You are signed out." in response.get_data(as_text=True)
    assert client.get("/").headers["Location"].startswith("/sign-in")


def test_create_admin_makes_an_organisation_and_its_administrator(app, runner):
    result = runner.invoke(
        args=[
            "create-admin",
            "--organisation",
            "Bryn Home Care",
            "--email",
            "ffion@bryn.example",
            "--name",
            "Ffion",
        ],
        input="teapot lantern harbour\nteapot lantern harbour\n",
    )
    assert result.exit_code == 0, result.output
    assert "--org bryn-home-care" in result.output
    with inspecting(app):
        user = db.session.scalar(select(User).where(User.email == "ffion@bryn.example"))
        assert (user.role, user.organisation.name) == ("administrator", "Bryn Home Care")


def test_create_admin_refuses_a_weak_password_or_a_used_email(runner):
    result = runner.invoke(
        args=[
            "create-admin",
            "--organisation",
            "X",
            "--email",
            "x@x.example",
            "--name",
            "X",
            "--password",
            "short",
        ],
    )
    assert result.exit_code == 1 and "at least 12 characters" in result.output
    result = runner.invoke(
        args=[
            "create-admin",
            "--organisation",
            "X",
            "--email",
            "sam@riverside.example",
            "--name",
            "Sam",
            "--password",
            "teapot lantern harbour",
        ],
    )
    assert result.exit_code == 1 and "already has an account" in result.output


def test_import_needs_org_once_there_are_two_organisations(app, runner, create_account, tmp_path):
    from .conftest import EXAMPLES

    create_account(email="ffion@bryn.example", slug="bryn-home-care")
    path = str(EXAMPLES / "adult.json")
    result = runner.invoke(args=["import", path])
    assert result.exit_code == 1
    assert "--org SLUG" in result.output and "bryn-home-care" in result.output
    result = runner.invoke(args=["import", "--org", "bryn-home-care", path])
    assert result.exit_code == 0
    with inspecting(app):
        profile = db.session.get(Profile, int(result.output.strip()))
        org = db.session.get(Organisation, profile.organisation_id)
        assert org.slug == "bryn-home-care"
    result = runner.invoke(args=["import", "--org", "nowhere", path])
    assert result.exit_code == 1 and "There is no organisation 'nowhere'" in result.output


def test_opening_the_app_signed_out_is_a_calm_welcome_not_a_warning(app, account):
    client = app.test_client()
    response = client.get("/")
    assert response.headers["Location"] == "/sign-in"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sign in to see that page." not in page
    assert "helps care teams write down what matters to each person they" in page
    assert '<button type="submit" class="button">Sign in</button>' in page
    # Sent to any other page, they are still told why they must sign in first.
    response = client.get("/profiles/new", follow_redirects=True)
    assert "Sign in to see that page." in response.get_data(as_text=True)
