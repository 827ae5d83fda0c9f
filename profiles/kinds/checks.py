"""The checks a kind's key fact may name (check = "nhs_number" in a kind file): each takes
the text as typed and gives it back as it is kept, or says what is wrong with it.

Only the wizard runs them. A file is imported as the format allows (any text), so that a
number written on an old form still arrives and can be put right on the facts step.
"""

from __future__ import annotations

import re
from collections.abc import Callable

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


def same_label(label: str) -> str:
    """A label as labels are compared: whatever its case or spacing."""
    return " ".join(label.split()).casefold()
