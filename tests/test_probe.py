"""Servers as they are: request-shape refusals end at once, and ``--mode auto`` probes once.

The refusal bodies are the ones real servers send: llama-cpp-python 0.3.36 answers an unknown
``response_format`` with HTTP 500 and its request-validation error (seen in
cassettes/test_real_server/); OpenAI-style servers answer 400.
"""

from __future__ import annotations

from typing import Any

import pytest

from extractor import Extractor
from extractor.errors import ConfigError, ModeRejectedError, TransientError
from extractor.llm.dialects import bound, request_extras
from extractor.llm.probe import EXPECTED
from extractor.llm.rejection import refusal
from extractor.settings import Settings
from extractor.testing.fakes import Reply, ScriptedEndpoint
from tests.conftest import SEEDS

SEED_TEXT = SEEDS[0].read_text(encoding="utf-8")
GOOD = {
    "title": "Machine Learning Engineer Intern (USDS) - 2026 Summer (BS/MS)",
    "company": "TikTok",
}

LLAMA_CPP_500 = {
    "error": {
        "message": "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', "
        "'response_format', 'type'), 'msg': \"Input should be 'text' or 'json_object'\", "
        "'input': 'json_schema', 'ctx': {'expected': \"'text' or 'json_object'\"}}\n\n  File "
        '"/srv/llama_cpp/server/app.py", line 376, in create_chat_completion\n    POST '
        "/v1/chat/completions",
        "type": "internal_server_error",
        "param": None,
        "code": None,
    }
}
OPENAI_400 = {
    "error": {
        "message": "Invalid parameter: 'response_format' of type 'json_schema' is not supported "
        "with this model.",
        "type": "invalid_request_error",
    }
}
CRASH_500 = {"error": {"message": "CUDA out of memory", "type": "internal_server_error"}}


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (500, LLAMA_CPP_500, "response_format.type: Input should be 'text' or 'json_object'"),
        (400, OPENAI_400, "Invalid parameter: 'response_format' of type 'json_schema' is not"),
        (500, CRASH_500, None),  # a crash may pass: retried as before
        (503, {"error": {"message": "loading model"}}, None),
        (429, OPENAI_400, None),  # never a refusal of shape
        (200, OPENAI_400, None),
    ],
)
def test_refusals_are_recognised_by_their_body(
    status: int, body: dict[str, Any], expected: str | None
) -> None:
    detail = refusal(status, body)
    if expected is None:
        assert detail is None
    else:
        assert detail is not None and detail.startswith(expected) and "\n" not in detail


def test_a_refused_mode_ends_at_once_and_is_not_asked_again(settings: Settings) -> None:
    endpoint = ScriptedEndpoint(Reply.status(500, body=LLAMA_CPP_500))
    schema_mode = settings.with_(mode="json_schema", use_cache=False)
    with Extractor(settings=schema_mode, llm=endpoint.llm(schema_mode)) as ex:
        with pytest.raises(ModeRejectedError) as info:
            ex.run(SEED_TEXT)
        assert len(endpoint.requests) == 1  # no retries: the same request fails the same way
        with pytest.raises(ModeRejectedError):
            ex.run(SEED_TEXT + "\nanother page")
        assert len(endpoint.requests) == 1  # remembered: the second input asks nothing
    message = str(info.value)
    assert isinstance(info.value, ConfigError) and not isinstance(info.value, TransientError)
    assert "--mode json_schema" in message and "json_object_schema" in message
    assert "HTTP 500" in message and "\n" not in message and "app.py" not in message


def test_a_crash_500_is_still_retried_as_transient(settings: Settings) -> None:
    endpoint = ScriptedEndpoint(Reply.status(500, body=CRASH_500))
    capped = settings.with_(max_attempts=3)
    with (
        Extractor(settings=capped, llm=endpoint.llm(capped)) as ex,
        pytest.raises(TransientError),
    ):
        ex.run(SEED_TEXT)
    assert len(endpoint.requests) == 3


