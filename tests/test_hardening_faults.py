"""Endpoint faults from the local simulator: each ends as a success after bounded retries or as
an error with a clear type and a one-line message; none hangs or kills a run.

Faults are scripted (``scripted_faults``, in arrival order) so every row is deterministic. Waits
stay tiny: 429s carry ``Retry-After: 0.01`` (the simulator's ``retry_after`` knob), other retries
use a back-off scaled down to milliseconds, and a hang outlasts a 0.2 s ``--timeout``.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from extractor import Extractor, ExtractorError
from extractor.cli import app
from extractor.llm import LLMClient
from extractor.llm.transport import RetryPolicy
from extractor.outcome import Outcome
from extractor.settings import Settings
from extractor.testing.simulator import Simulator, SimulatorConfig
from tests.conftest import AS_OF

TEXT = "Registered Nurse\nAcme Health\nBoston, MA\n$45/hr\nApply now."
TIMEOUT = 0.2
HANG = 3.0
MAX_SECONDS = 8.0  # no row may come near this: a fault that hangs the run fails the test
MAX_REQUESTS = 6  # the transport's attempts; re-asks stay below it (max_reasks=2: 3 answers)

# fault -> (outcome when it happens once then the endpoint recovers, outcome when it never stops)
FAULTS: dict[str, tuple[str, str]] = {
    "500": ("ok", "TransientError"),
    "502": ("ok", "TransientError"),
    "503": ("ok", "TransientError"),
    "504": ("ok", "TransientError"),
    "reset": ("ok", "TransientError"),
    "hang": ("ok", "TransientError"),
    "429": ("ok", "ok"),  # rate limiting is waited out: 10 x 429 stays within its own budget
    "malformed": ("ok", "InvalidAnswerError"),  # re-asked
    "invalid": ("ok", "InvalidAnswerError"),  # re-asked
    "wrong_tool": ("ok", "ok"),  # the arguments still validate against the schema: accepted
    "truncated": ("IncompleteAnswerError", "IncompleteAnswerError"),  # not retried: same cut
    "refusal": ("InvalidAnswerError", "InvalidAnswerError"),
    "empty_choices": ("InvalidAnswerError", "InvalidAnswerError"),
    "401": ("AuthError", "AuthError"),  # fails at once: fix the key
}
# Words the one-line message must hold, so the user knows what happened.
MESSAGE_WORDS = {
    "TransientError": ("retry later",),
    "RateLimitError": ("429",),
    "AuthError": ("401", "OPENAI_API_KEY"),
    "IncompleteAnswerError": ("cut off",),
}
FAULT_WORDS = {
    "hang": "0.2 s",
    "reset": "cannot connect",
    "refusal": "refused",
    "empty_choices": "no choices",
}
CASES = [
    pytest.param(fault, times, expected, id=f"{fault}-{'once' if times == 1 else 'always'}")
    for fault, outcomes in FAULTS.items()
    for times, expected in zip((1, 10), outcomes, strict=True)
]


def _config(fault: str, times: int) -> SimulatorConfig:
    return SimulatorConfig(scripted_faults=[fault] * times, hang_seconds=HANG, retry_after=0.01)


def _settings(base_url: str, tmp_path: Path) -> Settings:
    return Settings.from_env(
        {},
        backend="llm",
        api_key="sk-test-not-secret",
        base_url=base_url,
        mode="tools",
        timeout=TIMEOUT,
        cache_dir=tmp_path / "cache",
        as_of=AS_OF,
    )


def _fast_llm(settings: Settings) -> LLMClient:
    client = LLMClient(settings)
    client.policy = RetryPolicy(settings.max_attempts, settings.max_retry_wait, 0.002, 0.01)
    return client


def _outcome_of(run: Callable[[], Outcome[BaseModel]]) -> tuple[str, str]:
    """("ok", title) or (error type, message); fails on anything but an ExtractorError."""
    try:
        outcome = run()
    except ExtractorError as exc:
        return type(exc).__name__, str(exc)
    return "ok", str(outcome.data.model_dump()["title"])


def _check(
    fault: str, kind: str, message: str, expected: str, sim: Simulator, elapsed: float
) -> None:
    assert kind == expected, message
    assert elapsed < MAX_SECONDS
    assert sim.stats.received <= (11 if fault == "429" else MAX_REQUESTS)
    if kind != "ok":
        assert message and "\n" not in message and len(message) < 300
        assert "Traceback" not in message
        for word in MESSAGE_WORDS.get(kind, ()):
            assert word in message
        said_at_once = kind != "InvalidAnswerError" or sim.stats.received == 1
        if fault in FAULT_WORDS and said_at_once:
            assert FAULT_WORDS[fault] in message


@pytest.mark.parametrize(("fault", "times", "expected"), CASES)
def test_sync_library_call(fault: str, times: int, expected: str, tmp_path: Path) -> None:
    with Simulator(_config(fault, times)) as sim:
        settings = _settings(sim.base_url, tmp_path)
        started = time.monotonic()
        with Extractor(settings=settings, llm=_fast_llm(settings)) as ex:
            kind, message = _outcome_of(functools.partial(ex.run, TEXT))
        _check(fault, kind, message, expected, sim, time.monotonic() - started)


# In the JSON modes a refusal or a tool call is not the JSON content asked for: re-asked like any
# bad answer, so it ends well when the endpoint recovers and as InvalidAnswerError when it never does.
JSON_MODE_FIXES: dict[tuple[object, ...], str] = {
    ("refusal", 1): "ok",
    ("wrong_tool", 10): "InvalidAnswerError",
}
JSON_MODE_CASES = [
    pytest.param(fault, times, JSON_MODE_FIXES.get((fault, times), expected), id=c.id)
    for c in CASES
    for fault, times, expected in [tuple(c.values)]
    if fault
    in ("500", "invalid", "refusal", "wrong_tool")  # hangs are the transport's: sync covers them
]


@pytest.mark.parametrize(("fault", "times", "expected"), JSON_MODE_CASES)
@pytest.mark.parametrize("mode", ["json_schema", "md_json"])
async def test_async_library_call_in_json_modes(
    fault: str, times: int, expected: str, mode: str, tmp_path: Path
) -> None:
    with Simulator(_config(fault, times)) as sim:
        settings = _settings(sim.base_url, tmp_path).with_(mode=mode)
        started = time.monotonic()
        async with Extractor(settings=settings, llm=_fast_llm(settings)) as ex:
            try:
                outcome = await ex.arun(TEXT)
                kind, message = "ok", ""
                assert outcome.usage.requests == sim.stats.received
            except ExtractorError as exc:
                kind, message = type(exc).__name__, str(exc)
        _check(fault, kind, message, expected, sim, time.monotonic() - started)


# -- through the command line: one run, one posting per fault, every record written ------------
@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(
        "extractor.llm.client.RetryPolicy",
        functools.partial(RetryPolicy, initial_backoff=0.002, max_backoff=0.01),
    )
    yield


def test_a_cli_run_through_every_fault_writes_one_record_each(
    fast_retries: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Sequential (--concurrency 1, --no-cache) so the scripted faults meet the postings in order:
    # each posting first meets its fault, then the endpoint recovers (except for "always" rows).
    folder = tmp_path / "in"
    folder.mkdir()
    script: list[str] = []
    expected: dict[str, str] = {}
    for i, (fault, (once, _)) in enumerate(FAULTS.items()):
        name = f"{i:02d}_{fault}.txt"
        (folder / name).write_text(f"{TEXT}\nPosting {i}\n")
        expected[name] = once
        recovers = once == "ok" and fault != "wrong_tool"
        script += [fault, "ok"] if recovers else [fault]
    (folder / "99_invalid_always.txt").write_text(f"{TEXT}\nPosting 99\n")
    expected["99_invalid_always.txt"] = "InvalidAnswerError"
    script += ["invalid"] * 3  # the first answer and both re-asks
    out = tmp_path / "out.jsonl"
    with Simulator(
        SimulatorConfig(scripted_faults=script, hang_seconds=HANG, retry_after=0.01)
    ) as sim:
        monkeypatch.setenv("OPENAI_BASE_URL", sim.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-secret")
        started = time.monotonic()
        result = CliRunner().invoke(
            app,
            ["run", str(folder), "-o", str(out), "--concurrency", "1", "--no-cache",
             "--timeout", str(TIMEOUT), "--as-of", AS_OF.isoformat()],
        )  # fmt: skip
        elapsed = time.monotonic() - started
    assert result.exit_code == 1, result.output  # some failed, the rest written
    assert elapsed < 2 * MAX_SECONDS
    records = {Path(r["source"]).name: r for r in map(json.loads, out.read_text().splitlines())}
    got = {name: (r["error"] or {}).get("type", "ok") for name, r in records.items()}
    assert got == expected
    for record in records.values():
        if record["status"] == "error":
            assert record["data"] is None and "\n" not in record["error"]["message"]
        else:
            assert record["data"]["title"] == "Registered Nurse"
    assert sim.stats.received == len(script)
    assert "Traceback" not in result.stderr
