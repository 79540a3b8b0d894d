"""API keys: read from a file and the environment, kept only as hashes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")

from extractor.errors import ConfigError
from extractor.serve.config import ServeConfig, is_loopback
from extractor.serve.keys import hash_key, load_key_hashes, owner_of

KEY = "k" * 32
OTHER = "o" * 32


def test_keys_from_a_file_and_the_environment_are_kept_hashed(tmp_path: Path) -> None:
    digest = hashlib.sha256(OTHER.encode()).hexdigest()
    path = tmp_path / "keys"
    path.write_text(f"# comment\n\n{KEY}\nsha256:{digest.upper()}\n", encoding="utf-8")
    hashes = load_key_hashes(path, {"EXTRACTOR_API_KEYS": f" {KEY} ,, {'e' * 20}"})
    assert hashes == (hash_key(KEY), digest, hash_key("e" * 20))
    assert KEY not in ServeConfig(key_hashes=hashes).to_json()


@pytest.mark.parametrize(
    ("entry", "problem"),
    [("short", "at least 16 characters"), ("sha256:abc", "64 hex digits")],
)
def test_bad_entries_are_refused(entry: str, problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        load_key_hashes(None, {"EXTRACTOR_API_KEYS": entry})


def test_owner_of_knows_only_listed_keys() -> None:
    known = (hash_key(KEY), hash_key(OTHER))
    assert owner_of(KEY, known) == hash_key(KEY)
    assert owner_of(OTHER, known) == hash_key(OTHER)
    assert owner_of("x" * 32, known) is None


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.8.9.1", True), ("::1", True), ("[::1]", True),
     ("localhost", True), ("0.0.0.0", False), ("::", False), ("10.0.0.1", False),
     ("example.test", False)],
)  # fmt: skip
def test_keys_are_required_off_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    config = ServeConfig(host=host)
    assert config.keys_required is not loopback
    if not loopback:
        with pytest.raises(ConfigError, match="needs API keys"):
            config.checked()
        assert ServeConfig(host=host, auth=False).checked().keys_required is False
