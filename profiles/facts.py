"""Key facts: the checks some of them get as they are typed, and how a profile keeps them.

A profile keeps its key facts as the file format carries them: a list of {label, value},
in print order. A kind may declare the facts it asks for (see kinds/*.toml); a profile may
also hold facts under other labels, from a file, and those are never dropped.

Only the wizard checks facts. A file is imported as the format allows (any text), so that
a number written on an old form still arrives and can be put right on the facts step.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Protocol

NHS_NUMBER_SEPARATORS = re.compile(r"[\s-]+")
# Each of the first nine digits counts ten times down to twice: the NHS's modulus 11 check.
NHS_NUMBER_WEIGHTS = range(10, 1, -1)
NHS_NUMBER_ADVICE = "Check it against a letter from the NHS or the NHS App"


class FactProblem(ValueError):
    """A key fact as typed that cannot be kept: the message says what is wrong."""


def nhs_number(value: str) -> str:
    """An NHS number written 3 3 4 ("943 476 5919"); FactProblem if it cannot be one.

    People copy it from letters that space or hyphenate it, so both are allowed; the check
    digit catches a digit typed wrong or two swapped, which would match someone else.
    """
    digits = NHS_NUMBER_SEPARATORS.sub("", value)
    if not digits.isascii() or not digits.isdigit():
        raise FactProblem(
            "An NHS number is written with digits only, and spaces or hyphens if you like: "
            "take out anything else"
        )
    if len(digits) != 10:
        raise FactProblem(f"An NHS number has 10 digits: this one has {len(digits)}")
    weighted = zip(digits[:9], NHS_NUMBER_WEIGHTS, strict=True)
    total = sum(int(digit) * weight for digit, weight in weighted)
    check = 11 - total % 11
    if check == 10:
        raise FactProblem(
            "This is not a valid NHS number: no NHS number starts with these 9 digits. "
            + NHS_NUMBER_ADVICE
        )
    if check % 11 != int(digits[9]):
        raise FactProblem(
            "This is not a valid NHS number: the last digit does not match the others. "
            + NHS_NUMBER_ADVICE
        )
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def phone(value: str) -> str:
    """A phone number exactly as typed: people write extensions, "after 6pm" and countries
    in many ways, and whoever rings reads it. Only text with no digit at all is refused."""
    if not any(char.isdigit() for char in value):
        raise FactProblem(
            "This phone number has no digits in it. Write the number, for example 07700 900123"
        )
    return value


# The checks a kind's fact may name, by the name its file uses.
CHECKS: dict[str, Callable[[str], str]] = {"nhs_number": nhs_number, "phone": phone}


class Declared(Protocol):
    """A fact a kind asks for (kinds.FactDef): found by any of its labels."""

    key: str
    labels: dict[str, str]

    def label(self, language: str = "en") -> str: ...


def same_label(label: str) -> str:
    """A label as labels are compared: whatever its case or spacing."""
    return " ".join(label.split()).casefold()


def sort_facts(
    facts: Iterable[dict[str, str]], declared: Iterable[Declared]
) -> tuple[dict[str, str], list[dict[str, str]]]:
    """A profile's facts split into the declared ones' values, by key, and the others.

    A declared fact is found by its label in any language, whatever its case or spacing,
    so a Welsh profile's facts are still found after the profile is switched to English.
    Only a declared fact's first occurrence is its own; another with the same label is
    kept among the others.
    """
    by_label = {same_label(text): d.key for d in declared for text in d.labels.values()}
    values: dict[str, str] = {}
    others: list[dict[str, str]] = []
    for fact in facts:
        key = by_label.get(same_label(fact["label"]))
        if key is not None and key not in values:
            values[key] = fact["value"]
        else:
            others.append({"label": fact["label"], "value": fact["value"]})
    return values, others


def arrange_facts(
    values: dict[str, str],
    others: Iterable[dict[str, str]],
    declared: Iterable[Declared],
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
    facts: list[dict[str, str]], declared: Iterable[Declared], language: str
) -> list[dict[str, str]]:
    """The same facts with the declared ones labelled in this language: a profile's printed
    words follow its language, as its headings do. Nothing is added, dropped or moved."""
    declared = list(declared)
    by_label = {same_label(text): d for d in declared for text in d.labels.values()}
    return [
        {
            "label": by_label[same_label(f["label"])].label(language)
            if same_label(f["label"]) in by_label
            else f["label"],
            "value": f["value"],
        }
        for f in facts
    ]
