"""extractor estimate: offline token counts of exactly what a run sends, and the expected cost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.cost.estimate import (
    EXPECTED_COMPLETION_TOKENS,
    MESSAGE_TOKENS,
    REPLY_TOKENS,
    estimate,
    schema_tokens,
)
from extractor.cost.tokens import count_tokens
from extractor.extraction import Extractor, prepare
from extractor.settings import Settings
from extractor.testing.fakes import ScriptedEndpoint

runner = CliRunner()
TEXTS = {
    "a.txt": "Warehouse Associate\nAcme Logistics\n$18/hr\n",
    "b.txt": "Staff Nurse\nCity Hospital, Leeds\n£32,000 a year\n",
    "c.txt": "Warehouse Associate\nAcme Logistics\n$18/hr\n",  # same text as a.txt
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    root.mkdir()
    for name, text in TEXTS.items():
        (root / name).write_text(text)
    (root / "empty.txt").write_text("")
    return root


def test_prompt_tokens_are_those_of_the_messages_a_run_sends(
    settings: Settings, folder: Path
) -> None:
    endpoint = ScriptedEndpoint({"title": "x"})
    off = settings.with_(use_cache=False)
    with Extractor(settings=off, llm=endpoint.llm(off)) as ex:
        result = estimate([folder], ex)
        for name in ("a.txt", "b.txt"):
            ex.run((folder / name).read_bytes(), name)
        doc = prepare(TEXTS["a.txt"].encode(), "a.txt")
        text, _ = ex.prompt_text(doc)
        sent_a = ex.task.render(text, as_of=ex.as_of.isoformat())
    assert endpoint.requests[0]["messages"] == sent_a  # the same messages
    expected = sum(
        sum(count_tokens(m["content"]) + MESSAGE_TOKENS for m in request["messages"])
        + REPLY_TOKENS
        + schema_tokens(ex.task.schema)
        for request in endpoint.requests
    )
    assert (result.inputs, result.requests, result.duplicates, result.unreadable) == (4, 2, 1, 1)
    assert result.prompt_tokens == expected
    assert result.completion_tokens == 2 * EXPECTED_COMPLETION_TOKENS
    tool = endpoint.requests[0]["tools"][0]  # the definition really sent, counted the same way
    sent = count_tokens(json.dumps(tool, ensure_ascii=False, separators=(",", ":")))
    assert schema_tokens(ex.task.schema) == sent


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], "expected cost $"),
        (["--model", "gpt-4o-mini-2024-07-18"], "gpt-4o-mini-2024-07-18 at $0.1500 in"),
        (["--model", "llama3.1:8b"], "expected cost unknown: no price for model 'llama3.1:8b'"),
        (["--completion-tokens", "0"], "completion tokens 0 (assumed 0 per request)"),
        (["--via", "batch"], "at the Batch API price (half the table's): gpt-4o-mini at"),
    ],
)
def test_estimate_command(folder: Path, args: list[str], expected: str) -> None:
    result = runner.invoke(app, ["estimate", str(folder), *args])
    assert result.exit_code == 0, result.output
    assert expected in result.stdout
    assert "inputs 4: 2 requests, 1 duplicate" in result.stdout
    assert "empty.txt" in result.stderr  # the unreadable input is named


def test_estimate_json_and_no_network(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://192.0.2.1/v1")  # unroutable: must not be used
    result = runner.invoke(app, ["estimate", str(folder), "--json", "--glob", "a.txt"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["requests"] == 1 and data["prompt_tokens"] > data["schema_tokens_per_request"]
    assert data["cost"] is None and data["price_table"]  # not OpenAI's endpoint: tokens only
    monkeypatch.delenv("OPENAI_BASE_URL")
    priced = json.loads(runner.invoke(app, ["estimate", str(folder), "--json"]).stdout)
    assert priced["cost"] > 0


def test_estimate_of_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["estimate", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_the_batch_price_is_half(folder: Path) -> None:
    sync = json.loads(runner.invoke(app, ["estimate", str(folder), "--json"]).stdout)
    batch = json.loads(
        runner.invoke(app, ["estimate", str(folder), "--json", "--via", "batch"]).stdout
    )
    assert batch["via"] == "batch" and batch["cost"] == pytest.approx(sync["cost"] / 2)
    assert runner.invoke(app, ["estimate", str(folder), "--via", "fax"]).exit_code == 2
