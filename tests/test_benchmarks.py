"""The benchmarks still run against the app as it is now."""

import importlib.util
import sys
from pathlib import Path

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
