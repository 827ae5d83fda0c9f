"""How long the command line takes, whole process from start to exit, as people run it.

Run from the project root:  .venv/bin/python benchmarks/commands.py [--instructions]
It prints the figures as Markdown for benchmarks/README.md.

Each command runs in a fresh process, against an app in a temporary folder holding the
benchmark's profile (the same one as render.py: it needs fitting). The baseline, measured in
the same run, is a bare script that imports WeasyPrint and prints one page. Commands take
turns, round after round, so that noise from the rest of the machine falls on all alike.
Python's bytecode is cached (in a temporary folder), as it is in any installed app.

Times on a shared virtual machine vary from minute to minute by a third or more. With
--instructions each command also runs once under valgrind's callgrind, which counts the
instructions it and every process it starts execute: the same count on every run, so
its ratios hold whatever the machine was doing (it takes a few minutes).
"""

from __future__ import annotations

import json
import os
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from render import cpu_model, document

ROUNDS = 15
FLASK = [sys.executable, "-m", "flask", "--app", "profiles"]
BARE = "import weasyprint; weasyprint.HTML(string='<p>Hello</p>').write_pdf('bare.pdf')"


def environment(folder: Path) -> dict[str, str]:
    """The app in folder, with bytecode cached there as an installed app would have it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROFILES_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        PYTHONPYCACHEPREFIX=str(folder / "bytecode"),
        PROFILES_DATABASE_URL=f"sqlite:///{folder / 'profiles.db'}",
        PROFILES_SECRET_KEY="benchmark",
    )
    return env


def run(command: list[str], folder: Path, env: dict[str, str], stdin: str = "") -> str:
    result = subprocess.run(
        command, cwd=folder, env=env, input=stdin, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr}")
    return result.stdout


def set_up(folder: Path, env: dict[str, str]) -> str:
    """An organisation and the benchmark's profile; its id."""
    password = "kettle garden bluebell\n" * 2
    admin = ["create-admin", "--organisation", "Benchmark Care Home", "--email",
             "sam@benchmark.example", "--name", "Sam Keyworker"]  # fmt: skip
    run([*FLASK, *admin], folder, env, stdin=password)
    (folder / "profile.json").write_text(json.dumps(document()))
    return run([*FLASK, "import", "profile.json"], folder, env).strip()


def forget_prints(folder: Path) -> None:
    """Empty the print cache, so that the next render lays the page out."""
    with sqlite3.connect(folder / "profiles.db") as connection:
        connection.execute("DELETE FROM render_result")


def cpu_of_children() -> float:
    """CPU seconds used so far by the processes this one started, and by theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(
    commands: dict[str, tuple[list[str], bool]], folder: Path, env: dict, rounds: int = ROUNDS
) -> dict[str, tuple[float, float]]:
    """The median wall time and CPU time of each command, whole process.

    Commands marked True start with an empty print cache. CPU time counts the command and
    what it started (a print's child process, a library search), whatever else the
    machine was doing.
    """
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for round_ in range(rounds + 1):  # the first round warms the bytecode and disk caches
        for name, (command, fresh) in commands.items():
            if fresh:
                forget_prints(folder)
            wall, cpu = time.perf_counter(), cpu_of_children()
            run(command, folder, env)
            if round_:
                times[name].append((time.perf_counter() - wall, cpu_of_children() - cpu))
    return {
        name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
        for name, values in times.items()
    }


def commands(profile_id: str) -> dict[str, tuple[list[str], bool]]:
    """What is timed: each command, and whether it starts with an empty print cache."""
    render = [*FLASK, "render", profile_id, "-o", "profile.pdf"]
    return {
        "bare": ([sys.executable, "-c", BARE], False),
        "fitted": (render, True),
        "cached": (render, False),
        "export": ([*FLASK, "export", profile_id, "-o", "profile.json"], False),
    }


def instructions(command: list[str], folder: Path, env: dict[str, str]) -> int:
    """How many instructions the command, and every process it starts, execute."""
    callgrind = ["valgrind", "--tool=callgrind", "--trace-children=yes",
                 "--callgrind-out-file=/dev/null"]  # fmt: skip
    result = subprocess.run(
        [*callgrind, *command], cwd=folder, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed under callgrind: {result.stderr}")
    return sum(int(n) for n in re.findall(r"Collected : (\d+)", result.stderr))


def counted(commands: dict[str, tuple[list[str], bool]], folder: Path, env: dict) -> dict:
    """Each command's instruction count, run once after the timed rounds."""
    counts = {}
    for name, (command, fresh) in commands.items():
        if fresh:
            forget_prints(folder)
        counts[name] = instructions(command, folder, env)
    return counts


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = environment(folder)
        measured = commands(set_up(folder, env))
        medians = timed(measured, folder, env)
        counts = counted(measured, folder, env) if "--instructions" in sys.argv else {}
    bare_wall, bare_cpu = medians["bare"]
    print(f"Machine: {cpu_model()}, {os.cpu_count()} cores; Python {sys.version.split()[0]}; "
          f"medians of {ROUNDS} rounds after a warm-up round, whole processes.")  # fmt: skip
    print()
    print("| command | wall, median | ratio | CPU, median | ratio | target |")
    print("|---|---:|---:|---:|---:|---|")
    rows = [
        ("bare script: import WeasyPrint, print one page", "bare", ""),
        ("`render`, a profile that needs fitting (nothing cached)", "fitted", "0.8 s"),
        ("`render`, the same profile unchanged (cached)", "cached", "0.5 s"),
        ("`export`", "export", "0.5 s"),
    ]
    for label, key, target in rows:
        wall, cpu = medians[key]
        print(f"| {label} | {wall:.3f} s | {wall / bare_wall:.2f} | {cpu:.3f} s "
              f"| {cpu / bare_cpu:.2f} | {target} |")  # fmt: skip
    print()
    print("Ratios are to the bare script of the same run.")
    if counts:
        print()
        print("| command | instructions | ratio to the bare script |")
        print("|---|---:|---:|")
        for label, key, _ in rows:
            print(f"| {label} | {counts[key] / 1e9:.2f} G | {counts[key] / counts['bare']:.2f} |")


if __name__ == "__main__":
    main()
