"""No route shows or changes another organisation's profiles, and none works signed out."""

import pytest

from profiles.models import group_member

from .conftest import inspecting, sign_in_as

PROFILE_ROUTES_ARGS = {
    "step": "about",
    "invite_id": 1,
    "contribution_id": 1,
    "link_id": 1,
    "number": 1,
}


def profile_urls(app, profile_id, **ids):
    """Every URL in the app that names a profile, with this profile's id (and the ids given
    of what belongs to it)."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "profile_id" in rule.arguments:
            values = {
                "profile_id": profile_id,
                **{k: v for k, v in {**PROFILE_ROUTES_ARGS, **ids}.items() if k in rule.arguments},
            }
            methods = sorted(rule.methods & {"GET", "POST"})
            urls.append((rule.endpoint, rule.build(values)[1], methods))
    return urls


def test_every_profile_route_is_not_found_for_another_organisation(
    app, client, create_profile, create_account
):
    other_org, _ = create_account(email="ffion@bryn.example", slug="bryn-home-care")
    theirs = create_profile(name="Someone Else", organisation_id=other_org)
    ours = create_profile(name="Margaret Jones")
    ids = other_organisations_contribution(app, other_org, theirs)
    routes = profile_urls(app, theirs, **ids)
    assert len(routes) >= 7  # resume, steps, preview, PDF, export, photo, delete
    assert {
        "contributions.index",
        "contributions.revoke",
        "contributions.decide",
        "contributions.put_back",
    } <= {endpoint for endpoint, _, _ in routes}
    assert {"history.show", "history.restore_version"} <= {r[0] for r in routes}
    assert {"reviews.mark"} <= {endpoint for endpoint, _, _ in routes}
    for endpoint, url, methods in routes:
        for method in methods:
            response = client.open(url, method=method, data={"action": "next"})
            assert response.status_code == 404, (endpoint, method, response.status_code)
            assert b"Someone Else" not in response.data
    # Nor through the organisation's own profile, naming what is theirs.
    for endpoint, url, _ in profile_urls(app, ours, **ids):
        if endpoint in ("contributions.revoke", "contributions.decide", "contributions.put_back"):
            response = client.post(url, data={"action": "decline"})
            assert response.status_code == 404, endpoint
    # The same routes do work for the organisation's own profile.
    assert client.get(f"/profiles/{ours}/steps/about").status_code == 200
    page = client.get("/").get_data(as_text=True)
    assert "Margaret Jones" in page and "Someone Else" not in page
    with inspecting(app):
        from profiles.extensions import db
        from profiles.models import Contribution, ContributionInvite

        assert db.session.get(ContributionInvite, ids["invite_id"]).revoked_at is None
        assert db.session.get(Contribution, ids["contribution_id"]).state == "pending"


def other_organisations_contribution(app, organisation_id: int, profile_id: int):
    """An invitation to contribute to the other organisation's profile, and a contribution
    waiting through it."""
    from profiles.extensions import db
    from profiles.links import new_token
    from profiles.models import Contribution, ContributionInvite, utcnow

    with inspecting(app):
        invite = ContributionInvite(
            organisation_id=organisation_id,
            profile_id=profile_id,
            token_hash=new_token()[1],
            expires_at=utcnow().replace(year=2099),
        )
        db.session.add(invite)
        db.session.flush()
        contribution = Contribution(
            organisation_id=organisation_id,
            profile_id=profile_id,
            invite_id=invite.id,
            contributor_name="Their Friend",
            contributor_relationship="friend",
            section_key="appreciation",
            text="Someone Else is kind.",
        )
        db.session.add(contribution)
        db.session.commit()
        return {"invite_id": invite.id, "contribution_id": contribution.id}


def other_organisations_group_and_job(app, organisation_id: int, profile_id: int):
    """A group holding the other organisation's profile, and a finished print job of it."""
    from profiles.extensions import db
    from profiles.models import Group, PrintJob

    with inspecting(app):
        group = Group(organisation_id=organisation_id, name="Their unit")
        db.session.add(group)
        db.session.flush()
        db.session.execute(group_member.insert().values(group_id=group.id, profile_id=profile_id))
        job = PrintJob(
            organisation_id=organisation_id,
            chosen="Group: Their unit",
            profile_ids=[profile_id],
            paper="A4",
            state="done",
            total=1,
            done=1,
            failures=[],
            pdf=b"%PDF-1.7 theirs",
        )
        db.session.add(job)
        db.session.commit()
        return group.id, job.id


