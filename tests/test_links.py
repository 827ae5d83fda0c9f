"""Tokens for links opened without an account."""

from flask import Response

from profiles.links import link_headers, new_token, token_hash


def test_a_token_carries_at_least_128_random_bits_and_is_kept_only_as_a_hash():
    token, kept = new_token()
    assert len(token) * 6 >= 128
    assert kept == token_hash(token)
    assert token not in kept
    assert new_token()[0] != token


def test_a_link_page_is_not_indexed_kept_or_referred_from():
    response = link_headers(Response("page"))
    assert response.headers["X-Robots-Tag"].startswith("noindex")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
