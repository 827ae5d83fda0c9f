"""Profile files: checking them against the format, importing all or nothing, exporting."""

from __future__ import annotations

import base64
import copy
import io
import json

import pytest
from PIL import Image
from sqlalchemy import func, select

from profiles.extensions import db
from profiles.kinds import load_kinds
from profiles.models import Profile
from profiles.render import DESIGNS
from profiles.transfer.importer import ImportProblems, export_json, import_files, read_document
from profiles.transfer.validate import validate_document

from .conftest import EXAMPLES, acting_for

# The designs a file may name, as the import's messages list them.
CHOICES = ", ".join(DESIGNS)

KINDS = load_kinds()


def adult(**fields) -> dict:
    """A small valid adult profile, with fields replaced or added."""
    doc = {
        "format": "one-page-profile",
        "version": 1,
        "kind": "adult",
        "name": "Margaret Jones",
        "sections": [
            {"key": "appreciation", "items": ["I make people feel welcome."]},
            {"key": "important", "items": ["My daughter Ann visits on Tuesdays."]},
            {"key": "support", "items": ["Please knock and wait."]},
        ],
    }
    doc.update(fields)
    return doc


def as_file(doc: object) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def jpeg_base64(size=(240, 160), **params) -> str:
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (size[0] // 2, 0, size[0], size[1]))
    out = io.BytesIO()
    image.save(out, "JPEG", **params)
    return base64.b64encode(out.getvalue()).decode("ascii")


def problems(doc: object) -> list[str]:
    return validate_document(doc, KINDS)


def profile_count(app) -> int:
    with acting_for(app):
        return db.session.scalar(select(func.count()).select_from(Profile))


def export_of(app, profile_id: int) -> dict:
    with acting_for(app):
        return json.loads(export_json(db.session.get(Profile, profile_id)))


# Checking a document


def test_the_format_documents_the_limits_the_app_keeps():
    from profiles import models as m
    from profiles.photos import MAX_PHOTO_MB

    text = (EXAMPLES.parent / "docs" / "profile-format.md").read_text()
    rows = [line.strip("| ").split(" | ") for line in text.splitlines() if line.startswith("| ")]
    rules = {row[0]: row[2] for row in rows if len(row) == 3}  # field, required, rule
    expected = {
        "name": f"1 to {m.MAX_NAME} characters",
        "preferred_name": f"at most {m.MAX_PREFERRED_NAME} characters",
        "written_by": f"at most {m.MAX_WRITTEN_BY} characters",
        "photo": f"at most {MAX_PHOTO_MB} MB decoded",
        "facts": f"at most {m.MAX_FACTS} `{{label, value}}` pairs, each at most "
        f"{m.MAX_FACT_LABEL} / {m.MAX_FACT_VALUE} characters",
        "sections[].heading": f"at most {m.MAX_HEADING} characters",
        "sections[].items": f"at most {m.MAX_STATEMENTS} statements, each a string of 1 to "
        f"{m.MAX_STATEMENT} characters",
    }
    for field, phrase in expected.items():
        assert phrase in rules[field], (field, rules[field])
    assert f"(alt text) at most {m.MAX_PHOTO_DESCRIPTION} characters" in rules["photo"]


@pytest.mark.parametrize("name", ["adult.json", "team.json"])
def test_the_example_files_follow_the_format(name):
    doc, found = read_document((EXAMPLES / name).read_bytes())
    assert found == []
    assert problems(doc) == []


def test_every_problem_is_listed_with_its_place():
    doc = adult(
        version=True,
        name="   ",
        colour="blue",
        language="fr",
        photo={"media_type": "image/png", "data": "not base64!"},
        facts=[{"label": "NHS number", "value": "943 476 5919", "colour": "red"}],
        sections=[
            {"key": "support", "items": ["Knock first."]},
            {"key": "important", "items": ["Tea.", "Chapel.", "Birds.", "  " + "x" * 712 + "  "]},
            {"key": "future", "items": []},
            {"key": "support", "heading": "H" * 81, "items": ["   ", 7]},
        ],
        review_due="26/05/2027",
        layout={"design": "fancy", "paper": "A3"},
    )
    assert problems(doc) == [
        "colour: not a field of this format",
        "version: must be the integer 1, not true",
        "name: must not be empty",
        'language: must be en or cy, not "fr"',
        "photo.data: not valid base64",
        "facts[0].colour: not a field of this format",
        "sections[1].items[3]: at most 600 characters (this one has 712)",
        'sections[2].key: "future" is not a section of the adult kind '
        "(adult has appreciation, important, support)",
        'sections[3].key: "support" appears twice (also at sections[0])',
        "sections[3].heading: at most 80 characters (this one has 81)",
        "sections[3].items[0]: must not be empty",
        "sections[3].items[1]: must be text, not the number 7",
        'review_due: must be a date written YYYY-MM-DD, not "26/05/2027"',
        f'layout.design: "fancy" is not a layout (choose from {CHOICES})',
        'layout.paper: must be A4, Letter or A5, not "A3"',
    ]


def test_required_fields_are_named():
    assert problems({"name": "Margaret Jones"}) == [
        "format: required",
        "version: required",
        "kind: required",
        "sections: required",
    ]
    doc = adult()
    del doc["name"]
    assert problems(doc) == ["name: required"]


def test_kind_must_be_one_the_app_has():
    assert problems(adult(kind="adlt")) == [
        'kind: must be one of adult, child, staff, team, hospital (this file has "adlt")'
    ]


def test_wrong_format_and_version_are_refused():
    assert problems(adult(format="care-plan", version=2)) == [
        'format: must be "one-page-profile", not "care-plan"',
        "version: must be the integer 1, not the number 2",
    ]
    assert problems(adult(version=1.0)) == ["version: must be the integer 1, not the number 1.0"]


def test_limits_on_lengths_and_counts():
    doc = adult(
        name="N" * 121,
        preferred_name="P" * 61,
        written_by="W" * 201,
        facts=[{"label": "L" * 61, "value": "V" * 201}] + [{"label": "a", "value": "b"}] * 12,
        sections=[{"key": "support", "items": ["Knock."] * 41}],
    )
    assert problems(doc) == [
        "name: at most 120 characters (this one has 121)",
        "preferred_name: at most 60 characters (this one has 61)",
        "written_by: at most 200 characters (this one has 201)",
        "facts: at most 12 facts (this file has 13)",
        "facts[0].label: at most 60 characters (this one has 61)",
        "facts[0].value: at most 200 characters (this one has 201)",
        "sections[0].items: at most 40 statements (this one has 41)",
    ]


def test_text_is_measured_after_trimming_only_where_the_format_says():
    doc = adult(
        name="  " + "N" * 120 + "  ",
        sections=[{"key": "support", "items": ["\n " + "x" * 600 + " \t"]}],
    )
    assert problems(doc) == []
    assert problems(adult(preferred_name=" " + "P" * 60)) == [
        "preferred_name: at most 60 characters (this one has 61)"
    ]


def test_wrong_json_types_are_named():
    doc = adult(
        name=["Margaret"],
        sections={"key": "support"},
        facts="NHS number",
        photo="peggy.jpg",
        layout="classic",
        review_due=20270526,
    )
    assert problems(doc) == [
        "name: must be text, not a list",
        'photo: must be a JSON object, not "peggy.jpg"',
        'facts: must be a list, not "NHS number"',
        "sections: must be a list, not an object",
        "review_due: must be a date written YYYY-MM-DD, not the number 20270526",
        'layout: must be a JSON object, not "classic"',
    ]
    assert problems([adult()]) == ["the file: must be a JSON object, not a list"]
    assert problems(adult(sections=[None])) == ["sections[0]: must be a JSON object, not null"]
    assert problems(adult(layout={"design": ["classic"]})) == [
        f"layout.design: a list is not a layout (choose from {CHOICES})"
    ]


def test_review_date_must_be_real():
    assert problems(adult(review_due="2027-02-30")) == ["review_due: 2027-02-30 is not a real date"]
    assert problems(adult(review_due="2027-5-26")) == [
        'review_due: must be a date written YYYY-MM-DD, not "2027-5-26"'
    ]


def test_photo_must_be_the_image_it_says_it_is():
    assert problems(adult(photo={"media_type": "image/png", "data": jpeg_base64()})) == [
        "photo.data: does not decode as image/png (it is a JPEG image)"
    ]
    pdf = base64.b64encode(b"%PDF-1.7\n%%EOF").decode()
    assert problems(adult(photo={"media_type": "image/jpeg", "data": pdf})) == [
        "photo.data: does not decode as image/jpeg (it is a PDF)"
    ]
    assert problems(adult(photo={"media_type": "image/gif", "data": "", "alt": "x"})) == [
        "photo.alt: not a field of this format",
        'photo.media_type: must be image/jpeg, image/png or image/webp, not "image/gif"',
        "photo.data: does not decode as a JPEG, PNG or WebP image (the file is empty)",
    ]
    assert problems(adult(photo={"description": "Peggy"})) == [
        "photo.media_type: required",
        "photo.data: required",
    ]


def test_photo_over_10_mb_is_refused():
    data = base64.b64encode(b"\xff\xd8\xff" + b"\x00" * (10 * 1024 * 1024)).decode()
    assert problems(adult(photo={"media_type": "image/jpeg", "data": data})) == [
        "photo.data: at most 10 MB decoded (this one has 10.1 MB)"
    ]


def test_base64_may_be_wrapped_over_lines():
    data = jpeg_base64()
    wrapped = "\n".join(data[i : i + 76] for i in range(0, len(data), 76))
    assert problems(adult(photo={"media_type": "image/jpeg", "data": wrapped})) == []


def test_characters_that_cannot_be_stored_are_refused():
    doc = adult(name="Peggy\u0000", sections=[{"key": "support", "items": ["\ud800 tea"]}])
    assert problems(doc) == [
        "name: contains a character that cannot be stored (\\u0000)",
        "sections[0].items[0]: contains a character that cannot be stored (\\ud800)",
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'{"name": "Peggy",\n "kind" "adult"}', "line 2, column 9: not valid JSON (Expecting ':'"),
        (b"\xff\xfe{}", "not UTF-8 text (byte 1 cannot be read): save the file as UTF-8"),
        (b'{"version": NaN}', "not valid JSON (NaN is not allowed in JSON)"),
        (b"", "line 1, column 1: not valid JSON (Expecting value)"),
    ],
)
def test_files_that_are_not_json_say_where(raw, expected):
    doc, found = read_document(raw)
    assert doc is None
    assert len(found) == 1 and found[0].startswith(expected)


