"""A worker's side of the cluster limiter: a :class:`RateGate` that leases from the actor.

The transport asks a gate for two things per request: when it may start
(:meth:`~RateGate.areserve`) and a slot while it is out (:meth:`~RateGate.slot`). Asking the
actor each time would cost a round trip per request, so :class:`ClusterGate` leases:

- **request slots** (``rpm``) ``lease`` at a time: start times booked by the actor, spent in
  order here; **tokens** (``tpm``) in blocks of about ``lease`` requests' worth;
- **in-flight permits**, up to ``lease`` per call: each is reused by this worker's next
  request while it has one waiting, and given back at once when it has none, or after
  ``lease * REUSE`` uses or ``hold`` seconds, so that workers waiting at the actor take turns;
- **news**: a worker asks the actor at least every ``hold`` seconds while it sends, and every
  answer carries the pause in force, so a ``Retry-After`` seen by any worker (reported at once,
  without waiting for an answer) slows every worker within ``hold`` seconds. The worker that
  got the 429 pauses at once.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

import ray

from extractor.llm.ratelimit import RateGate

REUSE = 4  # uses per leased permit before the lease is given back to the queue


class ClusterGate(RateGate):
    """Rate control for one worker, held by the cluster's :class:`~extractor.ray.limiter.Limiter`."""

    def __init__(
        self,
        limiter: Any,
        *,
        rpm: float | None = None,
        tpm: float | None = None,
        max_in_flight: int | None = None,
        lease: int = 8,
        hold: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(rpm=rpm, tpm=tpm, concurrency=max_in_flight, clock=clock)
        self.limiter = limiter
        self.lease_size = max(lease, 1)
        self.hold = hold
        self.round_trips = 0
        self.requests = 0
        self._slots: deque[float] = deque()
        self._credit = 0.0
        self._credit_at = 0.0
        self._fresh_until = 0.0
        self._successes = 0
        self._tokens_seen = 0
        self._sync_lock = threading.Lock()
        self._refill: asyncio.Lock | None = None
        self._permits = Permits(self)

    # -- when a request may start --------------------------------------------------------
    def _wants(self, tokens: int, now: float) -> tuple[int, int] | None:
        """What to lease before a request of ``tokens`` may be booked (None: nothing)."""
        need_slot = bool(self.rpm) and not self._slots
        need_tokens = bool(self.tpm) and self._credit < tokens
        if not (need_slot or need_tokens or now >= self._fresh_until):
            return None
        average = self._tokens_seen / self.requests if self.requests else tokens
        block = max(tokens - self._credit, average * self.lease_size) if need_tokens else 0
        return (self.lease_size if need_slot else 0), math.ceil(block)

    def _apply(self, want: tuple[int, int], answer: tuple[list[float], float, float]) -> None:
        now = self.clock()
        starts, token_wait, pause = answer
        self.round_trips += 1
        self._slots.extend(now + s for s in starts)
        if want[1]:
            self._credit += want[1]
            self._credit_at = max(self._credit_at, now + token_wait)
        self.note_pause(pause, now)

    def _take(self, tokens: int) -> float:
        now = self.clock()
        start = max(now, self.pause_until)
        if self.rpm and self._slots:
            start = max(start, self._slots.popleft())
        if self.tpm:
            self._credit -= tokens
            start = max(start, self._credit_at)
        self.requests += 1
        self._tokens_seen += tokens
        return start - now

    def note_pause(self, pause: float, now: float) -> None:
        """The actor's news: the pause in force, ``pause`` seconds from ``now``."""
        self.pause_until = max(self.pause_until, now + pause)
        self._fresh_until = now + self.hold

    def drain_successes(self) -> int:
        """Successes since the last call, for the actor's adaptive limit."""
        count, self._successes = self._successes, 0
        return count

    async def areserve(self, tokens: int = 1) -> float:
        if self._wants(tokens, self.clock()) is not None:
            if self._refill is None:
                self._refill = asyncio.Lock()
            async with self._refill:  # one lease at a time; the others use what it brought
                if (want := self._wants(tokens, self.clock())) is not None:
                    ref = self.limiter.lease.remote(*want, self.drain_successes())
                    self._apply(want, await ref)
        return self._take(tokens)

    def reserve(self, tokens: int = 1) -> float:
        """The sync twin of :meth:`areserve` (a sync client: budgets and pause, no permits)."""
        with self._sync_lock:
            if (want := self._wants(tokens, self.clock())) is not None:
                ref = self.limiter.lease.remote(*want, self.drain_successes())
                self._apply(want, ray.get(ref))
            return self._take(tokens)

    # -- what the server said ------------------------------------------------------------
    def note_rate_limited(self, retry_after: float | None, headers: Mapping[str, str]) -> None:
        super().note_rate_limited(retry_after, headers)  # this worker pauses at once
        limits = {k.lower(): v for k, v in headers.items() if k.lower().startswith("x-ratelimit")}
        self.limiter.rate_limited.remote(retry_after, limits)  # and the actor tells the others

    def note_success(self, headers: Mapping[str, str]) -> None:
        self._successes += 1

    # -- in flight -----------------------------------------------------------------------
    async def settle(self) -> None:
        """Wait for permits still on their way (they go back if no request wants them)."""
        while self._permits.tasks:
            await asyncio.gather(*self._permits.tasks, return_exceptions=True)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if not self.max_concurrency:
            yield
            return
        await self._permits.acquire()
        try:
            yield
        finally:
            await self._permits.release()


class Permits:
    """In-flight permits leased from the actor, shared by one worker's requests."""

    def __init__(self, gate: ClusterGate) -> None:
        self.gate = gate
        self.held = 0
        self.busy = 0
        self.waiting = 0
        self.uses = 0
        self.since = 0.0
        self.fetching = False
        self.error: BaseException | None = None
        self._cond: asyncio.Condition | None = None
        self.tasks: set[asyncio.Task[None]] = set()

    def _condition(self) -> asyncio.Condition:
        if self._cond is None:
            self._cond = asyncio.Condition()
        return self._cond

    async def acquire(self) -> None:
        cond = self._condition()
        async with cond:
            self.waiting += 1
            try:
                while self.busy >= self.held:
                    if self.error is not None:
                        raise self.error
                    if not self.fetching:
                        self._fetch()
                    await cond.wait()
            finally:
                self.waiting -= 1
            self.busy += 1

    async def release(self) -> None:
        cond = self._condition()
        async with cond:
            self.busy -= 1
            self.uses += 1
            expired = (
                self.uses >= self.gate.lease_size * REUSE
                or self.gate.clock() - self.since >= self.gate.hold
            )
            if self.waiting and not expired:
                cond.notify()
                return
            self._give_back(1 if self.waiting else self.held - self.busy)
            if self.waiting and not self.fetching:
                self._fetch()

    def _fetch(self) -> None:
        self.fetching = True
        want = min(self.gate.lease_size, max(self.waiting - (self.held - self.busy), 1))
        ref = self.gate.limiter.acquire.remote(want, self.gate.drain_successes())
        task = asyncio.ensure_future(self._granted(ref))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _granted(self, ref: Any) -> None:
        try:
            granted, pause = await ref
        except Exception as exc:  # the actor is gone: fail the waiting requests, not hang
            granted, pause, self.error = 0, 0.0, exc
        cond = self._condition()
        async with cond:
            now = self.gate.clock()
            self.gate.round_trips += 1
            self.gate.note_pause(pause, now)
            self.fetching = False
            self.held += granted
            self.uses, self.since = 0, now
            idle = self.held - self.busy - self.waiting
            if idle > 0:  # asked for more than is still wanted: give the rest back
                self._give_back(idle)
            cond.notify_all()

    def _give_back(self, count: int) -> None:
        if count > 0:
            self.held -= count
            self.gate.limiter.release.remote(count)
