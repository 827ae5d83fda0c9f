"""Passwords: at least 12 characters, not common, personal or a pattern; hashed with Argon2id."""

from __future__ import annotations

import pytest

from profiles.accounts.passwords import (
    COMMON,
    MIN_LENGTH,
    PATTERN,
    PERSONAL,
    TOO_SHORT,
    common_passwords,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)


def test_eleven_characters_are_refused_with_advice():
    message = password_problem("a" * 5 + "bcdefg")
    assert message == TOO_SHORT
    assert "at least 12 characters" in message
    assert "kettle garden bluebell" in message


@pytest.mark.parametrize(
    "password", ["plum tea lid", "kettle garden bluebell", "Bluebell Otter 7", "vfh38Kq2LzPw"]
)
def test_ordinary_passwords_of_twelve_or_more_are_accepted(password):
    assert len(password) >= MIN_LENGTH
    assert password_problem(password, email="jane.smith@example.org", name="Jane Smith") is None


def test_the_advice_in_the_message_would_itself_be_accepted():
    assert password_problem("kettle garden bluebell") is None


@pytest.mark.parametrize(
    "password",
    [
        "password1234",
        "Password1234!",
        "PASSWORD1234",
        "iloveyou2024!?",
        "qwertyuiop12",
        "football!!!!",
    ],
)
def test_common_passwords_with_numbers_or_marks_added_are_refused(password):
    assert password_problem(password) == COMMON


def test_a_common_password_of_twelve_or_more_is_refused_whole():
    long_common = sorted(p for p in common_passwords() if len(p) >= MIN_LENGTH)[0]
    assert password_problem(long_common.upper()) == COMMON


@pytest.mark.parametrize(
    ("password", "email", "name"),
    [
        ("jsmith-rota-2024", "JSmith@carehome.example", ""),
        ("my name is Marigold!", "", "Marigold Okafor"),
        ("okafor garden path", "m.okafor@example.org", ""),
        ("JANE.SMITH.ROCKS", "jane.smith@example.org", ""),
    ],
)
def test_a_password_containing_the_persons_name_or_email_is_refused(password, email, name):
    assert password_problem(password, email=email, name=name) == PERSONAL


def test_short_pieces_of_a_name_do_not_refuse_ordinary_words():
    assert password_problem("almond jolly tea", email="al@example.org", name="Al Jo") is None


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaaaa",
        "############",
        "123456789012",
        "098765432109",
        "abcdefghijkl",
        "LKJIHGFEDCBA",
        "xyzabcdefghi",
        "qwertyuiopas",
        "abcabcabcabc",
        "123123123123",
    ],
)
def test_repeats_and_simple_sequences_are_refused(password):
    assert password_problem(password) == PATTERN


def test_the_list_is_large_and_holds_the_usual_suspects():
    passwords = common_passwords()
    assert isinstance(passwords, frozenset)
    assert len(passwords) >= 5000
    assert {"password", "123456", "qwerty", "iloveyou"} <= passwords
    assert all(p == p.casefold() and p == p.strip() and p for p in passwords)
    assert not any(p.startswith("#") for p in passwords)
    assert common_passwords() is passwords


def test_hash_and_verify_round_trip():
    stored = hash_password("kettle garden bluebell")
    assert stored.startswith("$argon2id$")
    assert "kettle" not in stored
    assert verify_password(stored, "kettle garden bluebell") is True
    assert verify_password(stored, "kettle garden bluebel") is False
    assert verify_password(stored, "Kettle garden bluebell") is False
    assert needs_rehash(stored) is False


def test_two_hashes_of_one_password_differ():
    assert hash_password("kettle garden bluebell") != hash_password("kettle garden bluebell")


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "not a hash",
        "$argon2id$v=19$m=65536,t=3,p=4$bad",
        "$argon2id$v=19$m=1,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
        "$2b$12$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234",
    ],
)
def test_a_malformed_hash_never_verifies_and_should_be_replaced(stored):
    assert verify_password(stored, "kettle garden bluebell") is False
    assert needs_rehash(stored) is True


def test_a_hash_made_with_weaker_settings_needs_rehashing():
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("kettle garden")
    assert verify_password(weak, "kettle garden") is True
    assert needs_rehash(weak) is True
