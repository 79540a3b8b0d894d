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
    assert result.exit_code == 2 and "output format must be jsonl or csv" in result.stderr
    assert result.stderr.count("\n") == 1  # one line: no offline notice before the error
    assert not (tmp_path / "o").exists() and not (tmp_path / "o.lock").exists()


@pytest.mark.parametrize(
    ("model", "words"),
    [
        ("gpt-4o-mini", "127.0.0.1 is not priced by the table"),  # a local server: tokens only
        ("my-local-model", "127.0.0.1 is not priced by the table"),
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


def test_no_matching_input_is_said_with_the_globs(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.pdf").write_bytes(b"%PDF")
    out = tmp_path / "e.jsonl"
    result = runner.invoke(app, ["run", str(empty), "-o", str(out)])
    assert result.exit_code == 2 and "no input matched" in result.stderr
    assert "*.txt" in result.stderr and result.stderr.count("\n") == 1
    assert not out.exists() and not (tmp_path / "e.jsonl.lock").exists()


def test_a_folder_as_output_is_refused_without_a_lock(seeds: Path, tmp_path: Path) -> None:
    folder = tmp_path / "outdir"
    folder.mkdir()
    result = runner.invoke(app, ["run", str(seeds), "-o", str(folder)])
    assert result.exit_code == 2 and "is a folder" in result.stderr
    assert not (tmp_path / "outdir.lock").exists()


def test_a_finished_run_leaves_no_lock(seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    runner.invoke(app, ["run", str(seeds), "-o", str(out), "--as-of", "2026-11-22"])
    assert out.is_file() and not (tmp_path / "o.jsonl.lock").exists()
