"""Client-side rate control shared by every request of one client.

Three mechanisms, all in :class:`RateGate`:

- **Budgets**: ``rpm`` and ``tpm`` (requests and tokens per minute) are spaced out with a GCRA
  (virtual scheduling) so a run stays under the account's limits instead of bursting into 429s.
- **Pause**: when the server says a rate budget is spent (a 429 whose ``x-ratelimit-remaining-*``
  header is 0, or whose ``Retry-After`` is long), every request waits until it resets, instead of
  each one hammering on its own.
- **Adaptive concurrency** (async only): requests in flight are capped by a limit that drops
  by one below the requests then in flight on every 429 (each refused request was one too many)
  and grows by about one per round of successes, so ``--concurrency`` above what the server
  accepts converges on what it accepts within one round and then probes it gently. (A tenth
  at most once per half second, as TCP does, took seconds to come down from twice the server's
  limit, and requests refused over and over meanwhile ran out of attempts.)

The async transport books through :meth:`RateGate.areserve` and holds :meth:`RateGate.slot`
while a request is out: a subclass may answer both from elsewhere (``extractor.ray`` asks one
limiter shared by a cluster, which books for it with :meth:`RateGate.lease`).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager

LONG_PAUSE = 2.0  # a Retry-After at least this long pauses everyone


def _reset_seconds(text: str) -> float | None:
    """Parse OpenAI's reset durations: ``"1s"``, ``"6m0s"``, ``"20ms"``, ``"0.5"``."""
    text = text.strip()
    if not text:
        return None
    total, number, i = 0.0, "", 0
    units = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
    try:
        while i < len(text):
            ch = text[i]
            if ch.isdigit() or ch == ".":
                number += ch
                i += 1
                continue
            unit = "ms" if text[i : i + 2] == "ms" else ch
            total += float(number) * units[unit]
            number, i = "", i + len(unit)
        return total + (float(number) if number else 0.0)
    except (KeyError, ValueError):
        return None


class RateGate:
    """Shared request pacing for one client (thread- and task-safe for the budgets)."""

    def __init__(
        self,
        rpm: float | None = None,
        tpm: float | None = None,
        concurrency: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rpm = rpm
        self.tpm = tpm
        self.clock = clock
        self.pause_until = 0.0
        self.rate_limited = 0
        self._lock = threading.Lock()
        self._tat_requests = 0.0
        self._tat_tokens = 0.0
        self.max_concurrency = concurrency
        self.limit = float(concurrency) if concurrency else 0.0
        self.in_flight = 0
        self._cond: asyncio.Condition | None = None

    # -- budgets and pause -------------------------------------------------------------
    def reserve(self, tokens: int = 1) -> float:
        """Book a slot for one request of ``tokens``; return how long to wait before sending."""
        with self._lock:
            now = self.clock()
            start = max(now, self.pause_until)
            if self.rpm:
                start = max(start, self._tat_requests)
                self._tat_requests = start + 60.0 / self.rpm
            if self.tpm:
                start = max(start, self._tat_tokens)
                self._tat_tokens = start + 60.0 * tokens / self.tpm
            return start - now

    async def areserve(self, tokens: int = 1) -> float:
        """The async transport's :meth:`reserve`: a gate held elsewhere may await its answer."""
        return self.reserve(tokens)

    def lease(self, requests: int, tokens: int) -> tuple[list[float], float]:
        """Book ``requests`` request slots and ``tokens`` tokens at once, for a holder that
        spends them on its own: the waits before each slot opens, and before the tokens may
        be spent. Budgets left unset book nothing (their waits are the pause alone)."""
        with self._lock:
            now = self.clock()
            floor = max(now, self.pause_until)
            starts = []
            for _ in range(requests):
                start = floor
                if self.rpm:
                    start = max(floor, self._tat_requests)
                    self._tat_requests = start + 60.0 / self.rpm
                starts.append(start - now)
            start = floor
            if self.tpm and tokens:
                start = max(floor, self._tat_tokens)
                self._tat_tokens = start + 60.0 * tokens / self.tpm
            return starts, start - now

    def note_rate_limited(self, retry_after: float | None, headers: Mapping[str, str]) -> None:
        """A 429 arrived: pause everyone when a budget is spent, and cut the concurrency."""
        with self._lock:
            self.rate_limited += 1
            now = self.clock()
            spent = any(
                headers.get(f"x-ratelimit-remaining-{kind}") == "0"
                for kind in ("requests", "tokens")
            )
            wait = retry_after
            if spent and wait is None:
                resets = [
                    _reset_seconds(headers.get(f"x-ratelimit-reset-{kind}", ""))
                    for kind in ("requests", "tokens")
                    if headers.get(f"x-ratelimit-remaining-{kind}") == "0"
                ]
                wait = max((r for r in resets if r is not None), default=1.0)
            if wait is not None and (spent or wait >= LONG_PAUSE):
                self.pause_until = max(self.pause_until, now + wait)
            if self.max_concurrency:
                self.limit = max(1.0, min(self.limit, float(self.in_flight)) - 1.0)

    def note_success(self, headers: Mapping[str, str]) -> None:
        """A request went through: let the concurrency limit grow back (about +1 per round)."""
        if self.max_concurrency and self.limit < self.max_concurrency:
            with self._lock:
                self.limit = min(
                    float(self.max_concurrency), self.limit + 1.0 / max(self.limit, 1.0)
                )

    # -- adaptive concurrency (async) --------------------------------------------------
    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one of the in-flight slots the adaptive limit allows."""
        if not self.max_concurrency:
            yield
            return
        if self._cond is None:
            self._cond = asyncio.Condition()
        cond = self._cond
        async with cond:
            await cond.wait_for(lambda: self.in_flight < max(int(self.limit), 1))
            self.in_flight += 1
        try:
            yield
        finally:
            async with cond:
                self.in_flight -= 1
                cond.notify_all()
