"""The retry transport: Retry-After in every spelling, caps on waits and attempts, what is not
retried, and the rate gate it feeds. No real sleeping: the endpoint records the waits."""

from __future__ import annotations

import email.utils
import random

import httpx2
import pytest
from tenacity import RetryCallState

from extractor.errors import ConfigError, RateLimitError, TransientError
from extractor.extraction import Extractor
from extractor.llm.ratelimit import RateGate
from extractor.llm.transport import (
    MAX_SINGLE_WAIT,
    RetryableStatus,
    RetryPolicy,
    _Waiter,
    retry_after,
)
from extractor.settings import Settings
from extractor.testing.fakes import Reply, ScriptedEndpoint

ANSWER = {"title": "Nurse", "company": "Clinic"}
NOW = 1_800_000_000.0


def _response(**headers: str) -> httpx2.Response:
    return httpx2.Response(429, headers=headers)


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after": "7"}, 7.0),
        ({"retry-after": "0.25"}, 0.25),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),  # ms is the more precise
        ({"retry-after-ms": "soon", "retry-after": "9"}, 9.0),
        ({"retry-after": email.utils.formatdate(NOW + 30, usegmt=True)}, 30.0),
        ({"retry-after": email.utils.formatdate(NOW - 30, usegmt=True)}, 0.0),  # in the past
        ({"retry-after": "-5"}, 0.0),
        ({"retry-after": "whenever"}, None),
        ({}, None),
    ],
)
def test_retry_after_spellings(headers: dict[str, str], seconds: float | None) -> None:
    got = retry_after(_response(**headers), now=NOW)
    assert got == (pytest.approx(seconds, abs=1.0) if seconds is not None else None)


def _state(attempt: int, response: httpx2.Response | None) -> RetryCallState:
    state = RetryCallState(retry_object=None, fn=None, args=(), kwargs={})  # type: ignore[arg-type]
    state.attempt_number = attempt
    exc: BaseException = (
        RetryableStatus(response) if response is not None else httpx2.ConnectError("x")
    )
    state.set_exception((type(exc), exc, None))
    return state


@pytest.mark.parametrize(
    ("attempt", "headers", "low", "high"),
    [
        (1, {"retry-after": "3"}, 3.0, 3.0),
        (1, {"retry-after": "3600"}, MAX_SINGLE_WAIT, MAX_SINGLE_WAIT),  # capped
        (1, None, 0.0, 0.5),  # no header: jitter up to initial_backoff * 2^(n-1)
        (3, None, 0.0, 2.0),
        (12, None, 0.0, 20.0),  # never above max_backoff
    ],
)
def test_waits_follow_the_server_else_capped_exponential_jitter(
    attempt: int, headers: dict[str, str] | None, low: float, high: float
) -> None:
    waiter = _Waiter(RetryPolicy(), random.Random(1))
    response = _response(**headers) if headers is not None else None
    for _ in range(20):
        assert low <= waiter(_state(attempt, response)) <= high


@pytest.mark.parametrize(
    ("replies", "error", "requests", "sleeps"),
    [
        ([Reply.status(429, retry_after="2"), Reply.ok(ANSWER)], None, 2, [2.0]),
        ([Reply.status(503, retry_after="1"), Reply.status(502), Reply.ok(ANSWER)], None, 3, None),
        ([Reply.status(429, retry_after="1")], RateLimitError, 20, [1.0] * 19),  # 429s apart
        ([Reply.status(500)], TransientError, 6, None),
        (  # rate limiting alone outlasts the other failures' budget: 10 x 429, then an answer
            [*[Reply.status(429, retry_after="1")] * 10, Reply.ok(ANSWER)],
            None,
            11,
            [1.0] * 10,
        ),
        (  # a 429 does not use up the attempts of other failures
            [Reply.status(429, retry_after="1"), *[Reply.status(500)] * 6],
            TransientError,
            7,
            None,
        ),
        ([Reply.status(400)], ConfigError, 1, []),  # not retried: fix the request
        (
            [Reply.status(429, body={"error": {"code": "insufficient_quota", "message": "q"}})],
            ConfigError,
            1,
            [],
        ),  # exhausted quota: waiting does not help
    ],
)
def test_retry_policy(
    settings: Settings,
    replies: list[Reply],
    error: type[Exception] | None,
    requests: int,
    sleeps: list[float] | None,
) -> None:
    endpoint = ScriptedEndpoint(*replies)
    with Extractor(settings=settings.with_(use_cache=False), llm=endpoint.llm(settings)) as ex:
        if error is None:
            outcome = ex.run("Nurse\nClinic\n")
            assert outcome.usage.requests == requests
        else:
            with pytest.raises(error):
                ex.run("Nurse\nClinic\n")
    assert len(endpoint.requests) == requests
    if sleeps is not None:
        assert endpoint.sleeps == sleeps


def test_total_wait_is_capped(settings: Settings) -> None:
    endpoint = ScriptedEndpoint(Reply.status(429, retry_after="50"))
    capped = settings.with_(use_cache=False, max_retry_wait=120.0)
    with Extractor(settings=capped, llm=endpoint.llm(capped)) as ex, pytest.raises(RateLimitError):
        ex.run("Nurse\nClinic\n")
    # a third wait of 50 s would make 150 s > 120 s: stop after two waits, three attempts
    assert endpoint.sleeps == [50.0, 50.0] and len(endpoint.requests) == 3


async def test_async_retries_feed_the_gate_and_wait_as_told(settings: Settings) -> None:
    endpoint = ScriptedEndpoint(
        Reply.status(429, retry_after="4"), Reply.status(429, retry_after="4"), Reply.ok(ANSWER)
    )
    gate = RateGate(concurrency=8)
    off = settings.with_(use_cache=False)
    async with Extractor(settings=off, llm=endpoint.llm(off, gate=gate)) as ex:
        outcome = await ex.arun("Nurse\nClinic\n")
    assert outcome.usage.requests == 3
    assert gate.rate_limited == 2
    assert gate.pause_until > 0  # a 4 s Retry-After pauses everyone
    # the second attempt waits for Retry-After, then the gate's pause (already past on a fake sleep)
    assert endpoint.sleeps[0] == 4.0
