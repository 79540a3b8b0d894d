"""Secrets: a canary API key goes through successes, failures (401, 403/400 echoing the key,
500s), re-asks, cache writes and hits, and --verbose logging with openai's and httpx's loggers at DEBUG, and appears
nowhere: stdout, stderr, log records, cache files, cassettes, records, error messages, reprs.
Posting text is not logged at default verbosity.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from extractor import Extractor, ExtractorError
from extractor.cli import app
from extractor.settings import Settings
from extractor.testing.fakes import Reply, ScriptedEndpoint
from extractor.testing.simulator import Simulator, SimulatorConfig
from tests.conftest import AS_OF, REPO

CANARY = "sk-canary-7f3a9c2e5b1d40689e1c"
MARKER = "Zanzibar-Quokka-Hydrant"  # posting text that must not reach the logs
TEXT = f"Registered Nurse\nAcme Health\nBoston, MA\n$45/hr\n{MARKER} unit, day shift.\n"
ANSWER = {"title": "Registered Nurse", "company": "Acme Health"}
ECHO = {
    "error": {"message": f"Incorrect API key provided: {CANARY}.", "type": "invalid_request_error"}
}


def _no_canary(where: str, text: str | bytes) -> None:
    blob = text if isinstance(text, bytes) else text.encode("utf-8", "surrogateescape")
    assert CANARY.encode() not in blob, f"the API key leaked into {where}"
    assert CANARY[3:15].encode() not in blob, f"part of the API key leaked into {where}"


def _cache_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def canary_settings(tmp_path: Path) -> Settings:
    return Settings.from_env(
        {}, backend="llm", api_key=CANARY, base_url="http://llm.test/v1",
        cache_dir=tmp_path / "cache", as_of=AS_OF, max_attempts=3,
    )  # fmt: skip


SCRIPTS: dict[str, list[Reply]] = {
    "success": [Reply.ok(ANSWER)],
    "500s then success": [Reply.status(500), Reply.status(503), Reply.ok(ANSWER)],
    "re-ask then success": [
        Reply.ok({"pay": {"min": 10, "max": 5, "text": "x"}}),
        Reply.ok(ANSWER),
    ],
    "401": [Reply.status(401, body=ECHO)],
    "403 echoing the key": [Reply.status(403, body=ECHO)],
    "400 echoing the key": [Reply.status(400, body=ECHO)],
    "422 echoing the key": [Reply.status(422, body=ECHO)],
    "500 every time": [Reply.status(500, body=ECHO)],
    "429 quota": [
        Reply.status(429, body={"error": {"message": CANARY, "code": "insufficient_quota"}})
    ],
}


@pytest.mark.parametrize("script", SCRIPTS, ids=list(SCRIPTS))
def test_library_calls_leak_nothing(
    script: str, canary_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: ours, openai's, httpx's, instructor's
    endpoint = ScriptedEndpoint(*SCRIPTS[script])
    seen: list[str] = [repr(canary_settings), str(canary_settings)]
    for _ in range(2):  # the second call hits the cache after a success
        with Extractor(settings=canary_settings, llm=endpoint.llm(canary_settings)) as ex:
            seen += [repr(ex), repr(ex.llm), repr(ex.settings)]
            try:
                outcome = ex.run(TEXT)
                seen += [
                    repr(outcome),
                    json.dumps(outcome.data.model_dump(mode="json")),
                    *outcome.warnings,
                ]
            except ExtractorError as exc:
                seen += [str(exc), repr(exc), repr(exc.details)]
    _no_canary("messages and reprs", "\n".join(seen))
    _no_canary("log records", caplog.text)
    _no_canary("log record args", repr([(r.msg, r.args) for r in caplog.records]))
    _no_canary("the cache", _cache_bytes(canary_settings.cache_dir))


def test_default_logging_shows_no_posting_text(
    canary_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # above DEBUG: what a user sees without --verbose, and more
    endpoint = ScriptedEndpoint(
        Reply.ok({"pay": {"min": 10, "max": 5, "text": "x"}}), Reply.ok(ANSWER)
    )
    canary_settings.cache_dir.mkdir(parents=True)
    (canary_settings.cache_dir / "cache.db").write_bytes(b"not a database" * 100)  # a warning
    with Extractor(settings=canary_settings, llm=endpoint.llm(canary_settings)) as ex:
        ex.run(TEXT)
    assert any(r.levelno >= logging.WARNING for r in caplog.records)  # something was logged
    assert MARKER not in caplog.text


def _cli_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        (folder / f"p{i}.txt").write_text(TEXT.replace("Boston", f"Boston {i}"))
    return folder


def test_cli_runs_leak_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # openai's and httpx's loggers at DEBUG too (request options, URLs), as OPENAI_LOG=debug
    # would set them; extractor's own records go to stderr (--verbose), checked below.
    caplog.set_level(logging.DEBUG)
    folder, out = _cli_folder(tmp_path), tmp_path / "out.jsonl"
    # in order, one request at a time: a 500 then success, a re-ask, two successes, then 401s
    faults = ["500", "ok", "invalid", "ok", "ok", "ok", "401"]
    monkeypatch.setenv("OPENAI_API_KEY", CANARY)
    monkeypatch.setenv("EXTRACTOR_CACHE_DIR", str(tmp_path / "cache"))
    outputs: list[str] = []
    with Simulator(SimulatorConfig(scripted_faults=faults, status_401=False)) as sim:
        monkeypatch.setenv("OPENAI_BASE_URL", sim.base_url)
        for extra in (["--verbose"], [], ["--no-cache", "--retry-errors"]):
            (folder / "p9.txt").write_text(TEXT + str(extra))  # a new input for each run
            result = CliRunner().invoke(
                app, ["run", str(folder), "-o", str(out), "--concurrency", "1", *extra]
            )
            outputs += [result.stdout, result.stderr]
            assert result.exit_code in (0, 1), result.output
        sim.config.status_401 = True
        (folder / "p10.txt").write_text(TEXT + "401")
        result = CliRunner().invoke(app, ["run", str(folder), "-o", str(out), "--no-cache"])
        outputs += [result.stdout, result.stderr]
    records = out.read_text(encoding="utf-8")
    assert '"AuthError"' in records and '"ok"' in records  # the runs did succeed and fail
    assert "Request options" in caplog.text  # the SDK's debug log was on
    _no_canary("stdout/stderr", "\n".join(outputs))
    _no_canary("openai/httpx debug logs", caplog.text)
    _no_canary("records", records)
    _no_canary("the cache", _cache_bytes(tmp_path / "cache"))
    assert MARKER not in "\n".join(outputs[2:4])  # the default-verbosity run


def test_committed_cassettes_hold_no_key() -> None:
    cassettes = sorted((REPO / "cassettes").rglob("*.yaml"))
    for cassette in cassettes:
        recorded = yaml.safe_load(cassette.read_text(encoding="utf-8"))
        for interaction in recorded["interactions"]:
            headers = {name.lower() for name in interaction["request"]["headers"]}
            assert not headers & {"authorization", "api-key", "cookie"}, cassette
        text = cassette.read_text(encoding="utf-8")
        assert "Bearer " not in text and not re.search(r"\bsk-[A-Za-z0-9_-]{8,}", text), cassette
