"""A best-effort disk cache of validated LLM answers (diskcache, JSON text only).

- The key is a SHA-256 over everything that can change the answer: model, mode, sampling
  parameters, the task fingerprint (prompt template, JSON schema, validator-rules version) and
  the exact messages sent. Never the API key.
- Values are JSON text. Entries stored with pickle are refused on read (a planted pickle would run
  code: CVE-2025-69872), so the cache never unpickles anything.
- A corrupt, locked or vanished cache degrades to no cache with one warning: a run is never lost
  because of its cache.
- Beside the answers, the finished records (grounded, settled) are kept under a key of the input's
  bytes, the settings that change a result and :func:`code_version`: a re-run's hit is a hash and
  one read, no cleaning and no grounding. When the code moves, the record misses and the answer
  (keyed by the messages sent) still hits.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

import diskcache

logger = logging.getLogger("extractor.cache")


class UnsafeEntryError(Exception):
    """A cache entry was not stored as JSON text (e.g. a planted pickle)."""


_CACHE_ERRORS = (sqlite3.Error, diskcache.Timeout, OSError, ValueError, UnsafeEntryError)


class JSONOnlyDisk(diskcache.Disk):  # type: ignore[misc]
    """A diskcache Disk that stores text and refuses to unpickle anything."""

    def fetch(self, mode: int, filename: str | None, value: Any, read: bool) -> Any:
        if mode == diskcache.core.MODE_PICKLE:
            raise UnsafeEntryError("refusing a pickled cache entry")
        return super().fetch(mode, filename, value, read)


def cache_key(**parts: Any) -> str:
    """A stable key over the parts (JSON-serialisable), independent of their order."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


class KeyMaker:
    """``cache_key(**fixed, **varying)`` for many values of ``varying``, with the fixed parts
    (settings, the response schema: a millisecond to serialise) serialised once. The keys are
    exactly :func:`cache_key`'s: the blob is assembled from the same JSON pieces."""

    def __init__(self, **fixed: Any) -> None:
        self._dumped = {name: _dump(value) for name, value in fixed.items()}

    def key(self, **varying: Any) -> str:
        dumped = {**self._dumped, **{name: _dump(value) for name, value in varying.items()}}
        blob = "{" + ", ".join(f"{_dump(name)}: {dumped[name]}" for name in sorted(dumped)) + "}"
        return hashlib.sha256(blob.encode()).hexdigest()


PACKAGE = Path(__file__).resolve().parent
CODE_SUFFIXES = frozenset({".py", ".json", ".yaml", ".yml", ".txt"})


@functools.cache
def code_version() -> str:
    """A hash of the package's code and data files: any change (cleaning, grounding, rules,
    normalisation) gives finished records a new key, so no record outlives the code that made it.
    Computed once per process (about 150 small files)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in CODE_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def input_key(prefix: str, raw: str | bytes) -> str:
    """The key of one input's bytes (or text) under ``prefix`` (the settings and the code)."""
    # Bytes are decoded and text only normalised: the same characters may clean differently.
    kind, data = (
        (b"b", raw) if isinstance(raw, bytes) else (b"s", raw.encode("utf-8", "surrogatepass"))
    )
    return hashlib.sha256(prefix.encode() + b"\0" + kind + data).hexdigest()


class ResultCache:
    """Validated answers on disk. Every failure turns the cache off with a warning."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.warnings: list[str] = []
        self._cache: diskcache.Cache | None = None
        self._disabled = False

    def _open(self) -> diskcache.Cache | None:
        if self._cache is None and not self._disabled:
            try:
                self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
                self.directory.chmod(0o700)
                self._cache = diskcache.Cache(
                    str(self.directory), disk=JSONOnlyDisk, timeout=2, eviction_policy="none"
                )
            except _CACHE_ERRORS as exc:
                self._disable("cannot open", exc)
        return self._cache

    def _disable(self, action: str, exc: BaseException) -> None:
        if not self._disabled:
            message = (
                f"cache {action} ({type(exc).__name__}: {' '.join(str(exc).split())[:200]}); "
                f"continuing without the cache at {self.directory}"
            )
            self.warnings.append(message)
            logger.warning(message)
        self._disabled = True
        cache, self._cache = self._cache, None
        if cache is not None:
            with contextlib.suppress(*_CACHE_ERRORS):
                cache.close()

    @property
    def enabled(self) -> bool:
        return not self._disabled

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored answer for ``key``, or None (missing, unsafe or unreadable)."""
        cache = self._open()
        if cache is None:
            return None
        try:
            raw = cache.get(key)
        except UnsafeEntryError as exc:
            logger.warning("ignoring an unsafe cache entry: %s", exc)
            self.warnings.append(f"ignored an unsafe cache entry ({exc})")
            return None
        except _CACHE_ERRORS as exc:
            self._disable("unreadable", exc)
            return None
        if not isinstance(raw, str):
            return None
        try:
            value = json.loads(raw)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def set(self, key: str, value: dict[str, Any]) -> None:
        """Store a validated answer as JSON text."""
        cache = self._open()
        if cache is None:
            return
        try:
            cache.set(key, json.dumps(value, ensure_ascii=False))
        except _CACHE_ERRORS as exc:
            self._disable("not writable", exc)

    def close(self) -> None:
        if self._cache is not None:
            with contextlib.suppress(*_CACHE_ERRORS):
                self._cache.close()
            self._cache = None
