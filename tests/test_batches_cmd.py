"""The command line of the Batch API: ``run --via batch`` and ``batches list|status|cancel``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from extractor import Record, Settings, run_batch
from extractor.cli import app
from extractor.testing.simulator import Simulator, SimulatorConfig
from tests.conftest import AS_OF, make_postings

runner = CliRunner()


@pytest.fixture
def sim(monkeypatch: pytest.MonkeyPatch) -> Iterator[Simulator]:
    with Simulator(SimulatorConfig(batch_error=0.1)) as running:
        monkeypatch.setenv("OPENAI_BASE_URL", running.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "test-key-not-secret")
        yield running


def run(folder: Path, out: Path, *flags: str) -> Result:
    args = ["run", str(folder), "-o", str(out), "--via", "batch", "--poll-interval", "0.01",
            "--as-of", AS_OF.isoformat(), *flags]  # fmt: skip
    return runner.invoke(app, args)


def test_run_via_batch_then_list(sim: Simulator, tmp_path: Path) -> None:
    folder, out = make_postings(tmp_path / "in", 30), tmp_path / "out.jsonl"
    result = run(folder, out, "--batch-size", "20")
    assert result.exit_code == 0, result.stderr
    stderr = result.stderr
    assert "ok 30, failed 0" in stderr and "batches: 2 submitted (30 requests)" in stderr
    assert "at the Batch API price (half the table's)" in stderr
    assert len([Record.from_line(line) for line in out.read_text().splitlines()]) == 30
    listed = runner.invoke(app, ["batches", "list", str(out)])
    rows = listed.stdout.splitlines()
    assert listed.exit_code == 0 and len(rows) >= 2
    assert "wave 1  20 requests  completed  collected" in rows[0]
    status = runner.invoke(app, ["batches", "status", str(out)])
    assert status.exit_code == 0 and "no open batches" in status.stdout


def test_status_and_cancel_of_open_batches(sim: Simulator, tmp_path: Path) -> None:
    folder, out = make_postings(tmp_path / "in", 10), tmp_path / "out.jsonl"
    sim.config.batch_turnaround = 3600.0

    def stop_after_submitting(stats: object) -> None:
        if getattr(stats, "phase", "") == "waiting":
            raise KeyboardInterrupt  # the user walks away: the batch stays open

    settings = Settings.from_env(cache_dir=tmp_path / "c", as_of=AS_OF)
    with pytest.raises(KeyboardInterrupt):
        run_batch([folder], out, settings=settings, via="batch", on_progress=stop_after_submitting)
    status = runner.invoke(app, ["batches", "status", str(out)])
    assert status.exit_code == 0 and "in_progress  0/10 done, 0 failed" in status.stdout
    cancel = runner.invoke(app, ["batches", "cancel", str(out)])
    assert cancel.exit_code == 0 and "cancelling" in cancel.stdout
    result = run(folder, out)  # collects: nothing was answered, all left for the next run
    assert result.exit_code == 1 and "10 inputs left undone" in result.stderr
    sim.config.batch_turnaround = 0.0
    assert run(folder, out).exit_code == 0
    assert len(out.read_text().splitlines()) == 10


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--via", "batch"], "needs an output file"),
        (["-o", "OUT", "--via", "telegram"], "via must be sync or batch"),
        (["-o", "OUT", "--via", "batch", "--second-wave", "later"], "second wave must be"),
        (["-o", "OUT", "--via", "batch", "--batch-size", "50001"], "--batch-size"),
        (["-o", "OUT", "--via", "batch", "--backend", "offline"], "llm backend"),
    ],
)
def test_usage_errors(sim: Simulator, tmp_path: Path, args: list[str], words: str) -> None:
    folder = make_postings(tmp_path / "in", 1)
    args = [str(tmp_path / a) if a == "OUT" else a for a in args]
    result = runner.invoke(app, ["run", str(folder), *args])
    assert result.exit_code == 2 and words in result.stderr
    assert not sim.server.batch_api.files


def test_batches_of_an_output_without_any() -> None:
    result = runner.invoke(app, ["batches", "list", "nowhere.jsonl"])
    assert result.exit_code == 2 and "no batches for nowhere.jsonl" in result.stderr
