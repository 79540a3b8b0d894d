"""The command line: exit codes, one-line errors, the JSONL contract, help for every command."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.batch.sink import RecordSink
from extractor.cli import app
from extractor.testing.simulator import Simulator, SimulatorConfig
from tests.conftest import REPO, SEEDS

runner = CliRunner()


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(SimulatorConfig()) as server:
        yield server


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for seed in SEEDS:
        (folder / seed.name).write_bytes(seed.read_bytes())
    return folder


def _records(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_run_against_an_endpoint_writes_one_record_per_file(
    sim: Simulator, seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", sim.base_url)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["run", str(seeds), "-o", str(out), "--as-of", "2026-11-22"])
    assert result.exit_code == 0, result.output
    records = _records(out)
    assert len(records) == len(SEEDS)
    assert all(
        r["status"] == "ok" and r["backend"] == "llm" and r["cached"] is False for r in records
    )
    assert "ok 5, failed 0" in result.stderr
    again = runner.invoke(app, ["run", str(seeds), "-o", str(out), "--as-of", "2026-11-22"])
    assert again.exit_code == 0 and "skipped 5" in again.stderr
    assert len(_records(out)) == len(SEEDS)


def test_run_without_an_endpoint_uses_the_offline_backend_and_says_so(seeds: Path) -> None:
    result = runner.invoke(app, ["run", str(seeds), "--as-of", "2026-11-22"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("offline backend") == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == len(SEEDS) and {r["backend"] for r in records} == {"offline"}
    assert all(r["data"]["company"] == "TikTok" for r in records)


def test_some_failed_exits_1_and_keeps_the_rest(seeds: Path, tmp_path: Path) -> None:
    (seeds / "empty.txt").write_text("   \n")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["run", str(seeds), "-o", str(out), "-q"])
    assert result.exit_code == 1
    statuses = sorted(str(r["status"]) for r in _records(out))
    assert statuses == ["error"] + ["ok"] * len(SEEDS)
    assert result.stderr == ""  # --quiet


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["run", "/no/such/folder"], "no such file or folder"),
        (["run", ".", "--as-of", "yesterday"], "--as-of"),
        (["run", ".", "--backend", "gpu"], "backend must be"),
        (["run", ".", "--task", "nope"], "unknown task"),
        (["run", ".", "--base-url", "localhost:1"], "http://"),
        (["run", ".", "--backend", "llm"], "OPENAI_API_KEY"),
        (["schema", "nope"], "unknown task"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args: list[str], words: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert words in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_usage_error_from_the_console_script_has_no_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "extractor", "run", "/no/such/folder"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "OPENAI_API_KEY": ""},
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("extractor: error: no such file or folder")
    assert "Traceback" not in result.stderr


def test_a_second_run_on_the_same_output_is_refused(seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with RecordSink(out):
        result = runner.invoke(app, ["run", str(seeds), "-o", str(out)])
    assert result.exit_code == 2
    assert "another extractor run" in result.stderr


def test_tasks_and_schema() -> None:
    listed = runner.invoke(app, ["tasks"])
    assert listed.exit_code == 0 and listed.stdout.startswith("job_posting\t")
    shown = runner.invoke(app, ["schema"])
    schema = json.loads(shown.stdout)
    assert "title" in schema["properties"] and "pay" in schema["properties"]


def test_every_command_has_help() -> None:
    names = [c.name or c.callback.__name__ for c in app.registered_commands if c.callback]
    assert {"run", "tasks", "schema", "eval"} <= set(names)
    for name in names:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0 and len(result.stdout) > 100, name


def test_python_dash_m_works() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "extractor", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "run" in result.stdout


@pytest.mark.parametrize(
    ("args", "says", "never"),
    [
        (["run", "--bogus", "x"], "no such option: --bogus", "Possible options"),
        (["run", "--verbos", "x"], "did you mean --verbose?", "Possible options"),
        (["run"], "Missing argument 'PATH'", "╭"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], says: str, never: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and says in result.stderr and never not in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("command", ["run", "estimate", "eval", "review", "schema", "tasks"])
def test_help_pages_show_no_python_type_tags(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert not re.search(r"<(bool|str|int|float|path|list\[[^\]]*\])>", result.stdout)
