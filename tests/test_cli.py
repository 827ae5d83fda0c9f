"""The import and export commands, as the README documents them."""

from __future__ import annotations

import json

from sqlalchemy import select

from profiles.extensions import db
from profiles.models import Profile

from .conftest import EXAMPLES, inspecting


def profile_ids(app) -> list[int]:
    with inspecting(app):
        return list(db.session.scalars(select(Profile.id).order_by(Profile.id)))


def test_import_prints_each_new_id_alone_on_its_line(app, runner):
    result = runner.invoke(
        args=["import", str(EXAMPLES / "adult.json"), str(EXAMPLES / "team.json")]
    )
    assert result.exit_code == 0, result.output
    ids = profile_ids(app)
    assert len(ids) == 2
    assert result.stdout.splitlines() == [str(pid) for pid in ids]


def test_import_of_a_bad_file_prints_every_problem_and_imports_nothing(app, runner, tmp_path):
    bad = tmp_path / "bad.json"
    doc = json.loads((EXAMPLES / "adult.json").read_text())
    doc.update(kind="adlt", colour="blue")
    bad.write_text(json.dumps(doc))
    missing = tmp_path / "missing.json"
    result = runner.invoke(args=["import", str(EXAMPLES / "team.json"), str(bad), str(missing)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{bad}: colour: not a field of this format",
        f'{bad}: kind: must be one of adult, child, staff, team, hospital (this file has "adlt")',
        f"{missing}: cannot be read (No such file or directory)",
        "Nothing was imported. Fix these problems and import again.",
    ]
    assert profile_ids(app) == []


def test_import_of_a_file_that_is_not_json_says_where(app, runner, tmp_path):
    notes = tmp_path / "notes.json"
    notes.write_text('{"name": "Peggy",\n  "kind": adult}')
    result = runner.invoke(args=["import", str(notes)])
    assert result.exit_code == 1
    assert f"{notes}: line 2, column 11: not valid JSON" in result.stderr
    assert profile_ids(app) == []


def test_import_needs_a_file(runner):
    result = runner.invoke(args=["import"])
    assert result.exit_code != 0
    assert "Missing argument 'FILES...'" in result.output


def test_export_writes_the_profile_file_to_standard_output(app, runner, create_profile):
    pid = create_profile(name="Gwenllian Ŵyn", statements={"important": ["Te a bara brith."]})
    result = runner.invoke(args=["export", str(pid)])
    assert result.exit_code == 0
    doc = json.loads(result.stdout_bytes.decode("utf-8"))
    assert doc["name"] == "Gwenllian Ŵyn"
    assert doc["sections"][1] == {"key": "important", "items": ["Te a bara brith."]}
    assert "Gwenllian Ŵyn" in result.stdout  # written as text, not \u escapes


def test_export_to_a_file_then_import_gives_the_same_profile(app, runner, tmp_path):
    runner.invoke(args=["import", str(EXAMPLES / "adult.json")])
    (pid,) = profile_ids(app)
    out = tmp_path / "peggy.json"
    result = runner.invoke(args=["export", str(pid), "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text("utf-8")) == json.loads((EXAMPLES / "adult.json").read_text())
    again = runner.invoke(args=["import", str(out)])
    second = int(again.stdout.strip())
    copy = tmp_path / "copy.json"
    runner.invoke(args=["export", str(second), "--output", str(copy)])
    assert copy.read_bytes() == out.read_bytes()


def test_export_of_an_unknown_id_says_so(runner):
    result = runner.invoke(args=["export", "999"])
    assert result.exit_code == 1
    assert "There is no profile with the id 999" in result.stderr
    assert result.stdout == ""


def test_export_to_a_folder_that_does_not_exist_says_so(runner, create_profile, tmp_path):
    pid = create_profile()
    out = tmp_path / "missing" / "peggy.json"
    result = runner.invoke(args=["export", str(pid), "-o", str(out)])
    assert result.exit_code == 1
    assert f"Could not write {out}: No such file or directory." in result.stderr
    assert not out.exists()
