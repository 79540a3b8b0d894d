"""API keys: read from a file or the environment, kept only as SHA-256 hashes.

A key is a long random token (``python -c "import secrets; print(secrets.token_urlsafe(32))"``),
so one unsalted SHA-256 is enough to make a stolen key list useless. A key file holds one key a
line, either the key itself or ``sha256:<64 hex digits>`` (``printf %s KEY | sha256sum``) so
the server's disk need not hold a usable key; blank lines and ``#`` comments are skipped.
``EXTRACTOR_API_KEYS`` holds the same entries separated by commas. A job belongs to the key
that made it: its owner is the key's hash, never the key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from extractor.errors import ConfigError

PREFIX = "sha256:"
HEX64 = re.compile(r"[0-9a-f]{64}")
MIN_KEY_LENGTH = 16
ENV_VAR = "EXTRACTOR_API_KEYS"
ANONYMOUS = "anonymous"
"""The owner of every job when the server asks for no key (loopback without keys)."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def parse_entry(entry: str, where: str) -> str:
    """The hash of one key-list entry (a key, or ``sha256:HEX``)."""
    if entry.startswith(PREFIX):
        digest = entry[len(PREFIX) :].lower()
        if not HEX64.fullmatch(digest):
            raise ConfigError(f"{where}: 'sha256:' must be followed by 64 hex digits")
        return digest
    if len(entry) < MIN_KEY_LENGTH:
        raise ConfigError(f"{where}: an API key must be at least {MIN_KEY_LENGTH} characters")
    return hash_key(entry)


def load_key_hashes(path: Path | None, env: Mapping[str, str]) -> tuple[str, ...]:
    """Every key hash from ``path`` (when given) and ``EXTRACTOR_API_KEYS``, in order, unique."""
    hashes: list[str] = []
    if path is not None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ConfigError(f"cannot read the API key file {path}: {exc.strerror}") from None
        for number, line in enumerate(lines, 1):
            entry = line.strip()
            if entry and not entry.startswith("#"):
                hashes.append(parse_entry(entry, f"{path}, line {number}"))
    for entry in env.get(ENV_VAR, "").split(","):
        if entry.strip():
            hashes.append(parse_entry(entry.strip(), ENV_VAR))
    return tuple(dict.fromkeys(hashes))


def owner_of(presented: str, known: Iterable[str]) -> str | None:
    """The hash of ``presented`` when it is a known key, else None (constant-time compare)."""
    digest = hash_key(presented)
    found = None
    for candidate in known:
        if hmac.compare_digest(digest, candidate):
            found = candidate
    return found
