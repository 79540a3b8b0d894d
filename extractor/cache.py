"""A best-effort disk cache of validated LLM answers (diskcache, JSON text only).

- The key is a SHA-256 over everything that can change the answer: model, mode, sampling
  parameters, the task fingerprint (prompt template, JSON schema, validator-rules version) and
  the exact messages sent. Never the API key.
- Values are JSON text. Entries stored with pickle are refused on read (a planted pickle would run
  code: CVE-2025-69872), so the cache never unpickles anything.
- A corrupt, locked or vanished cache degrades to no cache with one warning: a run is never lost
  because of its cache.
"""

from __future__ import annotations

import contextlib
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
