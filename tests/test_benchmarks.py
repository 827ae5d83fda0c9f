"""The benchmarks still run against the app as it is now."""

import importlib.util
import json
import sys
from pathlib import Path

from pypdf import PdfReader

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def load(name: str):
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location(
            f"benchmark_{name}", BENCHMARKS / f"{name}.py"
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCHMARKS))
    return module


def test_the_printing_benchmarks_cached_repeat_comes_from_the_cache(tmp_path):
    benchmark = load("render")
    app, repeat = benchmark.cached_repeat(str(tmp_path))
    repeat()  # asserts the repeat came from the cache and fits one page
    with app.app_context():
        from profiles.extensions import db

        db.engine.dispose()


def test_the_printing_benchmark_times_every_design_on_a_profile_its_page_holds():
    benchmark = load("render")
    from profiles.kinds import load_kinds
    from profiles.render import DESIGNS, fit

    rows = benchmark.per_design(load_kinds()["adult"], fit.font_config(), repeats=1)
    assert [row[0] for row in rows] == list(DESIGNS)
    for _, statements, size, layouts, plain, fitted in rows:
        assert statements >= 1 and size is not None and layouts >= 1
        assert plain[1] > 0 and fitted[1] > 0


def test_the_command_benchmark_runs_each_command_as_people_do(tmp_path):
    benchmark = load("commands")
    env = benchmark.environment(tmp_path)
    profile_id = benchmark.set_up(tmp_path, env)
    medians = benchmark.timed(benchmark.commands(profile_id), tmp_path, env, rounds=1)
    assert set(medians) == {"bare", "fitted", "cached", "export"}
    assert len(PdfReader(tmp_path / "profile.pdf").pages) == 1
    assert json.loads((tmp_path / "profile.json").read_text())["name"] == "Margaret Jones"


def test_the_batch_benchmark_prints_through_the_job_path_and_measures_memory():
    benchmark = load("batch")
    times = benchmark.speed(3)
    assert times["pages"] == 3 and times["job"] > 0 and times["plain"] > 0
    figures = benchmark.memory(4)
    assert figures["pages"] == 4
    assert 0 < figures["self"] <= figures["rss"] < 500


def test_the_editing_benchmark_loses_no_statement_and_keeps_the_limit():
    benchmark = load("editing")
    from profiles.models import MAX_STATEMENTS

    row = benchmark.measure("sqlite", clients=3, seconds=1.5)
    assert row["attempted"] > 0 and not row["failures"]
    assert row["lost"] == 0 and row["unexpected"] == 0
    assert row["expected"] == row["found"]
    assert row["largest"] <= MAX_STATEMENTS
    assert not row["refused_other"] and not row["conflicts"] and not row["lost_races"]
    assert "| sqlite | 3 |" in benchmark.table([row])
