"""extractor run: --format, CSV output through the command line, the cost in the summary."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.testing.simulator import Simulator, SimulatorConfig
from tests.conftest import SEEDS

runner = CliRunner()


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[Simulator]:
    with Simulator(SimulatorConfig()) as sim:
        monkeypatch.setenv("OPENAI_BASE_URL", sim.base_url)
        yield sim


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for seed in SEEDS[:3]:
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    return folder


@pytest.mark.parametrize(
    ("out_name", "flag", "csv_out"),
    [
        ("out.csv", [], True),
        ("out.txt", ["--format", "csv"], True),
        ("out.csv", ["--format", "jsonl"], False),
    ],
)
def test_format_follows_the_flag_else_the_suffix(
    endpoint: Simulator, seeds: Path, tmp_path: Path, out_name: str, flag: list[str], csv_out: bool
) -> None:
    out = tmp_path / out_name
    args = ["run", str(seeds), "-o", str(out), "--as-of", "2026-11-22", *flag]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output  # empty.txt failed, the rest written
    assert out.read_text().startswith("source,sha256,") is csv_out
    again = runner.invoke(app, args)  # resumable in either format
    assert "skipped 4" in again.stderr
    assert len(out.read_text().splitlines()) == 4 + csv_out


def test_csv_rows_through_the_command_line(
    endpoint: Simulator, seeds: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    runner.invoke(app, ["run", str(seeds), "-o", str(out), "--as-of", "2026-11-22"])
    rows = {Path(r["source"]).name: r for r in csv.DictReader(out.open())}
    assert (
        rows["empty.txt"]["status"] == "error" and rows["empty.txt"]["error_type"] == "InputError"
    )
    ok = [r for r in rows.values() if r["status"] == "ok"]
    assert len(ok) == 3 and all(r["title"] and r["model"] == "gpt-4o-mini" for r in ok)


def test_an_unknown_format_is_a_usage_error(seeds: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", str(seeds), "--format", "xml", "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "--format must be jsonl or csv" in result.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("model", "words"),
    [
        ("gpt-4o-mini", "estimated cost $"),
        ("my-local-model", "no price for model 'my-local-model'"),
    ],
)
def test_the_summary_prices_the_run(
    endpoint: Simulator, seeds: Path, tmp_path: Path, model: str, words: str
) -> None:
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["run", str(seeds), "-o", str(out), "--model", model, "--as-of", "2026-11-22"]
    )
    assert words in result.stderr
    assert "prompt tokens" in result.stderr
