"""The cluster limiter (``extractor.ray.limiter``) and a worker's gate (``extractor.ray.gate``),
driven from the test process: several gates on one named limiter stand for several workers."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from typing import Any

import pytest

pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[ray]'")

import ray

from extractor.ray.gate import ClusterGate
from extractor.ray.limiter import cluster_limiter

pytestmark = pytest.mark.ray
_names = itertools.count()


def limiter(**limits: Any) -> Any:
    params = {"rpm": None, "tpm": None, "max_in_flight": None, **limits}
    return cluster_limiter(f"test-gate-{next(_names)}", **params)


async def settled(handle: Any, done: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """The limiter's stats once ``done`` says so (reports sent without waiting have landed),
    or after 5 s."""
    for _ in range(100):
        stats: dict[str, Any] = ray.get(handle.stats.remote())
        if done(stats):
            break
        await asyncio.sleep(0.05)
    return stats


async def test_request_slots_are_booked_for_the_whole_cluster(ray_cluster: Any) -> None:
    handle = limiter(rpm=600)  # one request every 0.1 s, whoever sends it
    first = ClusterGate(handle, rpm=600, lease=4)
    second = ClusterGate(handle, rpm=600, lease=4)
    mine = [await first.areserve() for _ in range(4)]
    theirs = await second.areserve()
    gaps = [b - a for a, b in itertools.pairwise(mine)]
    assert all(gap == pytest.approx(0.1, abs=0.02) for gap in gaps)
    assert theirs >= mine[-1] + 0.05  # after all four slots the first worker leased
    assert first.round_trips == 1 and second.round_trips == 1


async def test_leasing_makes_the_limiter_cost_a_fraction_of_a_call_per_request(
    ray_cluster: Any,
) -> None:
    handle = limiter(rpm=1e9, tpm=1e12)
    gate = ClusterGate(handle, rpm=1e9, tpm=1e12, lease=8, hold=3600)
    for _ in range(200):
        await gate.areserve(100)
    assert gate.round_trips <= 200 / 8 + 2


async def test_a_retry_after_seen_by_one_worker_pauses_every_worker(ray_cluster: Any) -> None:
    handle = limiter()
    hit = ClusterGate(handle, hold=0)
    other = ClusterGate(handle, hold=0)  # asks for news before every request
    assert await other.areserve() == pytest.approx(0.0, abs=0.5)
    hit.note_rate_limited(30.0, {"x-ratelimit-remaining-requests": "0"})
    assert await hit.areserve() > 25  # the worker that got the 429 waits at once
    await settled(handle, lambda s: s["rate_limited"] == 1)
    assert await other.areserve() > 25  # and so does every other one


async def test_permits_cap_requests_in_flight_across_workers_and_all_come_back(
    ray_cluster: Any,
) -> None:
    cap = 4
    handle = limiter(max_in_flight=cap)
    gates = [ClusterGate(handle, max_in_flight=cap, lease=3, hold=0.05) for _ in range(3)]
    in_flight, seen, done = 0, [], 0

    async def request(gate: ClusterGate) -> None:
        nonlocal in_flight, done
        async with gate.slot():
            in_flight += 1
            seen.append(in_flight)
            await asyncio.sleep(0.005)
            in_flight -= 1
        done += 1

    await asyncio.gather(*(request(g) for g in gates for _ in range(20)))
    for gate in gates:
        await gate.settle()
    assert done == 60 and max(seen) <= cap
    assert all(g._permits.held == 0 for g in gates)  # every permit given back...
    # ... and the last give-back (sent without waiting for an answer) has landed
    stats = await settled(handle, lambda s: s["in_use"] == 0)
    assert stats["max_in_use"] <= cap and stats["in_use"] == 0


async def test_a_429_lowers_the_cluster_cap(ray_cluster: Any) -> None:
    handle = limiter(max_in_flight=8)
    gate = ClusterGate(handle, max_in_flight=8)
    async with gate.slot():
        gate.note_rate_limited(0.1, {})  # reported without waiting for an answer
        stats = await settled(handle, lambda s: s["rate_limited"] == 1)
    assert stats["limit"] < 8