def test_a_file_over_20_mb_is_refused_before_it_is_read():
    doc, found = read_document(b" " * (20 * 1024 * 1024 + 1))
    assert doc is None
    assert found == ["the file is 20.1 MB; a profile file can be up to 20 MB"]


def test_a_key_written_twice_is_a_problem():
    raw = b'{"format": "one-page-profile", "version": 1, "kind": "adult", "name": "Peggy",'
    raw += b' "name": "Margaret", "sections": []}'
    doc, found = read_document(raw)
    assert found == []
    assert problems(doc) == ["name: written more than once"]


def test_utf8_with_a_byte_order_mark_is_read():
    doc, found = read_document(b"\xef\xbb\xbf" + as_file(adult()))
    assert found == [] and doc["name"] == "Margaret Jones"


# Importing


def test_importing_the_adult_example_then_exporting_gives_back_the_file(app):
    original = (EXAMPLES / "adult.json").read_bytes()
    with acting_for(app):
        (pid,) = import_files([("adult.json", original)])
        profile = db.session.get(Profile, pid)
        assert (profile.name, profile.preferred_name) == ("Margaret Jones", "Peggy")
        assert (profile.status, profile.step) == ("draft", "review")
        assert [s.key for s in profile.sections] == ["appreciation", "important", "support"]
        assert (
            profile.sections[2].statements[5].text == "Please knock and wait for me to say come in."
        )
        assert str(profile.review_due) == "2027-05-26"
    assert export_of(app, pid) == json.loads(original)


