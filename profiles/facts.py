"""Key facts: how a profile keeps them, the kind's own and any others.

A profile keeps its key facts as the file format carries them: a list of {label, value},
in print order. A kind may declare the facts it asks for (see kinds/*.toml), some with a
check (kinds/checks.py); a profile may also hold facts under other labels, from a file,
and those are never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

from .kinds import FactDef
from .kinds.checks import same_label


def by_label(declared: Iterable[FactDef]) -> dict[str, FactDef]:
    """Each declared fact under each of its labels, in every language, as labels compare."""
    return {same_label(text): d for d in declared for text in d.labels.values()}


def declared_fact(label: str, declared: Iterable[FactDef]) -> FactDef | None:
    """The declared fact this label would be taken for, if any: a fact saved under it is
    found as that fact when the profile is next opened, wherever it was typed."""
    return by_label(declared).get(same_label(label))


def sort_facts(
    facts: Iterable[dict[str, str]], declared: Iterable[FactDef]
) -> tuple[dict[str, str], list[dict[str, str]]]:
    """A profile's facts split into the declared ones' values, by key, and the others.

    A declared fact is found by its label in any language, whatever its case or spacing,
    so a Welsh profile's facts are still found after the profile is switched to English.
    Only a declared fact's first occurrence is its own; another with the same label is
    kept among the others.
    """
    labels = by_label(declared)
    values: dict[str, str] = {}
    others: list[dict[str, str]] = []
    for fact in facts:
        found = labels.get(same_label(fact["label"]))
        if found is not None and found.key not in values:
            values[found.key] = fact["value"]
        else:
            others.append({"label": fact["label"], "value": fact["value"]})
    return values, others


def arrange_facts(
    values: dict[str, str],
    others: Iterable[dict[str, str]],
    declared: Iterable[FactDef],
    language: str,
) -> list[dict[str, str]]:
    """The facts as a profile keeps them: the declared ones that have a value, in the kind's
    order and labelled in the profile's language, then the others as they were."""
    ordered = [
        {"label": d.label(language), "value": values[d.key]}
        for d in declared
        if values.get(d.key, "")
    ]
    return ordered + [{"label": f["label"], "value": f["value"]} for f in others]


def relabel(
    facts: list[dict[str, str]], declared: Iterable[FactDef], language: str
) -> list[dict[str, str]]:
    """The same facts with the declared ones labelled in this language: a profile's printed
    words follow its language, as its headings do. Nothing is added, dropped or moved."""
    labels = by_label(declared)
    return [
        {
            "label": labels[same_label(f["label"])].label(language)
            if same_label(f["label"]) in labels
            else f["label"],
            "value": f["value"],
        }
        for f in facts
    ]
