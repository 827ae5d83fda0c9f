"""Kinds of profile, read from the TOML files beside this module and checked at start-up."""

from __future__ import annotations

import calendar
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .checks import CHECKS, same_label

KINDS_DIR = Path(__file__).parent
LANGUAGES = ("en", "cy")
MIN_PROMPTS, MAX_PROMPTS = 4, 7
# A section's heading, the kind's or a profile's own: the longest a page prints.
MAX_HEADING = 80
# Key facts a profile holds, and a fact's label: the kinds' declared facts keep to these too.
MAX_FACTS = 12
MAX_FACT_LABEL = 60
# The wizard's own steps, which a section's key must not take.
STEP_NAMES = ("about", "facts", "photo", "agree", "review")
# How often a kind may ask for its profiles to be reviewed, in months.
MIN_REVIEW_MONTHS, MAX_REVIEW_MONTHS = 1, 24


class KindError(Exception):
    """A kind file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Prompt:
    question: str
    help: str
    poor: str
    good: str


@dataclass(frozen=True)
class SectionDef:
    key: str
    headings: dict[str, str]
    intro: str
    prompts: tuple[Prompt, ...]

    def heading(self, language: str = "en") -> str:
        return self.headings.get(language) or self.headings["en"]


@dataclass(frozen=True)
class FactDef:
    """A key fact a kind asks for, such as the NHS number on a hospital passport."""

    key: str
    labels: dict[str, str]  # as it prints, by language
    hint: str
    check: str | None = None  # the name of one of checks.CHECKS, such as nhs_number

    def label(self, language: str = "en") -> str:
        return self.labels.get(language) or self.labels["en"]


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    description: str
    sections: tuple[SectionDef, ...]
    order: int = 0  # where the kind comes in lists
    facts: tuple[FactDef, ...] = ()  # the key facts it asks for, in print order
    review_months: int = 12  # how long after a review the next is due, by default

    @property
    def section_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.sections)

    def section(self, key: str) -> SectionDef:
        return next(s for s in self.sections if s.key == key)

    def next_review(self, today: date | None = None) -> date:
        """When a profile of this kind reviewed (or made) today is next due."""
        return months_after(today or date.today(), self.review_months)


def months_after(day: date, months: int) -> date:
    """The same day so many months later; the month's last day where it is shorter
    (31 August and six months is 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _text(table: dict, field: str, place: str, max_len: int = 600) -> str:
    value = table.get(field)
    if not isinstance(value, str) or not value.strip():
        raise KindError(f"{place}: '{field}' must be non-empty text")
    if len(value) > max_len:
        raise KindError(f"{place}: '{field}' has {len(value)} characters, at most {max_len}")
    return value.strip()


def _section(table: object, place: str) -> SectionDef:
    if not isinstance(table, dict):
        raise KindError(f"{place}: must be a table")
    key = _text(table, "key", place, 30)
    if key in STEP_NAMES:
        raise KindError(f"{place}: the key '{key}' is a step of the wizard: choose another")
    headings = {"en": _text(table, "heading", place, MAX_HEADING)}
    if "heading_cy" in table:
        headings["cy"] = _text(table, "heading_cy", place, MAX_HEADING)
    prompts = table.get("prompts")
    if not isinstance(prompts, list) or not MIN_PROMPTS <= len(prompts) <= MAX_PROMPTS:
        count = len(prompts) if isinstance(prompts, list) else 0
        raise KindError(f"{place}: needs {MIN_PROMPTS} to {MAX_PROMPTS} [[prompts]], found {count}")
    parsed = []
    for i, prompt in enumerate(prompts):
        where = f"{place}.prompts[{i}]"
        if not isinstance(prompt, dict):
            raise KindError(f"{where}: must be a table")
        parsed.append(
            Prompt(*(_text(prompt, f, where, 300) for f in ("question", "help", "poor", "good")))
        )
    return SectionDef(key, headings, _text(table, "intro", place, 300), tuple(parsed))


def _fact(table: object, place: str) -> FactDef:
    if not isinstance(table, dict):
        raise KindError(f"{place}: must be a table")
    labels = {
        "en": _text(table, "label", place, MAX_FACT_LABEL),
        "cy": _text(table, "label_cy", place, MAX_FACT_LABEL),
    }
    check = table.get("check")
    if check is not None and check not in CHECKS:
        raise KindError(f"{place}: 'check' must be one of {', '.join(CHECKS)}, not {check!r}")
    return FactDef(_text(table, "key", place, 30), labels, _text(table, "hint", place, 300), check)


def _facts(data: dict) -> tuple[FactDef, ...]:
    """A kind's declared key facts: optional, at most MAX_FACTS, keys and labels unique."""
    facts = data.get("facts", [])
    if not isinstance(facts, list) or len(facts) > MAX_FACTS:
        raise KindError(f"[[facts]] must be a list of at most {MAX_FACTS} tables")
    parsed = tuple(_fact(f, f"facts[{i}]") for i, f in enumerate(facts))
    for what, values in (
        ("keys", [f.key for f in parsed]),
        ("labels", [text for f in parsed for text in {same_label(t) for t in f.labels.values()}]),
    ):
        if len(set(values)) != len(values):
            raise KindError(f"fact {what} must be unique, found {', '.join(values)}")
    return parsed


def load_kind(path: Path) -> Kind:
    """Read and check one kind file, raising KindError that names the file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        sections = data.get("sections")
        if not isinstance(sections, list) or not sections:
            raise KindError("needs at least one [[sections]] table")
        parsed = tuple(_section(s, f"sections[{i}]") for i, s in enumerate(sections))
        keys = [s.key for s in parsed]
        if len(set(keys)) != len(keys):
            raise KindError(f"section keys must be unique, found {', '.join(keys)}")
        order = data.get("order")
        if type(order) is not int or order < 1:
            raise KindError("'order' must be a whole number from 1: where the kind comes in lists")
        months = data.get("review_months")
        if type(months) is not int or not MIN_REVIEW_MONTHS <= months <= MAX_REVIEW_MONTHS:
            raise KindError(
                f"'review_months' must be a whole number from {MIN_REVIEW_MONTHS} to "
                f"{MAX_REVIEW_MONTHS}: how many months after a review the next is due"
            )
        return Kind(
            path.stem,
            _text(data, "label", "kind", 40),
            _text(data, "description", "kind", 300),
            parsed,
            order,
            _facts(data),
            months,
        )
    except (KindError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise KindError(f"Kind file {path}: {exc}") from None


def load_kinds(directory: Path = KINDS_DIR) -> dict[str, Kind]:
    """Load every kind file in a folder, keyed by file name, in the order the files give."""
    kinds = sorted(
        (load_kind(path) for path in directory.glob("*.toml")), key=lambda k: (k.order, k.key)
    )
    if not kinds:
        raise KindError(f"No kind files (*.toml) found in {directory}")
    return {kind.key: kind for kind in kinds}