@pytest.mark.parametrize(
    ("replies", "chosen", "probes"),
    [
        # llama-cpp-python: json_schema refused (500), json_object + schema enforced
        ([Reply.status(500, body=LLAMA_CPP_500), Reply.ok(EXPECTED)], "json_object_schema", 2),
        # an OpenAI-compatible server that enforces json_schema
        ([Reply.ok(EXPECTED)], "json_schema", 1),
        # a server that ignores response_format (prose back) but enforces tools
        ([Reply.ok("Hello!"), Reply.ok("Hi there"), Reply.ok(EXPECTED)], "tools", 3),
        # nothing enforced: fall back to md_json
        ([Reply.status(400, body=OPENAI_400), Reply.ok("Hello"), Reply.ok({"x": 1})], "md_json", 3),
    ],
)
def test_auto_probes_once_and_picks_what_the_server_enforces(
    settings: Settings, replies: list[Reply], chosen: str, probes: int
) -> None:
    auto = settings.with_(mode="auto", use_cache=False)
    endpoint = ScriptedEndpoint(*replies, Reply.ok(GOOD))
    llm = endpoint.llm(auto)
    with Extractor(settings=auto, llm=llm) as ex:
        first = ex.run(SEED_TEXT)
        ex.run(SEED_TEXT + "\nagain")
    assert llm.mode == chosen and llm.probe_result is not None
    assert len(endpoint.requests) == probes + 2  # probed once, then one request per input
    assert all(r["max_tokens"] == 16 for r in endpoint.requests[:probes])
    assert first.data.model_dump()["company"] == "TikTok"
    answer = endpoint.requests[probes]
    if chosen == "json_object_schema":
        fmt = answer["response_format"]
        assert fmt["type"] == "json_object" and "schema" in fmt
    assert chosen in llm.probe_result.describe("http://llm.test/v1")


async def test_auto_probes_once_across_concurrent_async_calls(settings: Settings) -> None:
    import asyncio

    auto = settings.with_(mode="auto", use_cache=False)
    endpoint = ScriptedEndpoint(Reply.ok(EXPECTED), Reply.ok(GOOD))
    async with Extractor(settings=auto, llm=endpoint.llm(auto)) as ex:
        await asyncio.gather(*(ex.arun(SEED_TEXT + f"\n{i}") for i in range(4)))
    assert len(endpoint.requests) == 5


def test_auto_with_openai_uses_tools_without_probing(settings: Settings) -> None:
    openai_api = settings.with_(mode="auto", base_url=None, use_cache=False)
    endpoint = ScriptedEndpoint(Reply.ok(GOOD))
    with Extractor(settings=openai_api, llm=endpoint.llm(openai_api)) as ex:
        ex.run(SEED_TEXT)
    assert len(endpoint.requests) == 1 and endpoint.requests[0]["tools"]


def test_auto_stops_on_errors_no_mode_can_fix(settings: Settings) -> None:
    auto = settings.with_(mode="auto")
    endpoint = ScriptedEndpoint(Reply.status(401))
    with Extractor(settings=auto, llm=endpoint.llm(auto)) as ex, pytest.raises(ConfigError) as info:
        ex.run(SEED_TEXT)
    assert "401" in str(info.value) and len(endpoint.requests) == 1


def test_bounds_reach_every_string_and_list_but_not_enums_or_formats() -> None:
    schema = {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "kind": {"type": "string", "enum": ["a", "b"]},
            "day": {"type": "string", "format": "date"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "short": {"type": "string", "maxLength": 5},
        },
    }
    props = bound(schema)["properties"]
    assert props["title"]["maxLength"] == 300 and props["short"]["maxLength"] == 5
    assert "maxLength" not in props["kind"] and "maxLength" not in props["day"]
    assert props["tags"]["maxItems"] == 25 and props["tags"]["items"]["maxLength"] == 300
    assert bound(schema)["required"] == ["title", "kind", "day", "tags", "short"]
    assert "maxLength" not in schema["properties"]["title"]  # the original is left alone


def test_only_the_llama_cpp_dialect_adds_to_the_request() -> None:
    from extractor.evidence import quoted_schema
    from extractor.llm.internals import response_schema
    from extractor.tasks import load_task

    model = response_schema(quoted_schema(load_task("job_posting").schema))
    assert request_extras("tools", model) == {} and request_extras("json_schema", model) == {}
    fmt = request_extras("json_object_schema", model)["extra_body"]["response_format"]
    assert fmt["type"] == "json_object" and fmt["schema"]["properties"]["data"]


@pytest.mark.parametrize(
    ("base_url", "timeout", "expected"),
    [
        (None, None, 60.0),
        ("https://api.openai.com/v1", None, 60.0),
        ("https://llm.example.com/v1", None, 60.0),
        ("http://127.0.0.1:8000/v1", None, 600.0),
        ("http://localhost:11434/v1", None, 600.0),
        ("http://192.168.1.20:8000/v1", None, 600.0),
        ("http://127.0.0.1:8000/v1", 30.0, 30.0),
    ],
)
def test_the_default_timeout_suits_the_endpoint(
    base_url: str | None, timeout: float | None, expected: float
) -> None:
    assert Settings(base_url=base_url, timeout=timeout).request_timeout == expected
