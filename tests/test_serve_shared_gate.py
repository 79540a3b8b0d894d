"""One rate budget for every worker: the schedule lives in the job store, not in a process."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")

from extractor.serve.shared_gate import SharedGate
from extractor.serve.store import JobStore


def gates(tmp_path: Path, **budget: float) -> tuple[SharedGate, SharedGate]:
    path = tmp_path / "jobs.sqlite3"
    return SharedGate(JobStore(path), **budget), SharedGate(JobStore(path), **budget)  # type: ignore[arg-type]


def test_two_workers_space_their_requests_by_one_rpm(tmp_path: Path) -> None:
    a, b = gates(tmp_path, rpm=60)
    assert a.reserve() == pytest.approx(0, abs=0.05)
    assert b.reserve() == pytest.approx(1.0, abs=0.05)  # the other worker's slot is taken
    assert a.reserve() == pytest.approx(2.0, abs=0.05)


def test_tokens_are_counted_across_workers(tmp_path: Path) -> None:
    a, b = gates(tmp_path, tpm=6000)
    assert a.reserve(tokens=1000) == pytest.approx(0, abs=0.05)
    assert b.reserve(tokens=100) == pytest.approx(10.0, abs=0.05)  # 1000 tokens = 10 s


def test_a_spent_budget_pauses_every_worker(tmp_path: Path) -> None:
    a, b = gates(tmp_path)
    a.note_rate_limited(None, {"x-ratelimit-remaining-requests": "0",
                               "x-ratelimit-reset-requests": "5s"})  # fmt: skip
    assert b.reserve() == pytest.approx(5.0, abs=0.1)


def test_without_budgets_nothing_waits(tmp_path: Path) -> None:
    a, b = gates(tmp_path)
    assert a.reserve() == b.reserve() == pytest.approx(0, abs=0.05)
