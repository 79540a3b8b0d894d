"""The rate gate: rpm/tpm spacing on a fake clock, pauses on spent budgets, AIMD concurrency."""

from __future__ import annotations

import asyncio

import pytest

from extractor.llm.ratelimit import RateGate, _reset_seconds


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("rpm", "tpm", "tokens", "expected"),
    [
        (60, None, 1, [0.0, 1.0, 2.0, 3.0]),  # one request a second
        (120, None, 1, [0.0, 0.5, 1.0, 1.5]),
        (None, 600, 100, [0.0, 10.0, 20.0, 30.0]),  # 100 tokens at 600/min: every 10 s
        (60, 6000, 200, [0.0, 2.0, 4.0, 6.0]),  # the tighter budget wins
        (None, None, 1, [0.0, 0.0, 0.0, 0.0]),  # no budget: no waiting
    ],
)
def test_budgets_space_requests_out(
    rpm: float | None, tpm: float | None, tokens: int, expected: list[float]
) -> None:
    gate = RateGate(rpm=rpm, tpm=tpm, clock=Clock())
    assert [gate.reserve(tokens) for _ in expected] == pytest.approx(expected)


def test_spacing_counts_from_now_after_an_idle_spell() -> None:
    clock = Clock()
    gate = RateGate(rpm=60, clock=clock)
    assert gate.reserve() == 0.0
    clock.now += 30  # idle: no burst is owed, the next request goes at once
    assert gate.reserve() == 0.0
    assert gate.reserve() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("retry_after", "headers", "pause"),
    [
        (None, {"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "6s"}, 6.0),
        (None, {"x-ratelimit-remaining-tokens": "0", "x-ratelimit-reset-tokens": "1m30s"}, 90.0),
        (None, {"x-ratelimit-remaining-requests": "0"}, 1.0),  # spent, no reset given: 1 s
        (3.0, {"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "9s"}, 3.0),
        (5.0, {}, 5.0),  # a long Retry-After pauses everyone
        (0.5, {}, 0.0),  # a short one (an in-flight cap) only delays that request
        (None, {"x-ratelimit-remaining-requests": "7"}, 0.0),
    ],
)
def test_a_429_pauses_everyone_when_a_budget_is_spent(
    retry_after: float | None, headers: dict[str, str], pause: float
) -> None:
    clock = Clock()
    gate = RateGate(clock=clock)
    gate.note_rate_limited(retry_after, headers)
    assert gate.reserve() == pytest.approx(pause)
    assert gate.rate_limited == 1


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1s", 1.0), ("6m0s", 360.0), ("20ms", 0.02), ("0.5", 0.5), ("1h2m3s", 3723.0), ("x", None)],
)
def test_reset_durations(text: str, seconds: float | None) -> None:
    assert _reset_seconds(text) == (pytest.approx(seconds) if seconds is not None else None)


def test_each_429_takes_the_limit_one_below_what_was_in_flight() -> None:
    gate = RateGate(concurrency=64, clock=Clock())
    gate.in_flight = 64  # 64 sent to a server that takes 32: 32 come back refused
    for _ in range(32):
        gate.note_rate_limited(1.0, {})
        gate.in_flight -= 1  # the refused request leaves its slot to wait
    assert gate.limit == 32.0  # down to what the server took, in one round


def test_the_limit_grows_back_about_one_per_round_and_never_past_concurrency() -> None:
    gate = RateGate(concurrency=40, clock=Clock())
    gate.in_flight = 30
    gate.note_rate_limited(0.1, {})
    assert gate.limit == 29.0
    for _ in range(29):  # one round of successes
        gate.note_success({})
    assert gate.limit == pytest.approx(30.0, abs=0.1)
    for _ in range(10_000):
        gate.note_success({})
    assert gate.limit == 40.0


def test_the_limit_never_drops_below_one() -> None:
    gate = RateGate(concurrency=4, clock=Clock())
    gate.in_flight = 1
    for _ in range(50):
        gate.note_rate_limited(0.1, {})
    assert gate.limit == 1.0


async def test_slots_hold_in_flight_requests_to_the_limit() -> None:
    gate = RateGate(concurrency=3)
    gate.limit = 2.0
    seen: list[int] = []
    release = asyncio.Event()

    async def request() -> None:
        async with gate.slot():
            seen.append(gate.in_flight)
            await release.wait()

    tasks = [asyncio.create_task(request()) for _ in range(5)]
    await asyncio.sleep(0.01)
    assert gate.in_flight == 2 and max(seen) == 2
    release.set()
    await asyncio.gather(*tasks)
    assert gate.in_flight == 0 and len(seen) == 5


async def test_without_a_concurrency_slots_do_not_limit() -> None:
    gate = RateGate()
    async with gate.slot(), gate.slot():
        assert gate.in_flight == 0
