"""The simulator speaks OpenAI's chat API in every instructor mode and misbehaves on demand.

Tests talk to an in-process simulator on 127.0.0.1, which pytest's ``--allowed-hosts`` lets
through ``--block-network`` (see pyproject). Nothing sleeps on a timer: requests are held in
flight with the ``hang`` fault and released by stopping the simulator.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import httpx2
import instructor
import openai
import pydantic
import pytest

from extractor.document import Document
from extractor.errors import ConfigError
from extractor.testing.responses import REFUSAL, WRONG_TOOL
from extractor.testing.simulator import (
    INVALID_ANSWER,
    Simulator,
    SimulatorConfig,
    SimulatorServer,
    answerers,
    minimal,
    offline,
    scripted,
)
from extractor.testing.simulator.__main__ import build_parser, config_from
from extractor.testing.simulator.answerers import jsonable, offline_as_of

ROOT = Path(__file__).resolve().parents[1]


def load_schema() -> ModuleType:
    spec = importlib.util.spec_from_file_location("job_posting", ROOT / "extractor/job_posting.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # pydantic resolves the postponed annotations through it
    spec.loader.exec_module(module)
    return module


JobPosting: type[pydantic.BaseModel] = load_schema().JobPosting

POSTING = "Extract the job.\n<posting>\n\n  Senior Data Engineer  \nAcme Corp, Berlin\n</posting>"
MESSAGES: list[Any] = [
    {"role": "system", "content": "You extract job postings."},
    {"role": "user", "content": POSTING},
]
TOOL: Any = {
    "type": "function",
    "function": {"name": "JobPosting", "parameters": JobPosting.model_json_schema()},
}
TOOLS_REQUEST: dict[str, Any] = {
    "tools": [TOOL],
    "tool_choice": {"type": "function", "function": {"name": "JobPosting"}},
}
SCHEMA_FORMAT = {"name": "JobPosting", "schema": JobPosting.model_json_schema()}


@contextmanager
def simulator(**knobs: Any) -> Iterator[Simulator]:
    with Simulator(SimulatorConfig(**knobs)) as sim:
        yield sim


@pytest.fixture(scope="module")
def http() -> Iterator[httpx2.Client]:
    """One client for the module: building one (its SSL context) costs ~70 ms."""
    with httpx2.Client(timeout=5) as shared:
        yield shared


def post(
    http: httpx2.Client, sim: Simulator, extra: dict[str, Any] | None = None, **options: Any
) -> httpx2.Response:
    body = {
        "model": "gpt-test",
        "messages": MESSAGES,
        **(TOOLS_REQUEST if extra is None else extra),
    }
    return http.post(f"{sim.base_url}/chat/completions", json=body, **options)


def dig(data: Any, path: str) -> Any:
    for key in path.split("."):
        data = data[int(key)] if isinstance(data, list) else data[key]
    return data


# --- answer shapes per mode ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "finish", "text_path", "fenced"),
    [
        (TOOLS_REQUEST, "tool_calls", "tool_calls.0.function.arguments", False),
        (
            {"response_format": {"type": "json_schema", "json_schema": SCHEMA_FORMAT}},
            "stop",
            "content",
            False,
        ),
        ({"response_format": {"type": "json_object"}}, "stop", "content", False),
        ({}, "stop", "content", True),  # neither tools nor format: MD_JSON
        ({"response_format": {"type": "text"}}, "stop", "content", True),
    ],
    ids=["tools", "json_schema", "json", "md_json", "md_json-text-format"],
)
def test_each_mode_gets_its_answer_shape(
    extra: dict[str, Any], finish: str, text_path: str, fenced: bool, http: httpx2.Client
) -> None:
    with simulator() as sim:
        reply = post(http, sim, extra)
    data = reply.json()
    assert reply.status_code == 200
    assert {"id", "object", "created", "model", "usage"} <= data.keys()
    assert data["model"] == "gpt-test"
    assert data["object"] == "chat.completion"
    usage = data["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 0
    choice = data["choices"][0]
    assert choice["finish_reason"] == finish
    text = dig(choice["message"], text_path)
    if fenced:
        assert text.startswith("```json\n") and text.endswith("\n```")
        text = text.removeprefix("```json\n").removesuffix("\n```")
    answer = JobPosting.model_validate_json(text)
    assert answer.model_dump()["title"] == "Senior Data Engineer"


def test_tool_call_names_the_forced_function(http: httpx2.Client) -> None:
    with simulator() as sim:
        data = post(http, sim).json()
    assert data["choices"][0]["message"]["tool_calls"][0]["function"]["name"] == "JobPosting"


@pytest.mark.parametrize(
    ("method", "path", "key"),
    [
        ("POST", "/chat/completions", "choices"),
        ("POST", "/v1/chat/completions", "choices"),
        ("GET", "/v1/models", "data"),
        ("GET", "/models", "data"),
        ("GET", "/_stats", "received"),
    ],
)
def test_routes(method: str, path: str, key: str, http: httpx2.Client) -> None:
    with simulator() as sim:
        root = sim.base_url.removesuffix("/v1")
        body = {"model": "m", "messages": MESSAGES}
        reply = http.request(method, root + path, json=body if method == "POST" else None)
    assert reply.status_code == 200
    assert key in reply.json()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[1, 2", "not a JSON object"),
        (b"[1, 2]", "not a JSON object"),
        (json.dumps({"messages": MESSAGES, "stream": True}).encode(), "does not stream"),
    ],
)
def test_requests_it_cannot_answer_get_a_400(
    content: bytes, message: str, http: httpx2.Client
) -> None:
    with simulator() as sim:
        reply = http.post(f"{sim.base_url}/chat/completions", content=content)
    assert reply.status_code == 400
    assert reply.json()["error"]["type"] == "invalid_request_error"
    assert message in reply.json()["error"]["message"]
    assert sim.stats.outcomes == {"bad_request": 1}


# --- the minimal answerer --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("messages", "title"),
    [
        ([{"role": "user", "content": POSTING}], "Senior Data Engineer"),
        ([{"role": "user", "content": "\n  Nurse (m/w/d)\nMunich"}], "Nurse (m/w/d)"),
        ([{"role": "user", "content": [{"type": "text", "text": "<posting>A\nB</posting>"}]}], "A"),
        (
            [
                {"role": "user", "content": "<posting>Old</posting>"},
                {"role": "assistant", "content": "{}"},
                {"role": "user", "content": "<posting>New</posting>"},
            ],
            "New",
        ),
        (
            [{"role": "user", "content": "<posting>Cut off, no closing tag"}],
            "Cut off, no closing tag",
        ),
        ([{"role": "user", "content": "<posting> \n </posting>"}], None),
        ([{"role": "system", "content": "<posting>System</posting>"}], None),
        ([{"role": "user", "content": "<posting>" + "x" * 500 + "</posting>"}], "x" * 200),
    ],
    ids=["tags", "no-tags", "content-parts", "last-user", "unclosed", "blank", "no-user", "long"],
)
def test_minimal_takes_the_title_from_the_first_posting_line(
    messages: list[dict[str, Any]], title: str | None
) -> None:
    answer = minimal({"messages": messages})
    assert answer["title"] == title
    assert JobPosting.model_validate(answer).model_dump()["skills"] == []


# --- faults ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "status", "path", "expected"),
    [
        ("ok", 200, "choices.0.finish_reason", "tool_calls"),
        ("500", 500, "error.type", "server_error"),
        ("502", 502, "error.type", "server_error"),
        ("503", 503, "error.type", "server_error"),
        ("504", 504, "error.type", "server_error"),
        ("401", 401, "error.code", "invalid_api_key"),
        ("429", 429, "error.code", "rate_limit_exceeded"),
        ("truncated", 200, "choices.0.finish_reason", "length"),
        ("refusal", 200, "choices.0.message.refusal", REFUSAL),
        ("refusal", 200, "choices.0.message.content", None),
        ("empty_choices", 200, "choices", []),
        ("wrong_tool", 200, "choices.0.message.tool_calls.0.function.name", WRONG_TOOL),
        (
            "invalid",
            200,
            "choices.0.message.tool_calls.0.function.arguments",
            json.dumps(INVALID_ANSWER, separators=(",", ":")),
        ),
    ],
)
def test_scripted_fault_shapes(
    fault: str, status: int, path: str, expected: Any, http: httpx2.Client
) -> None:
    with simulator(scripted_faults=[fault]) as sim:
        reply = post(http, sim)
    assert reply.status_code == status
    assert dig(reply.json(), path) == expected
    assert sim.stats.outcomes == {fault: 1}


def test_refusal_has_no_tool_call(http: httpx2.Client) -> None:
    with simulator(scripted_faults=["refusal"]) as sim:
        message = post(http, sim).json()["choices"][0]["message"]
    assert "tool_calls" not in message


def test_scripted_faults_apply_in_order_then_stop(http: httpx2.Client) -> None:
    with simulator(scripted_faults=["429", "500", "ok"], retry_after=1) as sim:
        replies = [post(http, sim) for _ in range(4)]
    assert [reply.status_code for reply in replies] == [429, 500, 200, 200]
    assert replies[0].headers["Retry-After"] == "1"
    assert sim.stats.outcomes == {"429": 1, "500": 1, "ok": 2}


def test_truncated_sends_the_first_half_of_the_arguments(http: httpx2.Client) -> None:
    with simulator(scripted_faults=["ok", "truncated"]) as sim:
        full, cut = (
            dig(post(http, sim).json(), "choices.0.message.tool_calls.0.function.arguments")
            for _ in range(2)
        )
    assert cut == full[: len(full) // 2]
    with pytest.raises(ValueError):
        json.loads(cut)


def test_invalid_answer_fails_validation() -> None:
    with pytest.raises(pydantic.ValidationError, match=r"pay\.min"):
        JobPosting.model_validate(INVALID_ANSWER)


def test_malformed_is_a_200_with_a_broken_body(http: httpx2.Client) -> None:
    with simulator(scripted_faults=["malformed"]) as sim:
        reply = post(http, sim)
    assert (reply.status_code, reply.text) == (200, "{not json")


def test_reset_closes_the_connection_without_an_answer(http: httpx2.Client) -> None:
    with simulator(scripted_faults=["reset", "ok"]) as sim:
        with pytest.raises(httpx2.RemoteProtocolError):
            post(http, sim)
        assert post(http, sim).status_code == 200


def test_hang_outlasts_the_client_timeout_and_stops_fast(http: httpx2.Client) -> None:
    with simulator(scripted_faults=["hang"], hang_seconds=5) as sim:
        with pytest.raises(httpx2.TimeoutException):
            post(http, sim, timeout=0.1)
        assert sim.stats.in_flight == 1
        started = time.perf_counter()
    assert time.perf_counter() - started < 1.0


def test_status_401_refuses_every_request(http: httpx2.Client) -> None:
    with simulator(status_401=True) as sim:
        codes = {post(http, sim).status_code for _ in range(3)}
    assert codes == {401}


def test_random_faults_are_seeded_and_near_their_rates() -> None:
    config = SimulatorConfig(error_500=0.2, reset=0.1, invalid=0.05, seed=7)
    first = SimulatorServer(config)
    draws = [first.pick_fault(n) for n in range(20_000)]
    again = SimulatorServer(config)
    assert draws == [again.pick_fault(n) for n in range(20_000)]
    share = {name: draws.count(name) / len(draws) for name in ("500", "reset", "invalid", "ok")}
    assert share == pytest.approx(
        {"500": 0.2, "reset": 0.1, "invalid": 0.05, "ok": 0.65}, abs=0.015
    )
    assert SimulatorServer(SimulatorConfig(error_500=0.2, seed=8)).pick_fault(0) in {"500", "ok"}


# --- limits ----------------------------------------------------------------------------------


def wait_until(condition: Any, timeout: float = 2.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.002)


def test_requests_beyond_max_in_flight_get_429_with_retry_after(http: httpx2.Client) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        with simulator(
            max_in_flight=2, retry_after=0.05, scripted_faults=["hang", "hang"], hang_seconds=5
        ) as sim:
            held = [pool.submit(post, http, sim, timeout=5) for _ in range(2)]
            wait_until(lambda: sim.stats.in_flight == 2)
            refused = post(http, sim)
            stats = sim.stats.snapshot()
        for future in held:  # released by the stop: the connection is closed on them
            with pytest.raises(httpx2.TransportError):
                future.result()
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "0.05"
    assert refused.json()["error"]["code"] == "rate_limit_exceeded"
    assert stats["max_in_flight_seen"] == 2
    assert stats["outcomes"] == {"hang": 2, "429_in_flight": 1}


def test_rpm_budget_refuses_with_ratelimit_headers_until_the_window_resets() -> None:
    now = [100.0]
    server = SimulatorServer(SimulatorConfig(rpm=2, rpm_window=60), clock=lambda: now[0])
    admitted = [server.admit() for _ in range(2)]
    assert [refusal for refusal, _ in admitted] == [None, None]
    assert [h["x-ratelimit-remaining-requests"] for _, h in admitted] == ["1", "0"]
    now[0] = 130.5
    refusal, _ = server.admit()
    assert refusal is not None and refusal.status == 429
    assert refusal.headers["retry-after"] == "29.5"
    assert refusal.headers["x-ratelimit-limit-requests"] == "2"
    assert refusal.headers["x-ratelimit-remaining-requests"] == "0"
    assert refusal.headers["x-ratelimit-reset-requests"] == "29.5s"
    now[0] = 160.0
    assert server.admit()[0] is None
    assert server.stats.outcomes == {"429_rpm": 1}


def test_rpm_headers_reach_the_client(http: httpx2.Client) -> None:
    with simulator(rpm=1) as sim:
        first, second = post(http, sim), post(http, sim)
    assert first.headers["x-ratelimit-remaining-requests"] == "0"
    assert second.status_code == 429
    assert float(second.headers["retry-after"]) > 0


# --- answerers -------------------------------------------------------------------------------


def test_scripted_answers_come_in_order_then_the_last_repeats() -> None:
    answer = scripted([INVALID_ANSWER, "raw text"])
    assert [answer({}) for _ in range(3)] == [INVALID_ANSWER, "raw text", "raw text"]
    with pytest.raises(ConfigError):
        scripted([])


def test_raw_string_answer_is_sent_verbatim(http: httpx2.Client) -> None:
    with simulator(answerer=scripted(["not json at all"])) as sim:
        data = post(http, sim, {"response_format": {"type": "json_object"}}).json()
    assert data["choices"][0]["message"]["content"] == "not json at all"


def test_failing_answerer_becomes_a_500_naming_the_cause(http: httpx2.Client) -> None:
    def broken(body: dict[str, Any]) -> dict[str, Any]:
        raise KeyError("boom")

    with simulator(answerer=broken) as sim:
        reply = post(http, sim)
    assert reply.status_code == 500
    assert "boom" in reply.json()["error"]["message"]
    assert sim.stats.outcomes == {"ok": 1, "answerer_error": 1}


def test_offline_answerer_runs_extract_posting_on_the_posting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[str, date]] = []

    def extract_posting(doc: Document, *, as_of: date) -> SimpleNamespace:
        calls.append((doc.source, as_of))
        return SimpleNamespace(data={"title": "T", "start_dates": [date(2026, 1, 5)]})

    monkeypatch.setattr(answerers, "extract_posting", extract_posting)
    answer = offline_as_of(date(2025, 9, 1))({"messages": MESSAGES})
    assert calls == [("\n\n  Senior Data Engineer  \nAcme Corp, Berlin\n", date(2025, 9, 1))]
    assert answer == {"title": "T", "start_dates": ["2026-01-05"]}


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (
            {"posted": {"text": "today", "date": date(2025, 1, 2)}},
            {"posted": {"text": "today", "date": "2025-01-02"}},
        ),
        (
            JobPosting.model_validate({"title": "T", "pay": {"text": "$1", "min": 1}}),
            JobPosting().model_dump(mode="json")
            | {
                "title": "T",
                "pay": {"text": "$1", "min": 1.0, "max": None, "currency": None, "period": None},
            },
        ),
    ],
    ids=["dict-with-dates", "model-without-computed-fields"],
)
def test_answers_are_made_json_ready(result: Any, expected: dict[str, Any]) -> None:
    assert jsonable(result) == expected


def test_unserialisable_answer_becomes_a_500(http: httpx2.Client) -> None:
    with simulator(answerer=lambda body: {"when": object()}) as sim:
        reply = post(http, sim)
    assert reply.status_code == 500
    assert "not JSON serializable" in reply.json()["error"]["message"]


# --- configuration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("knobs", "message"),
    [
        ({"error_500": 1.5}, "probability"),
        ({"reset": -0.1}, "probability"),
        ({"error_500": 0.6, "hang": 0.6}, "more than 1"),
        ({"latency": -1}, "latency"),
        ({"max_in_flight": 0}, "max_in_flight"),
        ({"rpm": 0}, "rpm"),
        ({"rpm_window": 0}, "rpm_window"),
        ({"scripted_faults": ["ok", "teapot"]}, "teapot"),
    ],
)
def test_bad_config_is_refused(knobs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        SimulatorConfig(**knobs)


def test_flags_map_to_config_fields() -> None:
    args = build_parser().parse_args(
        [
            "--latency",
            "0.2",
            "--max-in-flight",
            "32",
            "--error-500",
            "0.1",
            "--status-401",
            "--scripted-faults",
            "429, ok",
            "--seed",
            "3",
        ]
    )
    config = config_from(args)
    assert (config.latency, config.max_in_flight, config.error_500, config.status_401) == (
        0.2,
        32,
        0.1,
        True,
    )
    assert (config.scripted_faults, config.seed, config.rpm) == (["429", "ok"], 3, None)
    assert config.answerer is offline  # the rules: right values, not a shape-only answer


def test_process_prints_its_url_and_serves(http: httpx2.Client) -> None:
    command = [sys.executable, "-m", "extractor.testing.simulator", "--port", "0"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line.startswith("listening on http://127.0.0.1:")
            models = http.get(line.split()[-1] + "/models").json()
        finally:
            process.terminate()
        assert process.wait(timeout=5) == 0
    assert models["data"][0]["id"] == "simulator"


# --- real clients ----------------------------------------------------------------------------


def client(http: httpx2.Client, sim: Simulator, timeout: float = 5) -> openai.OpenAI:
    return openai.OpenAI(
        base_url=sim.base_url, api_key="test", max_retries=0, timeout=timeout, http_client=http
    )


def test_openai_sdk_parses_a_tools_answer(http: httpx2.Client) -> None:
    with simulator() as sim:
        completion = client(http, sim).chat.completions.create(
            model="gpt-test",
            messages=MESSAGES,
            tools=[TOOL],
            tool_choice=TOOLS_REQUEST["tool_choice"],
        )
    calls = completion.choices[0].message.tool_calls
    assert calls is not None and calls[0].type == "function"
    assert calls[0].function.name == "JobPosting"
    assert json.loads(calls[0].function.arguments)["title"] == "Senior Data Engineer"
    assert completion.usage is not None and completion.usage.total_tokens > 0


@pytest.mark.parametrize(
    ("knobs", "error", "timeout"),
    [
        ({"scripted_faults": ["429"]}, openai.RateLimitError, 5),
        ({"status_401": True}, openai.AuthenticationError, 5),
        ({"scripted_faults": ["500"]}, openai.InternalServerError, 5),
        ({"scripted_faults": ["503"]}, openai.InternalServerError, 5),
        ({"scripted_faults": ["reset"]}, openai.APIConnectionError, 5),
        ({"scripted_faults": ["hang"], "hang_seconds": 5}, openai.APITimeoutError, 0.1),
    ],
)
def test_openai_sdk_raises_its_own_error_for_each_fault(
    knobs: dict[str, Any], error: type[Exception], timeout: float, http: httpx2.Client
) -> None:
    with simulator(**knobs) as sim, pytest.raises(error):
        client(http, sim, timeout).chat.completions.create(model="m", messages=MESSAGES)


@pytest.mark.parametrize(
    "mode",
    [
        instructor.Mode.TOOLS,
        instructor.Mode.JSON_SCHEMA,
        instructor.Mode.JSON,
        instructor.Mode.MD_JSON,
    ],
)
def test_instructor_gets_a_valid_job_posting(mode: instructor.Mode, http: httpx2.Client) -> None:
    with simulator() as sim:
        llm = instructor.from_openai(client(http, sim), mode=mode)
        posting = llm.chat.completions.create(
            model="gpt-test", messages=MESSAGES, response_model=JobPosting, max_retries=0
        )
    assert isinstance(posting, JobPosting)
    assert posting.model_dump()["title"] == "Senior Data Engineer"


def test_instructor_reasks_after_a_scripted_invalid_answer(http: httpx2.Client) -> None:
    valid = minimal({"messages": MESSAGES})
    with simulator(answerer=scripted([INVALID_ANSWER, valid])) as sim:
        llm = instructor.from_openai(client(http, sim), mode=instructor.Mode.TOOLS)
        posting = llm.chat.completions.create(
            model="gpt-test", messages=MESSAGES, response_model=JobPosting, max_retries=2
        )
        received = sim.stats.received
    assert received == 2
    assert posting.model_dump()["title"] == "Senior Data Engineer"


async def test_runs_inside_a_test_that_already_has_an_event_loop() -> None:
    with simulator() as sim:
        async with httpx2.AsyncClient() as http:
            replies = await asyncio.gather(
                *(
                    http.post(f"{sim.base_url}/chat/completions", json={"messages": MESSAGES})
                    for _ in range(3)
                )
            )
    assert [reply.status_code for reply in replies] == [200, 200, 200]


def test_stats_endpoint_matches_the_in_process_stats(http: httpx2.Client) -> None:
    with simulator(scripted_faults=["500", "ok"]) as sim:
        post(http, sim)
        post(http, sim)
        served = http.get(sim.base_url.removesuffix("/v1") + "/_stats").json()
        assert served == sim.stats.snapshot()
    assert served == {
        "received": 2,
        "in_flight": 0,
        "max_in_flight_seen": 1,
        "outcomes": {"500": 1, "ok": 1},
    }


def test_every_simulator_flag_has_help_and_the_default_answer_is_the_rules() -> None:
    parser = build_parser()
    bare = [a.option_strings for a in parser._actions if a.option_strings and not a.help]
    assert bare == []
    assert parser.parse_args([]).answerer == "offline"
