"""The printing benchmark still runs against the app as it is now."""

import importlib.util
from pathlib import Path

from .conftest import inspecting

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "render.py"


def test_the_benchmarks_cached_repeat_renders_from_the_cache(tmp_path):
    spec = importlib.util.spec_from_file_location("render_benchmark", BENCHMARK)
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    app, repeat = benchmark.cached_repeat(str(tmp_path))
    repeat()  # asserts the repeat came from the cache and fits one page
    with inspecting(app):
        from profiles.extensions import db

        db.engine.dispose()
