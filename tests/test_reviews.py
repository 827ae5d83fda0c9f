"""Reviews due: the profiles to look at again with the person, for a scheduled job."""

from __future__ import annotations

from datetime import date, timedelta

TODAY = date.today()


def test_reviews_due_lists_overdue_and_due_within_30_days_oldest_first(
    runner, create_profile, create_account
):
    overdue = create_profile(name="Ada  Brown", review_due=TODAY - timedelta(days=400))
    soon = create_profile(name="Ben Carter", review_due=TODAY + timedelta(days=30))
    today = create_profile(name="Cara Davies", review_due=TODAY)
    create_profile(name="Dan Evans", review_due=TODAY + timedelta(days=31))  # not yet
    create_profile(name="Eve Fox")  # no review date
    other_org, _ = create_account(email="ffion@bryn.example", slug="bryn-home-care")
    theirs = create_profile(
        name="Gwen Hughes", organisation_id=other_org, review_due=TODAY - timedelta(days=1)
    )

    result = runner.invoke(args=["reviews-due"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{overdue}\tAda Brown\t{TODAY - timedelta(days=400):%Y-%m-%d}",
        f"{theirs}\tGwen Hughes\t{TODAY - timedelta(days=1):%Y-%m-%d}",
        f"{today}\tCara Davies\t{TODAY:%Y-%m-%d}",
        f"{soon}\tBen Carter\t{TODAY + timedelta(days=30):%Y-%m-%d}",
    ]

    # One organisation's only, by its short name.
    result = runner.invoke(args=["reviews-due", "--org", "bryn-home-care"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{theirs}\tGwen Hughes\t{TODAY - timedelta(days=1):%Y-%m-%d}"
    ]


def test_reviews_due_prints_nothing_when_nothing_is_due(runner, create_profile):
    create_profile(name="Dan Evans", review_due=TODAY + timedelta(days=90))
    result = runner.invoke(args=["reviews-due"])
    assert (result.exit_code, result.output) == (0, "")


def test_reviews_due_names_an_unknown_organisation(runner, create_profile):
    result = runner.invoke(args=["reviews-due", "--org", "elsewhere"])
    assert result.exit_code == 1
    assert "There is no organisation 'elsewhere'" in result.output