def test_importing_the_team_example_fills_in_defaults(app):
    with acting_for(app):
        (pid,) = import_files([("team.json", (EXAMPLES / "team.json").read_bytes())])
    exported = export_of(app, pid)
    assert exported["kind"] == "team"
    assert [s["key"] for s in exported["sections"]] == [
        "purpose",
        "appreciation",
        "important",
        "support",
    ]
    assert exported["language"] == "en"
    assert exported["layout"] == {"design": "classic", "paper": "A4"}


def test_sections_keep_the_files_order_and_missing_ones_follow_empty(app):
    doc = adult(
        sections=[
            {"key": "support", "heading": "Helping me", "items": ["Knock.", "Wait."]},
            {"key": "appreciation", "items": []},
        ]
    )
    with acting_for(app):
        (pid,) = import_files([("peggy.json", as_file(doc))])
    assert export_of(app, pid)["sections"] == [
        {"key": "support", "heading": "Helping me", "items": ["Knock.", "Wait."]},
        {"key": "appreciation", "items": []},
        {"key": "important", "items": []},
    ]


def test_a_profile_with_no_sections_gets_every_section_of_its_kind(app):
    doc = adult(kind="child", name="Ffion", sections=[])
    with acting_for(app):
        (pid,) = import_files([("ffion.json", as_file(doc))])
    exported = export_of(app, pid)
    assert [s["key"] for s in exported["sections"]] == [
        "appreciation",
        "important",
        "support",
        "future",
    ]
    assert all(s["items"] == [] for s in exported["sections"])


