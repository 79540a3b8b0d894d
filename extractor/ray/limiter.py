"""The cluster's one rate limiter: requests and tokens per minute, and requests in flight.

:class:`Limiter` runs as one named Ray actor (:func:`cluster_limiter`: ``num_cpus=0``, found by
name, so every job and worker that names it shares it). It keeps its state in a
:class:`~extractor.llm.ratelimit.RateGate`, the same pacing the local runner uses: the budgets
(GCRA), the pause after a 429 and the adaptive in-flight limit. Workers never ask it once per
request: :class:`~extractor.ray.gate.ClusterGate` leases several request slots, a block of
tokens, or several in-flight permits per call.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import ray

from extractor.llm.ratelimit import RateGate

NAMESPACE = "extractor"
MAX_CALLS_AT_ONCE = 1000  # workers waiting for permits park here: allow plenty


class Limiter:
    """Pacing shared by every worker of a cluster (async Ray actor: one loop, no locks)."""

    def __init__(self, rpm: float | None, tpm: float | None, max_in_flight: int | None) -> None:
        self.gate = RateGate(rpm=rpm, tpm=tpm, concurrency=max_in_flight)
        self.in_use = 0
        self.calls = 0
        self.max_in_use = 0
        self._cond: asyncio.Condition | None = None

    def configure(self, rpm: float | None, tpm: float | None, max_in_flight: int | None) -> None:
        """Take new limits (a later job naming the same limiter); counters and pause stay."""
        gate = self.gate
        gate.rpm, gate.tpm, gate.max_concurrency = rpm, tpm, max_in_flight
        gate.limit = float(max_in_flight) if max_in_flight else 0.0

    def _condition(self) -> asyncio.Condition:
        if self._cond is None:
            self._cond = asyncio.Condition()
        return self._cond

    def _capacity(self) -> float:
        gate = self.gate
        return float(max(int(gate.limit), 1)) if gate.max_concurrency else float("inf")

    def _pause(self) -> float:
        return max(self.gate.pause_until - self.gate.clock(), 0.0)

    def _note_successes(self, successes: int) -> None:
        for _ in range(min(successes, 256)):
            self.gate.note_success({})

    async def lease(
        self, requests: int, tokens: int, successes: int = 0
    ) -> tuple[list[float], float, float]:
        """Book ``requests`` slots and ``tokens`` tokens: the wait before each slot opens,
        before the tokens may be spent, and the pause in force (all in seconds from now)."""
        self.calls += 1
        self._note_successes(successes)
        starts, token_wait = self.gate.lease(requests, tokens)
        return starts, token_wait, self._pause()

    async def acquire(self, want: int, successes: int = 0) -> tuple[int, float]:
        """Wait until a permit is free, then grant up to ``want``; also the pause in force."""
        self.calls += 1
        self._note_successes(successes)
        cond = self._condition()
        async with cond:
            await cond.wait_for(lambda: self.in_use < self._capacity())
            granted = int(min(float(max(want, 1)), self._capacity() - self.in_use))
            self.in_use += granted
            self.max_in_use = max(self.max_in_use, self.in_use)
        return granted, self._pause()

    async def release(self, count: int) -> None:
        """Permits given back."""
        self.calls += 1
        cond = self._condition()
        async with cond:
            self.in_use = max(self.in_use - count, 0)
            cond.notify_all()

    async def rate_limited(self, retry_after: float | None, headers: Mapping[str, str]) -> None:
        """A worker got a 429: pause everyone when a budget is spent, and cut the limit."""
        self.calls += 1
        self.gate.in_flight = self.in_use
        self.gate.note_rate_limited(retry_after, headers)  # a lower limit holds back grants

    async def stats(self) -> dict[str, Any]:
        """Counters for benchmarks and tests."""
        return {
            "calls": self.calls,
            "in_use": self.in_use,
            "max_in_use": self.max_in_use,
            "limit": self.gate.limit,
            "rate_limited": self.gate.rate_limited,
            "pause": self._pause(),
        }


def cluster_limiter(
    name: str, *, rpm: float | None, tpm: float | None, max_in_flight: int | None
) -> Any:
    """The named limiter actor (made on first use, in namespace ``extractor``), set to these
    limits. It lives as long as the job that made it."""
    actor: Any = ray.remote(Limiter)
    handle = actor.options(
        name=name,
        namespace=NAMESPACE,
        get_if_exists=True,
        num_cpus=0,
        max_concurrency=MAX_CALLS_AT_ONCE,
    ).remote(rpm, tpm, max_in_flight)
    ray.get(handle.configure.remote(rpm, tpm, max_in_flight))
    return handle
