"""The wizard as a care worker meets it: start, answer prompts, edit, reorder, resume."""

import io
import re
from datetime import date

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from profiles.extensions import db
from profiles.models import Profile, Statement

from .conftest import agree_to, inspecting
from .test_photos import blank_png

# A review date always in the future, whenever the tests run.
NEXT_YEAR = str(date.today().year + 1)


def post_multipart(client, url, fields):
    """POST a form with files, encoded in memory: the test client's own encoder spills
    large bodies to a temporary file that it never closes."""
    boundary, body = encode_multipart(fields)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def upload(data, filename):
    return FileStorage(io.BytesIO(data), filename=filename, content_type="image/jpeg")


def texts(app, profile_id, key):
    with inspecting(app):
        return [st.text for st in db.session.get(Profile, profile_id).section(key).statements]


def version(app, profile_id):
    with inspecting(app):
        return db.session.get(Profile, profile_id).version


def jpeg_bytes(size=(400, 300), colour=(200, 120, 40)):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def test_starting_a_profile_saves_it_and_opens_the_first_section(app, client):
    response = client.post(
        "/profiles/new",
        data={
            "kind": "adult",
            "name": "  Margaret Jones ",
            "preferred_name": "Peggy",
            "written_by": "Peggy, with her keyworker Sam",
            "language": "en",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/profiles/1/steps/appreciation")
    with inspecting(app):
        profile = db.session.get(Profile, 1)
        assert profile.name == "Margaret Jones"
        assert [s.key for s in profile.sections] == ["appreciation", "important", "support"]
        assert profile.status == "draft"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "What people appreciate about me" in page
    assert "What do people thank you for?" in page
    assert "I always remember your birthday" in page  # a good example from the kind file
    assert "Peggy: step 2 of 7" in page


def test_start_without_a_name_says_what_to_do_and_saves_nothing(app, client):
    response = client.post("/profiles/new", data={"kind": "adult", "name": "   "})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert "Enter the person&#39;s full name" in page
    with inspecting(app):
        assert db.session.scalar(select(func.count(Profile.id))) == 0


def test_each_line_of_an_answer_becomes_a_statement(app, client, create_profile):
    pid = create_profile()
    response = client.post(
        f"/profiles/{pid}/steps/appreciation",
        data={
            "answer_0": "I always remember birthdays.\n\n  I ask after your children by name.  ",
            "answer_2": "I make everyone laugh at breakfast.",
            "action": "next",
        },
    )
    assert response.headers["Location"].endswith(f"/profiles/{pid}/steps/important")
    assert texts(app, pid, "appreciation") == [
        "I always remember birthdays.",
        "I ask after your children by name.",
        "I make everyone laugh at breakfast.",
    ]
    page = client.get(f"/profiles/{pid}/steps/appreciation").get_data(as_text=True)
    assert "I ask after your children by name." in page


def existing(app, pid, key):
    """Form data that keeps a section's statements as they are."""
    with inspecting(app):
        statements = db.session.get(Profile, pid).section(key).statements
        data = {}
        for i, st in enumerate(statements):
            data[f"statements-{i}-id"] = str(st.id)
            data[f"statements-{i}-text"] = st.text
        return data, [st.id for st in statements]


def test_statements_can_be_edited_moved_and_removed(app, client, create_profile):
    pid = create_profile(statements={"support": ["First", "Second", "Third"]})
    data, ids = existing(app, pid, "support")
    data["statements-0-text"] = "First, edited"
    client.post(f"/profiles/{pid}/steps/support", data={**data, "action": f"down:{ids[0]}"})
    assert texts(app, pid, "support") == ["Second", "First, edited", "Third"]

    data, ids = existing(app, pid, "support")
    client.post(f"/profiles/{pid}/steps/support", data={**data, "action": f"up:{ids[2]}"})
    assert texts(app, pid, "support") == ["Second", "Third", "First, edited"]

    data, ids = existing(app, pid, "support")
    response = client.post(
        f"/profiles/{pid}/steps/support",
        data={**data, "action": f"remove:{ids[1]}"},
        follow_redirects=True,
    )
    assert "Statement removed." in response.get_data(as_text=True)
    assert texts(app, pid, "support") == ["Second", "First, edited"]


def test_moving_a_statement_also_keeps_new_answers_typed_on_the_page(app, client, create_profile):
    pid = create_profile(statements={"important": ["A", "B"]})
    data, ids = existing(app, pid, "important")
    client.post(
        f"/profiles/{pid}/steps/important",
        data={**data, "answer_1": "Tea in my green mug.", "action": f"down:{ids[0]}"},
    )
    assert texts(app, pid, "important") == ["B", "A", "Tea in my green mug."]


def test_heading_can_be_renamed_for_this_profile(app, client, create_profile):
    pid = create_profile()
    client.post(
        f"/profiles/{pid}/steps/appreciation",
        data={"heading": "Great things about me", "action": "save"},
    )
    page = client.get(f"/profiles/{pid}/steps/appreciation").get_data(as_text=True)
    assert "<h1>Great things about me</h1>" in page
    client.post(
        f"/profiles/{pid}/steps/appreciation",
        data={"heading": "What people appreciate about me", "action": "save"},
    )
    with inspecting(app):
        assert db.session.get(Profile, pid).section("appreciation").heading is None


def test_a_statement_that_is_too_long_is_refused_and_nothing_is_saved(app, client, create_profile):
    pid = create_profile(statements={"support": ["Knock and wait."]})
    data, _ = existing(app, pid, "support")
    data["statements-0-text"] = "Knock and wait, please."
    response = client.post(
        f"/profiles/{pid}/steps/support", data={**data, "answer_0": "x" * 712, "action": "next"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Line 1 has 712 characters. Statements can be up to 600" in page
    assert "x" * 712 in page  # what was typed is still there to shorten
    assert "Knock and wait, please." in page
    assert texts(app, pid, "support") == ["Knock and wait."]


def test_an_emptied_statement_asks_for_text_or_remove(app, client, create_profile):
    pid = create_profile(statements={"support": ["Knock and wait."]})
    data, _ = existing(app, pid, "support")
    data["statements-0-text"] = "  "
    response = client.post(f"/profiles/{pid}/steps/support", data={**data, "action": "save"})
    assert response.status_code == 400
    assert "This statement is empty. Write something, or choose Remove." in response.get_data(
        as_text=True
    )
    assert texts(app, pid, "support") == ["Knock and wait."]


def test_a_save_from_an_older_page_keeps_both_peoples_statements(app, client, create_profile):
    pid = create_profile(statements={"important": ["Tea first thing."]})
    old_version = version(app, pid)
    data, _ = existing(app, pid, "important")
    client.post(
        f"/profiles/{pid}/steps/important",
        data={**data, "answer_0": "My daughter visits on Sundays.", "action": "save"},
    )
    response = client.post(
        f"/profiles/{pid}/steps/important",
        data={
            **data,
            "version": old_version,
            "answer_1": "Chapel on Sunday mornings.",
            "action": "next",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "The profile was changed elsewhere while you had this page open" in response.get_data(
        as_text=True
    )
    assert texts(app, pid, "important") == [
        "Tea first thing.",
        "My daughter visits on Sundays.",
        "Chapel on Sunday mornings.",
    ]


def test_going_back_saves_and_reopening_resumes_where_it_was_left(app, client, create_profile):
    pid = create_profile()
    response = client.post(
        f"/profiles/{pid}/steps/important", data={"answer_0": "My brother Tom.", "action": "back"}
    )
    assert response.headers["Location"].endswith(f"/profiles/{pid}/steps/appreciation")
    assert texts(app, pid, "important") == ["My brother Tom."]
    client.post(f"/profiles/{pid}/steps/appreciation", data={"action": "goto:support"})
    assert (
        client.get(f"/profiles/{pid}")
        .headers["Location"]
        .endswith(f"/profiles/{pid}/steps/support")
    )


def test_about_step_changes_the_name(app, client, create_profile):
    pid = create_profile()
    response = client.post(
        f"/profiles/{pid}/steps/about",
        data={
            "name": "Margaret Ann Jones",
            "preferred_name": "Peggy",
            "written_by": "",
            "language": "cy",
            "action": "next",
        },
    )
    assert response.headers["Location"].endswith("/steps/appreciation")
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        assert (profile.name, profile.language) == ("Margaret Ann Jones", "cy")


def test_photo_upload_stores_a_clean_photo_with_its_description(app, client, create_profile):
    pid = create_profile()
    response = client.post(
        f"/profiles/{pid}/steps/photo",
        data={
            "photo": (io.BytesIO(jpeg_bytes((2400, 1600))), "peggy.jpg"),
            "description": "Peggy laughing in her garden",
            "action": "next",
        },
        content_type="multipart/form-data",
    )
    # A new photo: the step shows itself again, at the choice of how the photo prints.
    assert response.headers["Location"].endswith("/steps/photo#crop")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Photo saved. Choose how it prints, then continue." in page
    with inspecting(app):
        photo = db.session.get(Profile, pid).photo
        assert (photo.width, photo.height) == (1200, 800)
        assert photo.description == "Peggy laughing in her garden"
    thumb = client.get(f"/profiles/{pid}/photo?size=thumb")
    assert thumb.status_code == 200
    assert max(Image.open(io.BytesIO(thumb.data)).size) <= 160


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7 not a photo", "not a photo"),
        (jpeg_bytes()[:300], "damaged or incomplete"),
        (b"\xff\xd8\xff" + bytes(11 * 1024 * 1024), "photos can be up to 10 mb"),
        (blank_png(20000, 20000), "too large to open"),
    ],
)
def test_a_bad_photo_gets_a_clear_message_and_changes_nothing(
    app, client, create_profile, content, message
):
    pid = create_profile()
    post_multipart(
        client,
        f"/profiles/{pid}/steps/photo",
        {"photo": upload(jpeg_bytes(), "first.jpg"), "description": "Peggy", "action": "save"},
    )
    with inspecting(app):
        before = db.session.get(Profile, pid)
        kept = (before.photo.data, before.photo.description, before.version)
    response = post_multipart(
        client,
        f"/profiles/{pid}/steps/photo",
        {"photo": upload(content, "photo.jpg"), "description": "Someone else", "action": "next"},
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True).lower()
    with inspecting(app):
        after = db.session.get(Profile, pid)
        assert (after.photo.data, after.photo.description, after.version) == kept


def test_a_photo_without_a_description_is_kept_and_described_plainly(app, client, create_profile):
    pid = create_profile(preferred_name="Peggy")
    response = client.post(
        f"/profiles/{pid}/steps/photo",
        data={"photo": (io.BytesIO(jpeg_bytes()), "p.jpg"), "description": "", "action": "save"},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "It is described as “Photo of Peggy”" in response.get_data(as_text=True)
    with inspecting(app):
        assert db.session.get(Profile, pid).photo.description == "Photo of Peggy"


def test_a_description_without_a_photo_says_to_choose_one(app, client, create_profile):
    pid = create_profile()
    response = client.post(
        f"/profiles/{pid}/steps/photo",
        data={"description": "Peggy in her garden", "action": "next"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose a photo to go with this description" in page
    assert "Peggy in her garden" in page


def test_review_shows_the_answers_and_marks_the_profile_ready(app, client, create_profile):
    pid = create_profile(
        statements={
            "appreciation": ["I always remember birthdays."],
            "important": ["My daughter Ann visits on Sundays."],
            "support": ["Please knock and wait."],
        }
    )
    page = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert "This profile fits on one page" in page
    assert primary_buttons(page) == ["Save and download the PDF"]
    assert "Please knock and wait." in page
    assert f"/profiles/{pid}/preview" in page
    agree_to(client, pid)
    response = client.post(
        f"/profiles/{pid}/steps/review",
        data={
            "paper": "Letter",
            "review_due-day": "26",
            "review_due-month": "5",
            "review_due-year": NEXT_YEAR,
            "action": "finish",
        },
        follow_redirects=True,
    )
    assert "Profile marked as ready to print." in response.get_data(as_text=True)
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        assert (profile.status, profile.paper, str(profile.review_due)) == (
            "ready",
            "Letter",
            f"{NEXT_YEAR}-05-26",
        )


def test_review_of_a_profile_too_long_for_one_page_says_what_to_shorten(
    app, client, create_profile
):
    long_support = [f"Statement {i}: " + "please read this carefully " * 20 for i in range(40)]
    pid = create_profile(statements={"support": long_support})
    page = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert "does not fit on one page yet" in page
    assert "How best to support me" in page and "remove about" in page
    assert "choose a larger paper or the Classic design" not in page  # it is both already
    # What can be done is to shorten it: that is the main button, and marking ready is not.
    assert primary_buttons(page) == ["Save and shorten “How best to support me”"]
    assert "Save and mark as ready to print" not in page
    assert 'value="goto:support">Save and shorten' in page
    agree_to(client, pid)
    response = client.post(
        f"/profiles/{pid}/steps/review",
        data={"paper": "A4", "action": "finish"},
        follow_redirects=True,
    )
    assert "still a draft" in response.get_data(as_text=True)
    with inspecting(app):
        assert db.session.get(Profile, pid).status == "draft"


def test_unknown_steps_and_profiles_are_not_found(client, create_profile):
    pid = create_profile()
    assert client.get(f"/profiles/{pid}/steps/nonsense").status_code == 404
    assert client.get("/profiles/999/steps/about").status_code == 404
    assert client.get("/profiles/999").status_code == 404


def test_statements_are_kept_exactly_as_typed_including_markup(app, client, create_profile):
    pid = create_profile()
    client.post(
        f"/profiles/{pid}/steps/support",
        data={"answer_0": '<img src="file:///etc/passwd"> & <b>bold</b>', "action": "save"},
    )
    assert texts(app, pid, "support") == ['<img src="file:///etc/passwd"> & <b>bold</b>']
    page = client.get(f"/profiles/{pid}/steps/support").get_data(as_text=True)
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in page
    with inspecting(app):
        assert db.session.scalar(select(func.count(Statement.id))) == 1


def test_a_request_far_too_large_gets_a_page_that_says_so(client, create_profile):
    pid = create_profile()
    response = post_multipart(
        client,
        f"/profiles/{pid}/steps/photo",
        {"photo": upload(bytes(21 * 1024 * 1024), "huge.jpg"), "action": "next"},
    )
    assert response.status_code == 413
    assert "That file is too large" in response.get_data(as_text=True)


def test_changing_a_ready_profile_makes_it_a_draft_again(app, client, create_profile):
    pid = create_profile(statements={"support": ["Knock first."]}, status="ready")
    data, _ = existing(app, pid, "support")
    client.post(f"/profiles/{pid}/steps/support", data={**data, "action": "next"})
    with inspecting(app):
        assert db.session.get(Profile, pid).status == "ready"  # nothing changed
    response = client.post(
        f"/profiles/{pid}/steps/support",
        data={**data, "answer_0": "Speak slowly.", "action": "next"},
        follow_redirects=True,
    )
    assert "so it is a draft again" in response.get_data(as_text=True)
    with inspecting(app):
        assert db.session.get(Profile, pid).status == "draft"


def test_moving_between_steps_does_not_make_other_pages_stale(app, client, create_profile):
    pid = create_profile()
    before = version(app, pid)
    client.post(f"/profiles/{pid}/steps/appreciation", data={"action": "goto:photo"})
    assert version(app, pid) == before
    client.post(f"/profiles/{pid}/steps/appreciation", data={"answer_0": "Puns.", "action": "save"})
    assert version(app, pid) == before + 1


def test_a_save_that_keeps_losing_races_is_refused_and_keeps_its_text(
    app, client, create_profile, monkeypatch
):
    from sqlalchemy import create_engine, text

    from profiles import database_uri
    from profiles.wizard import services as wizard_services

    pid = create_profile(statements={"important": ["Tea first thing."]})
    real_save = wizard_services.save_section

    def save_while_someone_else_saves(*args, **kwargs):
        engine = create_engine(database_uri(app.config["DATABASE_URL"]))
        with engine.begin() as connection:
            connection.execute(text("UPDATE profile SET version = version + 1"))
        engine.dispose()
        return real_save(*args, **kwargs)

    # Someone else saves in the same instant, every time this save is made again.
    monkeypatch.setattr(wizard_services, "save_section", save_while_someone_else_saves)
    # PostgreSQL would make the other saves wait for this one: here they go first regardless.
    monkeypatch.setattr(wizard_services, "wait_for_other_saves", lambda profile: None)
    data, _ = existing(app, pid, "important")
    response = client.post(
        f"/profiles/{pid}/steps/important",
        data={**data, "answer_0": "Chapel on Sundays.", "action": "next"},
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else saved changes to this profile" in page
    assert "Chapel on Sundays." in page
    assert texts(app, pid, "important") == ["Tea first thing."]


def test_a_statement_changed_on_an_older_page_and_saved_since_shows_both(
    app, client, create_profile
):
    pid = create_profile(statements={"support": ["Knock."]})
    old = version(app, pid)
    data, _ = existing(app, pid, "support")
    data["statements-0-text"] = "Knock twice and wait."
    client.post(f"/profiles/{pid}/steps/support", data={**data, "action": "save"})
    # A page that does not say what it showed: any difference is for the person to settle.
    data["statements-0-text"] = "Knock and wait for an answer."
    response = client.post(
        f"/profiles/{pid}/steps/support", data={**data, "version": old, "action": "save"}
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Your version" in page and "Their version, saved by Sam Keyworker" in page
    assert "Knock twice and wait." in page and "Knock and wait for an answer." in page
    assert texts(app, pid, "support") == ["Knock twice and wait."]


def test_an_emptied_statement_can_be_removed(app, client, create_profile):
    pid = create_profile(statements={"support": ["Knock.", "Speak slowly."]})
    data, ids = existing(app, pid, "support")
    data["statements-0-text"] = ""
    response = client.post(
        f"/profiles/{pid}/steps/support", data={**data, "action": f"remove:{ids[0]}"}
    )
    assert response.status_code == 302
    assert texts(app, pid, "support") == ["Speak slowly."]


def test_moving_a_statement_returns_to_it(app, client, create_profile):
    pid = create_profile(statements={"support": ["A", "B"]})
    data, ids = existing(app, pid, "support")
    response = client.post(
        f"/profiles/{pid}/steps/support", data={**data, "action": f"up:{ids[1]}"}
    )
    assert response.headers["Location"].endswith(f"/steps/support#statement-{ids[1]}")


def test_a_welsh_heading_on_an_english_profile_is_kept(app, client, create_profile):
    pid = create_profile()
    client.post(
        f"/profiles/{pid}/steps/important",
        data={"heading": "Beth sy'n bwysig i mi", "action": "save"},
    )
    with inspecting(app):
        assert db.session.get(Profile, pid).section("important").heading == "Beth sy'n bwysig i mi"


def test_save_and_download_uses_the_paper_just_chosen(app, client, create_profile):
    pid = create_profile(statements={"support": ["Knock first."]})
    response = client.post(
        f"/profiles/{pid}/steps/review",
        data={
            "paper": "Letter",
            "review_due-day": "26",
            "review_due-month": "5",
            "review_due-year": NEXT_YEAR,
            "action": "download",
        },
    )
    assert response.headers["Location"].endswith(f"/profiles/{pid}/steps/review")
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        assert (profile.paper, str(profile.review_due)) == ("Letter", f"{NEXT_YEAR}-05-26")


def test_a_download_after_a_corrected_date_shows_a_clean_page_saying_what_was_made(
    app, client, create_profile
):
    pid = create_profile(name="Margaret Okafor", statements={"support": ["Knock first."]})
    wrong = client.post(
        f"/profiles/{pid}/steps/review",
        data={
            "paper": "A4",
            "review_due-day": "31",
            "review_due-month": "2",
            "review_due-year": NEXT_YEAR,
            "action": "download",
        },
    )
    assert wrong.status_code == 400
    assert "There is a problem" in wrong.get_data(as_text=True)
    response = client.post(
        f"/profiles/{pid}/steps/review",
        data={
            "paper": "A4",
            "review_due-day": "26",
            "review_due-month": "2",
            "review_due-year": NEXT_YEAR,
            "action": "download",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" not in page and "Error:" not in page
    assert "PDF made for Margaret Okafor at 14 pt on A4 paper." in page
    # The page starts the download itself, without JavaScript, and links to it too.
    assert f'content="0; url=/profiles/{pid}/profile.pdf"' in page
    assert f'<a href="/profiles/{pid}/profile.pdf">download the PDF</a>' in page
    # Shown once: coming back to the page later neither says it again nor downloads again.
    again = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert "PDF made for" not in again and "http-equiv" not in again


def primary_buttons(page: str) -> list[str]:
    """The text of each main (not secondary) button on a page."""
    return [
        re.sub(r"<[^>]+>", "", text).strip()
        for text in re.findall(r'<button type="submit" class="button"[^>]*>(.*?)</button>', page)
    ]


def test_a_review_date_that_does_not_exist_is_refused_with_an_example(app, client, create_profile):
    pid = create_profile(review_due=date(2027, 1, 1))
    response = client.post(
        f"/profiles/{pid}/steps/review",
        data={
            "paper": "A4",
            "review_due-day": "31",
            "review_due-month": "2",
            "review_due-year": NEXT_YEAR,
            "action": "save",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Review date must be a real date" in page
    # What was typed is shown again, to be corrected.
    assert (
        'name="review_due-day" type="text" inputmode="numeric" autocomplete="off" value="31"'
        in page
    )
    with inspecting(app):
        assert db.session.get(Profile, pid).review_due == date(2027, 1, 1)


def test_a_nul_character_from_a_broken_client_is_not_stored(app, client, create_profile):
    pid = create_profile()
    response = client.post(
        f"/profiles/{pid}/steps/support", data={"answer_0": "Knock\x00 first.", "action": "save"}
    )
    assert response.status_code == 302
    assert texts(app, pid, "support") == ["Knock first."]


def test_the_error_summary_links_to_the_first_choice_of_a_question(client):
    page = client.post("/profiles/new", data={"name": "Tom"}).get_data(as_text=True)
    assert '<a href="#kind-0">Choose what kind of profile this is</a>' in page
    assert 'id="kind-0"' in page


def test_each_answer_box_is_described_by_its_help_and_examples(client, create_profile):
    pid = create_profile()
    page = client.get(f"/profiles/{pid}/steps/support").get_data(as_text=True)
    assert 'aria-describedby="answer_0-hint answer_0-examples"' in page
    assert 'id="answer_0-examples"' in page


def test_starting_with_only_a_name_works(app, client):
    response = client.post("/profiles/new", data={"kind": "adult", "name": "Tom Evans"})
    assert response.status_code == 302


ABOUT = {"name": "Margaret Jones", "preferred_name": "Peggy", "written_by": "", "language": "en"}


def test_consent_records_who_agreed_for_the_person_and_when(app, client, create_profile):
    pid = create_profile()
    response = client.post(
        f"/profiles/{pid}/steps/agree",
        data={
            "consent_self": "no",
            "consent_by": "Ann Jones",
            "consent_relationship": "daughter, with lasting power of attorney",
            "consent_date-day": "26",
            "consent_date-month": "5",
            "consent_date-year": "2026",
            "action": "next",
        },
    )
    assert response.status_code == 302
    with inspecting(app):
        profile = db.session.get(Profile, pid)
        assert (profile.consent_self, profile.consent_by, str(profile.consent_date)) == (
            False,
            "Ann Jones",
            "2026-05-26",
        )
    page = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert (
        "Ann Jones (daughter, with lasting power of attorney) agreed for Margaret Jones on "
        "26 May 2026" in page
    )


def test_consent_given_for_someone_needs_who_how_related_and_when(app, client, create_profile):
    pid = create_profile()
    response = client.post(
        f"/profiles/{pid}/steps/agree", data={"consent_self": "no", "action": "next"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for message in (
        "Enter the name of the person who agreed",
        "Enter the date they agreed",
        "Say how the person who agreed is related to them",
    ):
        assert message in page
    with inspecting(app):
        assert db.session.get(Profile, pid).consent_self is None


def test_the_start_page_says_what_each_kind_of_profile_is_for(client):
    page = client.get("/profiles/new").get_data(as_text=True)
    assert (
        '<p class="hint radio__hint" id="kind-0-hint">For an adult who is supported: what '
        "people appreciate about them" in page
    )
    assert 'aria-describedby="kind-0-hint"' in page
    assert "For a hospital stay: what staff must know about me (red)" in page


def test_a_step_keeps_its_examples_folded_away_and_has_one_main_button(client, create_profile):
    pid = create_profile()
    page = client.get(f"/profiles/{pid}/steps/support").get_data(as_text=True)
    # Each question's examples are there, closed, behind a control that needs no JavaScript.
    folded = re.findall(
        r'<details class="examples-toggle">\s*<summary>Show examples</summary>\s*'
        r'<div class="examples">\s*<p class="example example--poor">',
        page,
    )
    assert len(folded) == page.count('<div class="prompt">') - 1  # not "Anything else"
    assert len(folded) >= 4
    assert primary_buttons(page) == ["Save and continue"]
    assert "Save and stay on this page" in page
    assert "Save and add more" not in page


def test_the_step_list_says_which_steps_are_done_in_words(client, create_profile):
    pid = create_profile(statements={"appreciation": ["I always remember birthdays."]})
    page = client.get(f"/profiles/{pid}/steps/support").get_data(as_text=True)
    done = '<span class="progress__done"><span class="visually-hidden">, </span>Done</span>'
    assert f"About the person{done}</button>" in page
    assert f"What people appreciate about me{done}</button>" in page
    assert "What is important to me</button>" in page  # nothing saved in it yet
    assert "Photo</button>" in page and "Check and print</button>" in page


@pytest.mark.parametrize(
    ("kind", "fits", "does_not_fit"),
    [
        ("adult", "At least once a year", "hospital passport"),
        ("staff", "At least once a year", "hospital passport"),
        ("hospital", "Every six months", "once a year"),
    ],
)
def test_the_review_date_help_fits_the_kind_of_profile(
    client, create_profile, kind, fits, does_not_fit
):
    pid = create_profile(kind=kind)
    page = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    hint = re.search(r'<p class="hint" id="review_due-hint">(.*?)</p>', page).group(1)
    assert fits in hint
    assert does_not_fit not in hint


def test_a_profile_too_long_for_a5_is_offered_a_larger_paper_before_any_cutting(
    app, client, create_profile
):
    support = [
        f"Statement {i}: I like my tea strong with one sugar, in my own mug." for i in range(30)
    ]
    pid = create_profile(statements={"support": support})
    with inspecting(app):
        db.session.get(Profile, pid).paper = "A5"
        db.session.commit()
    page = client.get(f"/profiles/{pid}/steps/review").get_data(as_text=True)
    assert "does not fit on one page yet" in page
    assert "Or, without shortening anything, choose a larger paper or the Classic design" in page