def test_text_is_kept_exactly_as_written(app):
    doc = adult(
        name="  Margaret Jones ",
        preferred_name=" Peggy ",
        sections=[{"key": "support", "items": ["  <b>Knock</b> & wait  ", "Café Ŵ 🫖"]}],
    )
    with acting_for(app):
        (pid,) = import_files([("peggy.json", as_file(doc))])
    exported = export_of(app, pid)
    assert exported["name"] == "  Margaret Jones "
    assert exported["preferred_name"] == " Peggy "
    assert exported["sections"][0]["items"] == ["  <b>Knock</b> & wait  ", "Café Ŵ 🫖"]


def test_export_then_import_gives_back_the_same_profile_and_photo(app):
    doc = adult(
        preferred_name="Peggy",
        language="cy",
        written_by="Peggy, with Ann",
        photo={
            "media_type": "image/jpeg",
            "data": jpeg_base64((1800, 1200), comment=b"Room 12"),
            "description": "Peggy laughing in her garden",
        },
        facts=[{"label": "NHS number", "value": "943 476 5919"}, {"label": "GP", "value": ""}],
        sections=[
            {"key": "important", "heading": "Pethau pwysig", "items": ["Te.", "Capel."]},
            {"key": "appreciation", "heading": "Great things about me", "items": ["Puns."]},
            {"key": "support", "items": []},
        ],
        review_due="2027-05-26",
        layout={"design": "classic", "paper": "Letter"},
    )
    with acting_for(app):
        (first,) = import_files([("peggy.json", as_file(doc))])
    exported = export_of(app, first)
    with acting_for(app):
        (second,) = import_files([("again.json", export_json_bytes(exported))])
    again = export_of(app, second)
    assert again == exported
    cleaned = {k: v for k, v in exported["photo"].items() if k != "data"}
    assert cleaned == {"media_type": "image/jpeg", "description": "Peggy laughing in her garden"}
    assert exported == {**doc, "photo": exported["photo"]}
    photo = Image.open(io.BytesIO(base64.b64decode(exported["photo"]["data"])))
    assert photo.size == (1200, 800) and "comment" not in photo.info


def export_json_bytes(doc: dict) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def test_one_bad_file_means_nothing_is_imported(app):
    good = (EXAMPLES / "adult.json").read_bytes()
    bad = as_file(adult(kind="adlt", name=""))
    with app.app_context(), pytest.raises(ImportProblems) as error:
        import_files([("adult.json", good), ("bad.json", bad), ("worse.json", b"[1, 2")])
    assert error.value.problems == [
        'bad.json: kind: must be one of adult, child, staff, team, hospital (this file has "adlt")',
        "bad.json: name: must not be empty",
        "worse.json: line 1, column 6: not valid JSON (Expecting ',' delimiter)",
    ]
    assert profile_count(app) == 0


def test_several_files_are_imported_together(app):
    files = [(name, (EXAMPLES / name).read_bytes()) for name in ("adult.json", "team.json")]
    with acting_for(app):
        ids = import_files(files)
    assert len(ids) == 2 and profile_count(app) == 2
    assert [export_of(app, pid)["name"] for pid in ids] == [
        "Margaret Jones",
        "Riverside Wellbeing Team",
    ]


