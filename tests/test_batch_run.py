"""``run_batch``: the library's batch path, resume and rate limits, without the CLI."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from extractor import Record, Settings, run_batch
from extractor.errors import ConfigError
from extractor.testing.simulator import Simulator, SimulatorConfig
from tests.conftest import AS_OF


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(SimulatorConfig()) as running:
        yield running


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "postings"
    (root / "nested").mkdir(parents=True)
    for i in range(6):
        where = root / "nested" if i % 2 else root
        (where / f"p{i}.txt").write_text(f"Warehouse Associate {i}\nAcme Corp\nPay: $18/hr\n")
    (root / "skip.pdf").write_bytes(b"%PDF")
    return root


def _llm(sim: Simulator, tmp_path: Path) -> Settings:
    return Settings(
        backend="llm",
        base_url=sim.base_url,
        api_key="test",
        cache_dir=tmp_path / "c",
        as_of=AS_OF,
        mode="tools",
    )


def _lines(out: Path) -> list[Record]:
    return [Record.from_line(line) for line in out.read_text().splitlines()]


def test_a_folder_resumes_and_respects_the_rate_limit(
    sim: Simulator, folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    settings = _llm(sim, tmp_path).with_(use_cache=False)
    seen: list[int] = []
    started = time.monotonic()
    stats = run_batch(
        [folder],
        out,
        settings=settings,
        concurrency=4,
        rpm=600,
        on_progress=lambda s: seen.append(s.done),
    )
    elapsed = time.monotonic() - started
    assert stats.ok == 6 and stats.found == 6 and stats.walked and stats.all_ok
    assert sim.stats.received == 6 and seen[-1] == 6
    assert elapsed >= 0.45  # 600 rpm: one request every 0.1 s after the first
    records = _lines(out)
    assert {Path(r.source).name for r in records} == {f"p{i}.txt" for i in range(6)}
    assert all(r.status == "ok" and r.as_of == AS_OF.isoformat() for r in records)

    again = run_batch([folder], out, settings=settings, concurrency=4)
    assert again.skipped == 6 and again.ok == 0 and sim.stats.received == 6  # resumed: no request
    assert len(_lines(out)) == 6


def test_the_offline_backend_and_csv(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    settings = Settings(backend="offline", as_of=AS_OF)
    stats = run_batch([folder], out, settings=settings)
    assert stats.ok == 6 and stats.backend == "offline" and stats.model is None
    header = out.read_text().splitlines()[0].split(",")
    assert header[:3] == ["source", "sha256", "task"] and "pay.annual_min" in header


def test_no_matching_input_is_a_config_error_before_any_file_is_made(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "out.jsonl"
    with pytest.raises(ConfigError, match=r"no input matched .*\*\.txt"):
        run_batch([empty], out, settings=Settings(backend="offline"))
    assert not out.exists()


def test_a_schema_class_in_hand(sim: Simulator, tmp_path: Path) -> None:
    class Contact(BaseModel):
        """A person to contact."""

        name: str | None = None

    page = tmp_path / "in" / "a.txt"
    page.parent.mkdir()
    page.write_text("Write to Ada Lovelace.\n")
    out = tmp_path / "out.jsonl"
    stats = run_batch([page.parent], out, task=Contact, settings=_llm(sim, tmp_path))
    record = _lines(out)[0]
    assert stats.all_ok and record.task == "Contact" and record.data is not None
    assert set(record.data) == {"name"}


def test_mode_auto_is_settled_once_before_any_input_and_said(
    sim: Simulator, folder: Path, tmp_path: Path
) -> None:
    settings = _llm(sim, tmp_path).with_(mode="auto", use_cache=False)
    seen: list[list[str]] = []
    stats = run_batch(
        [folder],
        tmp_path / "o.jsonl",
        settings=settings,
        on_progress=lambda s: seen.append(list(s.notices)),
    )
    assert stats.ok == 6
    assert seen[0] and seen[0][0].startswith("mode auto: using ")  # before the first input
    assert len(stats.notices) == 1
