"""Curator tokens: created once, stored only as hashes, revocable, checked per right."""

from __future__ import annotations

from pathlib import Path

import pytest

from gcm_kg.errors import GcmKgError
from gcm_kg.writes import auth


@pytest.fixture()
def tokens(tmp_path: Path) -> Path:
    return tmp_path / "tokens"


def test_a_new_token_authenticates(tokens: Path) -> None:
    token = auth.add_token(tokens, "ana")
    assert auth.authenticate(tokens, f"Bearer {token}", "curate").name == "ana"


def test_only_the_hash_is_stored(tokens: Path) -> None:
    token = auth.add_token(tokens, "ana")
    text = tokens.read_text()
    assert token not in text
    assert auth.digest(token) in text
    assert tokens.stat().st_mode & 0o077 == 0


def test_missing_header_is_401(tokens: Path) -> None:
    with pytest.raises(auth.Unauthorized, match="needs a curator token"):
        auth.authenticate(tokens, None, "curate")


def test_wrong_token_is_401(tokens: Path) -> None:
    auth.add_token(tokens, "ana")
    with pytest.raises(auth.Unauthorized, match="not valid"):
        auth.authenticate(tokens, "Bearer not-the-token", "curate")


def test_token_without_the_right_is_403(tokens: Path) -> None:
    token = auth.add_token(tokens, "reader", ("curate",))
    with pytest.raises(auth.Forbidden, match="does not have the 'update' right"):
        auth.authenticate(tokens, f"Bearer {token}", "update")


def test_revoked_token_no_longer_works(tokens: Path) -> None:
    token = auth.add_token(tokens, "ana")
    auth.revoke_token(tokens, "ana")
    with pytest.raises(auth.Unauthorized):
        auth.authenticate(tokens, f"Bearer {token}", "curate")


def test_names_are_unique(tokens: Path) -> None:
    auth.add_token(tokens, "ana")
    with pytest.raises(GcmKgError, match="already has a token"):
        auth.add_token(tokens, "ana")


def test_cli_prints_the_token_once(tokens: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from gcm_kg.cli import main

    monkeypatch.setenv("GCM_KG_CURATOR_TOKENS", str(tokens))
    assert main(["token", "add", "ana"]) == 0
    token = capsys.readouterr().out.strip()
    assert auth.authenticate(tokens, f"Bearer {token}", "update").name == "ana"
    assert main(["token", "revoke", "ana"]) == 0
    assert main(["token", "revoke", "ana"]) == 2