def test_photo_description_is_kept_and_location_removed(app):
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 26.0)}
    doc = adult(photo={"media_type": "image/jpeg", "data": jpeg_base64(exif=exif)})
    with acting_for(app):
        (pid,) = import_files([("peggy.json", as_file(doc))])
        photo = db.session.get(Profile, pid).photo
        assert b"Exif" not in photo.data
        assert (photo.width, photo.height, photo.description) == (240, 160, "")


def test_importing_the_same_file_twice_makes_two_profiles(app):
    raw = (EXAMPLES / "adult.json").read_bytes()
    with acting_for(app):
        first = import_files([("adult.json", raw)])
        second = import_files([("adult.json", raw)])
    assert first != second and profile_count(app) == 2


def test_checking_does_not_change_the_document():
    doc = adult(sections=[{"key": "support", "items": ["  Knock.  "]}])
    before = copy.deepcopy(doc)
    problems(doc)
    assert doc == before


# On the web


def upload(client, *files: tuple[str, bytes]):
    data = {"files": [(io.BytesIO(raw), name) for name, raw in files]}
    return client.post("/import", data=data, content_type="multipart/form-data")


def test_import_page_explains_what_to_choose(client):
    page = client.get("/import").get_data(as_text=True)
    assert "<h1>Import profiles</h1>" in page
    assert '<label class="label" for="files">Profile files</label>' in page
    assert "If any file has a problem, nothing is imported" in page
    assert 'type="file"' in page and "multiple" in page
    assert 'enctype="multipart/form-data"' in page


def test_uploading_profiles_imports_them_and_says_how_many(app, client):
    files = [(name, (EXAMPLES / name).read_bytes()) for name in ("adult.json", "team.json")]
    response = upload(client, *files)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "2 profiles were imported as drafts. Check each one before you print it." in page
    assert profile_count(app) == 2


def test_a_bad_upload_lists_every_problem_and_imports_nothing(app, client):
    good = ("adult.json", (EXAMPLES / "adult.json").read_bytes())
    bad = ("peggy<b>.json", as_file(adult(name="", layout={"design": "fancy"})))
    response = upload(client, good, bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was imported. Fix these problems in the file and upload it again." in page
    assert "peggy&lt;b&gt;.json: 2 problems" in page
    assert "<li>name: must not be empty</li>" in page
    wrong_design = f"layout.design: &#34;fancy&#34; is not a layout (choose from {CHOICES})"
    assert f"<li>{wrong_design}</li>" in page
    assert "<title>Error: Import profiles" in page
    assert profile_count(app) == 0


def test_a_file_that_is_not_json_says_where(client):
    response = upload(client, ("notes.txt", b"Peggy likes tea"))
    assert response.status_code == 422
    assert "line 1, column 1: not valid JSON" in response.get_data(as_text=True)


def test_uploading_without_a_file_asks_for_one(client):
    response = client.post("/import", data={}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#files">Choose at least one profile file to import</a>' in page


def test_download_is_the_profile_file_named_by_id_only(app, client, create_profile):
    pid = create_profile(name="Margaret Jones", statements={"support": ["Knock first."]})
    response = client.get(f"/profiles/{pid}/export.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == f'attachment; filename="profile-{pid}.json"'
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json() == export_of(app, pid)
    assert response.get_json()["sections"][2] == {"key": "support", "items": ["Knock first."]}


def test_downloaded_file_uploads_again_as_the_same_profile(app, client):
    upload(client, ("adult.json", (EXAMPLES / "adult.json").read_bytes()))
    with acting_for(app):
        (pid,) = db.session.scalars(select(Profile.id)).all()
    downloaded = client.get(f"/profiles/{pid}/export.json").data
    assert upload(client, ("profile.json", downloaded)).status_code == 302
    with acting_for(app):
        ids = db.session.scalars(select(Profile.id).order_by(Profile.id)).all()
    assert client.get(f"/profiles/{ids[1]}/export.json").data == downloaded
    assert json.loads(downloaded) == json.loads((EXAMPLES / "adult.json").read_bytes())


def test_download_of_an_unknown_profile_is_not_found(client):
    assert client.get("/profiles/999/export.json").status_code == 404
