"""Password rules and hashing for accounts: length and a blocklist, hashed with Argon2id."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# NCSC guidance: length plus a blocklist, and no composition rules, which push people
# towards predictable patterns such as 'Password1!'.
MIN_LENGTH = 12

COMMON_PASSWORDS_PATH = Path(__file__).with_name("common-passwords.txt")

TOO_SHORT = (
    f"Your password needs at least {MIN_LENGTH} characters. A few ordinary words strung "
    "together are easy to remember, for example 'kettle garden bluebell'."
)
COMMON = (
    "That password is on a list of passwords that are often guessed. Choose something less common."
)
PERSONAL = (
    "Your password should not include your name or email address, because anyone who "
    "knows you could guess it. Choose something else."
)
PATTERN = (
    "That password is a simple pattern, such as one character repeated or a run like "
    "123456789012, which is easy to guess. Choose something less predictable."
)

# People who are told to add numbers or symbols usually put them at the end.
_TRAILING_EXTRAS = "0123456789!?"
# Pieces of a name shorter than this (Al, Jo) appear inside too many ordinary words.
_MIN_PERSONAL_PIECE = 4
# Digits, the alphabet, and the letter keys row by row as on a UK keyboard.
_RUNS = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm")

# Library defaults (argon2id, RFC 9106 low-memory profile) so that upgrading
# argon2-cffi raises the cost, and needs_rehash() reports hashes made with the old one.
_hasher = PasswordHasher()


@cache
def common_passwords() -> frozenset[str]:
    """The common-password list, read once."""
    with COMMON_PASSWORDS_PATH.open(encoding="utf-8") as lines:
        return frozenset(
            line.strip().casefold() for line in lines if line.strip() and not line.startswith("#")
        )


def _personal_pieces(email: str, name: str) -> set[str]:
    """The parts of an email's local part and a name that a password should not contain."""
    local = email.casefold().rpartition("@")[0] if "@" in email else email.casefold()
    pieces = set(re.split(r"[\W_]+", f"{local} {name.casefold()}"))
    pieces.add(local)
    return {piece for piece in pieces if len(piece) >= _MIN_PERSONAL_PIECE}


def _is_pattern(folded: str) -> bool:
    """Whether the password is one short piece repeated, or a run of digits or keys."""
    # A string is a repetition of a shorter piece exactly when it reappears inside itself.
    if (folded + folded).find(folded, 1) < len(folded):
        return True
    for run in _RUNS:
        for direction in (run, run[::-1]):
            # Runs wrap round (…7890123…), as people type them.
            if folded in direction * (len(folded) // len(direction) + 2):
                return True
    return False


def _is_common(folded: str) -> bool:
    """Whether the password is a common one, alone or with digits, ! or ? added at the end."""
    common = common_passwords()
    stem = folded.rstrip(_TRAILING_EXTRAS)
    return folded in common or (stem != "" and stem in common)


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """What is wrong with a new password, in plain words, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    folded = password.casefold()
    if any(piece in folded for piece in _personal_pieces(email, name)):
        return PERSONAL
    if _is_pattern(folded):
        return PATTERN
    if _is_common(folded):
        return COMMON
    return None


def hash_password(password: str) -> str:
    """An Argon2id hash of the password, salted, for storing."""
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether the password matches the stored hash; False for a malformed hash."""
    if not stored_hash:
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with other settings than today's and should be replaced."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        # A hash that cannot be read cannot be trusted either; replace it on next sign-in.
        return True
