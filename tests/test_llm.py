"""The LLM client: a cassette replay of a 401, and scripted faults for the failure paths.

cassettes/test_llm/test_401_gives_a_clear_error.yaml was recorded from a real llama_cpp.server
started with --api_key (see cassettes/README.md); whole exchanges with a real model are replayed
in tests/test_real_server.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from extractor import (
    AuthError,
    ConfigError,
    Extractor,
    IncompleteAnswerError,
    InvalidAnswerError,
    TransientError,
)
from extractor.errors import RateLimitError
from extractor.settings import Settings
from extractor.testing.fakes import Reply, ScriptedEndpoint
from extractor.testing.simulator import INVALID_ANSWER
from tests.conftest import SEEDS, TEST_KEY

SEED_TEXT = SEEDS[0].read_text(encoding="utf-8")
GOOD = {
    "title": "Machine Learning Engineer Intern (USDS) - 2026 Summer (BS/MS)",
    "company": "TikTok",
}


def _played(cassette: Any, expected: int) -> None:
    """Prove the cassette answered: a replay that silently went elsewhere fails here."""
    assert cassette is not None
    if str(cassette.record_mode).endswith("none"):  # replaying
        assert cassette.play_count == expected
        assert cassette.all_played
    else:  # recording: the exchange was captured
        assert len(cassette) == expected


# -- cassette replays ----------------------------------------------------------------------------
# Happy paths, re-asks, cut-offs and refusals are replayed from a real server in
# tests/test_real_server.py; the 401 below was recorded from llama_cpp.server --api_key.
@pytest.mark.vcr
def test_401_gives_a_clear_error(recorded_endpoint: Settings, vcr: Any) -> None:
    with Extractor(settings=recorded_endpoint) as ex, pytest.raises(AuthError) as info:
        ex.run(SEED_TEXT)
    message = str(info.value)
    assert "401" in message and "OPENAI_API_KEY" in message
    assert TEST_KEY not in message and TEST_KEY not in repr(info.value)
    _played(vcr, 1)


# -- scripted failure paths ----------------------------------------------------------------------
def test_429_with_retry_after_then_success(settings: Settings) -> None:
    endpoint = ScriptedEndpoint(Reply.status(429, retry_after="7"), Reply.ok(GOOD))
    with Extractor(settings=settings, llm=endpoint.llm(settings)) as ex:
        outcome = ex.run(SEED_TEXT)
    assert endpoint.sleeps == [7.0]  # waited exactly what the server asked, without sleeping
    assert len(endpoint.requests) == 2
    assert outcome.usage.requests == 2


def test_usage_is_summed_across_a_reask(settings: Settings) -> None:
    endpoint = ScriptedEndpoint(Reply.ok(INVALID_ANSWER), Reply.ok(GOOD))
    with Extractor(settings=settings, llm=endpoint.llm(settings)) as ex:
        outcome = ex.run(SEED_TEXT)
    assert len(endpoint.requests) == 2
    # the second request carries the validation error back to the model
    assert "must not be greater" in str(endpoint.requests[1]["messages"][-1])
    single = ScriptedEndpoint(Reply.ok(GOOD))
    with Extractor(settings=settings.with_(use_cache=False), llm=single.llm(settings)) as ex:
        once = ex.run(SEED_TEXT)
    assert outcome.usage.prompt_tokens > once.usage.prompt_tokens * 2 - 10
    assert outcome.usage.completion_tokens > once.usage.completion_tokens
    assert outcome.usage.requests == 2 and once.usage.requests == 1


def test_answers_that_never_validate_end_after_bounded_reasks(settings: Settings) -> None:
    endpoint = ScriptedEndpoint(Reply.ok(INVALID_ANSWER))
    two = settings.with_(max_reasks=2)
    with (
        Extractor(settings=two, llm=endpoint.llm(two)) as ex,
        pytest.raises(InvalidAnswerError) as info,
    ):
        ex.run(SEED_TEXT)
    assert len(endpoint.requests) == 3
    assert info.value.attempts == 3
    assert info.value.usage.requests == 3


@pytest.mark.parametrize(
    ("reply", "error", "words", "requests"),
    [
        (Reply.status(401), AuthError, "OPENAI_API_KEY", 1),
        (Reply.status(403), AuthError, "permissions", 1),
        (Reply.status(404), AuthError, "model name", 1),
        (Reply.status(400), ConfigError, "rejected the request", 1),
        (
            Reply.status(429, body={"error": {"code": "insufficient_quota", "message": "quota"}}),
            ConfigError,
            "quota",
            1,
        ),
        (Reply.status(500), TransientError, "HTTP 500", 3),
        (Reply.status(503, retry_after="1"), TransientError, "HTTP 503", 3),
        (Reply.status(429, retry_after="1"), RateLimitError, "429", 20),  # 429s counted apart
    ],
)
def test_http_failures_map_to_clear_errors(
    settings: Settings, reply: Reply, error: type[Exception], words: str, requests: int
) -> None:
    endpoint = ScriptedEndpoint(reply)
    capped = settings.with_(max_attempts=3)
    with Extractor(settings=capped, llm=endpoint.llm(capped)) as ex, pytest.raises(error) as info:
        ex.run(SEED_TEXT)
    assert words in str(info.value)
    assert len(endpoint.requests) == requests
    assert "\n" not in str(info.value)


def test_truncated_answer_is_an_incomplete_answer_error(settings: Settings) -> None:
    endpoint = ScriptedEndpoint(Reply.ok(GOOD, fault="truncated"))
    with (
        Extractor(settings=settings, llm=endpoint.llm(settings)) as ex,
        pytest.raises(IncompleteAnswerError) as info,
    ):
        ex.run(SEED_TEXT)
    assert "cut off" in str(info.value)
    assert len(endpoint.requests) == 1  # raising the limit is the fix, not re-asking


def test_sdk_retries_are_off_and_timeout_is_real(settings: Settings) -> None:
    endpoint = ScriptedEndpoint(Reply.ok(GOOD))
    client = endpoint.llm(settings.with_(timeout=12.5))
    raw = client.sync_client.client
    assert raw.max_retries == 0
    assert raw.timeout == 12.5


@pytest.mark.parametrize("mode", ["tools", "json_schema", "json", "md_json"])
async def test_every_instructor_mode_works_against_the_local_server(
    settings: Settings, mode: str
) -> None:
    from extractor.testing.simulator import Simulator, SimulatorConfig, scripted

    with Simulator(SimulatorConfig(answerer=scripted([GOOD]))) as sim:
        local = settings.with_(base_url=sim.base_url, mode=mode, use_cache=False)
        with Extractor(settings=local) as ex:
            outcome = ex.run(SEED_TEXT)
        async with Extractor(settings=local) as ex:
            again = await ex.arun(SEED_TEXT)
    assert outcome.data.model_dump()["company"] == "TikTok"
    assert again.data.model_dump() == outcome.data.model_dump()
    assert sim.stats.received == 2


def test_error_records_count_the_requests_spent(settings: Settings, tmp_path: Any) -> None:
    from extractor.batch.record import Record

    endpoint = ScriptedEndpoint(Reply.status(500))
    capped = settings.with_(max_attempts=3)
    with (
        Extractor(settings=capped, llm=endpoint.llm(capped)) as ex,
        pytest.raises(TransientError) as info,
    ):
        ex.run(SEED_TEXT)
    record = Record.failure(
        "a.txt", "sha", info.value, task="job_posting", backend="llm", model="m", run_key="k"
    )
    assert record.to_dict()["usage"]["requests"] == 3 == len(endpoint.requests)