def test_every_group_and_print_job_route_is_not_found_for_another_organisation(
    app, client, create_profile, create_account
):
    other_org, _ = create_account(email="ffion@bryn.example", slug="bryn-home-care")
    theirs = create_profile(name="Someone Else", organisation_id=other_org)
    group_id, job_id = other_organisations_group_and_job(app, other_org, theirs)
    checked = []
    for rule in app.url_map.iter_rules():
        if not {"group_id", "job_id"} & rule.arguments:
            continue
        url = rule.build({"group_id": group_id, "job_id": job_id})[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(url, method=method, data={"name": "Mine now"})
            assert response.status_code == 404, (rule.endpoint, method, response.status_code)
            assert b"Their unit" not in response.data and b"Someone Else" not in response.data
            checked.append(rule.endpoint)
    assert {"groups.show", "groups.rename", "groups.delete", "batch.show", "batch.progress",
            "batch.cancel", "batch.retry", "batch.booklet"} <= set(checked)  # fmt: skip
    # Nor can their group be chosen to print, and the lists show nothing of theirs.
    response = client.post("/print-many", data={"choice": f"group-{group_id}", "paper": "A4"})
    assert response.status_code == 400
    for page in ("/groups", "/print-many"):
        assert "Their unit" not in client.get(page).get_data(as_text=True)
    with inspecting(app):
        from profiles.extensions import db
        from profiles.models import Group, PrintJob

        assert db.session.get(Group, group_id).name == "Their unit"
        assert db.session.get(PrintJob, job_id).state == "done"


def test_every_route_asks_a_signed_out_person_to_sign_in(app, create_profile):
    pid = create_profile()
    client = app.test_client()
    public = {
        "accounts.sign_in",
        "accounts.forgotten_password",
        "accounts.sign_in_link_sent",
        "accounts.setup",
        "staff.open_link",
        "staff.accept",
        "contributions.contribute",
        "contributions.thanks",
        "sharing.shared",
        "sharing.shared_page",
        "sharing.shared_pdf",
        "static",
    }
    files = {
        "printing.pdf",
        "transfer.export",
        "library.photo",
        "rights.everything",
        "audit.download",
        "accounts.still_here",
        "organisations.logo",
        "batch.booklet",
        "batch.progress",
    }
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in public:
            continue
        known = {
            "profile_id": pid,
            "step": "about",
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
        values = {k: v for k, v in known.items() if k in rule.arguments}
        url = rule.build(values)[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(url, method=method)
            if rule.endpoint in files:
                assert response.status_code == 401, (rule.endpoint, method)
            else:
                assert response.status_code == 302, (rule.endpoint, method)
                assert response.headers["Location"].startswith("/sign-in"), rule.endpoint
            checked += 1
    assert checked >= 15


def test_a_share_link_opens_without_signing_in_and_only_its_own_profile(app, create_profile):
    """The share link's pages are the only pages about a profile that open signed out: by
    a token that names one profile, never by a profile's id."""
    from profiles.sharing.services import make_link

    from .conftest import acting_for

    ours = create_profile(name="Margaret Jones", statements={"support": ["Knock first."]})
    create_profile(name="Someone Else", statements={"support": ["Tea, no sugar."]})
    with acting_for(app):
        from profiles.extensions import db
        from profiles.models import Profile

        _, token = make_link(db.session.get(Profile, ours), 14)
    client = app.test_client()
    for part in ("", "/page", "/profile.pdf"):
        response = client.get(f"/shared/{token}{part}")
        assert response.status_code == 200, part
        assert b"Someone Else" not in response.data and b"Tea, no sugar" not in response.data
    assert "Margaret Jones" in client.get(f"/shared/{token}").get_data(as_text=True)
    for part in ("", "/page", "/profile.pdf"):
        assert client.get(f"/shared/{token[:-1]}{part}").status_code == 404


@pytest.mark.parametrize("path", ["/", "/profiles/new", "/import"])
def test_pages_show_only_to_a_signed_in_person(app, account, path):
    client = app.test_client()
    assert client.get(path).status_code == 302
    sign_in_as(client, account[1])
    assert client.get(path).status_code == 200


def test_every_form_without_its_token_is_refused_and_changes_nothing(
    database_url, account, create_profile
):
    from sqlalchemy import func, select

    from profiles.extensions import db
    from profiles.models import (
        AuditEvent,
        Branding,
        Contribution,
        ContributionInvite,
        Group,
        PrintJob,
        Profile,
        ShareLink,
        User,
    )

    from .conftest import build_app

    pid = create_profile(statements={"support": ["Please knock before you come in."]})
    app = build_app(database_url, WTF_CSRF_ENABLED=True)
    group_id, job_id = other_organisations_group_and_job(app, account[0], pid)
    with inspecting(app):
        db.session.get(PrintJob, job_id).state = "running"
        db.session.commit()
    with inspecting(app):
        db.session.get(User, account[1]).install_admin = True
        db.session.add(
            Branding(
                organisation_id=account[0], accent="#0b4f8a", logo_media_type="image/png",
                logo_data=b"logo", logo_width=1, logo_height=1, logo_sha256="0" * 64,
            )
        )  # fmt: skip
        db.session.commit()

    def state():
        with inspecting(app):
            profile = db.session.get(Profile, pid)
            user = db.session.get(User, account[1])
            branding = db.session.get(Branding, account[0])
            return (
                branding.accent,
                branding.logo_sha256,
                branding.logo_description,
                profile.version,
                profile.step,
                user.session_version,
                user.staff_profile_id,
                db.session.scalar(select(func.count(AuditEvent.id))),
                db.session.scalar(select(func.count(User.id))),
                db.session.scalar(select(func.count(Profile.id))),
                db.session.scalar(select(func.count(Group.id))),
                db.session.scalar(select(func.count(PrintJob.id))),
                db.session.scalar(select(func.count(ShareLink.id))),
                db.session.get(Group, group_id).name,
                db.session.get(PrintJob, job_id).state,
                db.session.scalar(select(func.count(ContributionInvite.id))),
                db.session.scalar(select(func.count(Contribution.id))),
            )

    before = state()
    client = app.test_client()
    sign_in_as(client, account[1])
    known = {
        "profile_id": pid,
        "step": "about",
        "user_id": account[1],
        "change": "deactivate",
        "token": "an-invitation",
        "held_id": 1,
        "group_id": group_id,
        "job_id": job_id,
        "invite_id": 1,
        "contribution_id": 1,
        "link_id": 1,
        "number": 1,
    }
    # Forms opened by a link's token, which is their secret (anyone who could forge their
    # post holds the token already), take no form token: a visitor whose session was lost
    # is not refused. Only these, by deliberate choice; "an-invitation" opens nothing.
    token_is_the_secret = {"contributions.contribute", "sharing.shared"}
    checked, exempt = [], []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        url = rule.build({k: v for k, v in known.items() if k in rule.arguments})[1]
        response = client.post(url, data={"action": "next", "name": "Changed", "confirm": "x"})
        if rule.endpoint in token_is_the_secret:
            assert response.status_code == 404, (rule.endpoint, response.status_code)
            assert "This link is no longer active" in response.get_data(as_text=True)
            exempt.append(rule.endpoint)
            continue
        assert response.status_code == 400, (rule.endpoint, response.status_code)
        assert "This page had expired" in response.get_data(as_text=True), rule.endpoint
        checked.append(rule.endpoint)
    assert set(exempt) == token_is_the_secret
    assert len(checked) >= 15
    assert {
        "organisations.index",
        "accounts.start_own_staff_profile",
        "organisations.save_colour",
        "organisations.save_logo",
    } <= set(checked)
    assert {"groups.index", "groups.show", "groups.rename", "groups.delete", "batch.index",
            "batch.cancel", "batch.retry", "history.restore_version"} <= set(checked)  # fmt: skip
    assert {"contributions.index", "contributions.revoke", "contributions.decide",
            "contributions.put_back"} <= set(checked)  # fmt: skip
    assert {"sharing.index", "sharing.revoke"} <= set(checked)
    assert {"reviews.mark"} <= set(checked)
    assert state() == before
    with inspecting(app):
        db.engine.dispose()


def test_every_query_sees_only_the_current_organisations_rows(
    app, account, create_account, create_profile
):
    """The scope is applied to every query of scoped rows, without the query asking for it."""
    from sqlalchemy import delete, func, select, update

    from profiles.audit.service import record
    from profiles.extensions import db
    from profiles.models import AuditEvent, HeldChange, Profile, User
    from profiles.services import act_for

    ours, sam = account
    theirs, ffion = create_account(email="ffion@bryn.example", slug="bryn-home-care")
    mine = create_profile(name="Margaret Jones", organisation_id=ours)
    other = create_profile(name="Someone Else", organisation_id=theirs)
    for organisation_id, user_id, profile_id in ((ours, sam, mine), (theirs, ffion, other)):
        with app.app_context():
            act_for(organisation_id)
            record("viewed", profile_id, user_id=user_id)
            db.session.add(
                HeldChange(
                    organisation_id=organisation_id,
                    user_id=user_id,
                    profile_id=profile_id,
                    endpoint="wizard.step",
                    view_args={},
                    fields=[],
                    typed=[],
                )
            )
            db.session.commit()

    with app.app_context():
        act_for(ours)
        assert db.session.scalars(select(Profile.name)).all() == ["Margaret Jones"]
        assert db.session.get(Profile, other) is None
        assert db.session.scalars(select(User.id)).all() == [sam]
        assert db.session.scalars(select(AuditEvent.profile_id)).all() == [mine]
        assert db.session.scalars(select(HeldChange.user_id)).all() == [sam]
        # Joins and counts too, and changes made by statement reach only this organisation.
        joined = (
            select(func.count())
            .select_from(AuditEvent)
            .join(Profile, Profile.id == AuditEvent.profile_id)
        )
        assert db.session.scalar(joined) == 1
        db.session.execute(update(Profile).values(written_by="Changed"))
        db.session.execute(delete(HeldChange))
        db.session.commit()
    with inspecting(app):
        written = dict(db.session.execute(select(Profile.id, Profile.written_by)).all())
        assert written == {mine: "Changed", other: ""}
        assert db.session.scalars(select(HeldChange.user_id)).all() == [ffion]


def test_a_query_of_an_organisations_rows_with_none_chosen_is_refused(app, create_profile):
    from sqlalchemy import func, select

    from profiles.extensions import db
    from profiles.models import Organisation, Profile

    create_profile()
    with app.app_context():
        with pytest.raises(RuntimeError, match="No organisation is chosen"):
            db.session.scalars(select(Profile)).all()
        # Rows that belong to no organisation need none.
        assert db.session.scalar(select(func.count(Organisation.id))) == 1


def test_every_way_of_reading_an_organisations_rows_is_scoped_or_refused(
    app, account, create_account, create_profile
):
    from sqlalchemy import func, select

    from profiles.extensions import db
    from profiles.models import Profile
    from profiles.services import act_for

    ours, _ = account
    theirs, _ = create_account(email="ffion@bryn.example", slug="bryn-home-care")
    create_profile(name="Margaret Jones", organisation_id=ours)
    create_profile(name="Someone Else", organisation_id=theirs)
    counted = select(func.count()).select_from(Profile)
    in_a_subquery = select(func.count()).select_from(select(Profile.id).subquery())
    with app.app_context():
        for statement in (counted, in_a_subquery, select(Profile.__table__)):
            with pytest.raises(RuntimeError, match="No organisation is chosen"):
                db.session.execute(statement).all()
        act_for(ours)
        assert db.session.scalar(counted) == 1
        assert db.session.scalar(in_a_subquery) == 1
        # The table without its model: the scope cannot reach it, so it is refused.
        with pytest.raises(RuntimeError, match="through their model"):
            db.session.execute(select(Profile.__table__)).all()
