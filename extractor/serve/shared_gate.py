"""One rate limit for every worker process: the request and token budgets live in the store.

:class:`SharedGate` is the library's :class:`~extractor.llm.ratelimit.RateGate` (adaptive
concurrency within a process, unchanged) whose ``rpm``/``tpm`` schedule and 429 pause are kept
in the job store's ``shared`` table instead of in memory, with the same virtual-scheduling
(GCRA) arithmetic on wall-clock time, so N workers together stay under one budget.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping

from extractor.llm.ratelimit import RateGate
from extractor.serve.store import JobStore

PAUSE = "pause_until"


class SharedGate(RateGate):
    def __init__(
        self,
        store: JobStore,
        rpm: float | None = None,
        tpm: float | None = None,
        concurrency: int | None = None,
    ) -> None:
        super().__init__(rpm=None, tpm=None, concurrency=concurrency)
        self.store = store
        self.shared_rpm = rpm
        self.shared_tpm = tpm

    def reserve(self, tokens: int = 1) -> float:
        def book(c: sqlite3.Connection) -> float:
            now = time.time()
            start = max(now, _value(c, PAUSE))
            budgets = [("rpm", self.shared_rpm, 1), ("tpm", self.shared_tpm, tokens)]
            for name, rate, amount in budgets:
                if rate:
                    start = max(start, _value(c, name))
                    _set(c, name, start + 60.0 * amount / rate)
            return start - now

        return max(super().reserve(tokens), self.store.write(book))

    def note_rate_limited(self, retry_after: float | None, headers: Mapping[str, str]) -> None:
        before = self.pause_until
        super().note_rate_limited(retry_after, headers)
        if self.pause_until > before:  # a budget is spent: every worker waits it out
            until = time.time() + (self.pause_until - self.clock())
            self.store.write(lambda c: _set(c, PAUSE, max(until, _value(c, PAUSE))))


def _value(c: sqlite3.Connection, name: str) -> float:
    row = c.execute("SELECT value FROM shared WHERE name = ?", (name,)).fetchone()
    return float(row[0]) if row else 0.0


def _set(c: sqlite3.Connection, name: str, value: float) -> None:
    c.execute(
        "INSERT INTO shared (name, value) VALUES (?, ?)"
        " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
        (name, value),
    )
