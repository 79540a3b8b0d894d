"""The job store's guarantees, two workers at a time: claims, leases, exactly one record per
input, a job ended by its last record or by a cancel."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")

from extractor.serve.store import JobStore


@pytest.fixture
def store(tmp_path: Path) -> JobStore:
    return JobStore(tmp_path / "jobs.sqlite3")


def make_job(store: JobStore, n: int = 3, **kwargs: object) -> str:
    items = [(f"s{i}", f"text {i}".encode()) for i in range(n)]
    return store.create(owner="o", task="job_posting", settings={}, items=items, **kwargs).id  # type: ignore[arg-type]


def test_the_store_is_wal_and_private(store: JobStore) -> None:
    assert store.read(lambda c: c.execute("PRAGMA journal_mode").fetchone()[0]) == "wal"
    assert store.path.stat().st_mode & 0o077 == 0


def test_a_claimed_input_is_not_claimed_twice_until_its_lease_runs_out(store: JobStore) -> None:
    job = make_job(store)
    first = store.claim("a", 2, lease=0.3)
    assert first is not None and [i.seq for i in first.items] == [0, 1]
    second = store.claim("b", 5, lease=0.3)
    assert second is not None and [i.seq for i in second.items] == [2]
    assert store.claim("b", 5, lease=0.3) is None
    time.sleep(0.35)  # worker a is silent: its inputs are free again
    taken = store.claim("b", 5, lease=30)
    assert taken is not None and taken.job.id == job
    assert sorted(i.seq for i in taken.items) == [0, 1, 2]


def test_only_the_current_claimant_writes_the_record(store: JobStore) -> None:
    job = make_job(store, 1)
    store.claim("a", 1, lease=0.1)
    time.sleep(0.15)
    store.claim("b", 1, lease=30)
    assert store.complete(job, 0, "a", "ok", "from a\n") is False  # its lease was taken over
    assert store.complete(job, 0, "b", "ok", "from b\n") is True
    assert store.complete(job, 0, "b", "ok", "again\n") is False
    assert store.records(job) == [(0, "from b\n")]


def test_the_last_record_ends_the_job_and_queues_its_webhook(store: JobStore) -> None:
    job = make_job(store, 2, webhook="http://127.0.0.1:9/hook")
    store.claim("a", 2, lease=30)
    store.complete(job, 0, "a", "ok", "r0\n")
    assert store.job(job).status == "running"  # type: ignore[union-attr]
    store.complete(job, 1, "a", "error", "r1\n")
    ended = store.job(job)
    assert ended is not None and (ended.status, ended.webhook_state) == ("done", "pending")
    counts = store.counts(job)
    assert (counts.total, counts.ok, counts.failed, counts.done) == (2, 1, 1, 2)


def test_renew_keeps_a_claim_and_release_gives_it_back(store: JobStore) -> None:
    make_job(store, 1)
    store.claim("a", 1, lease=0.2)
    store.renew("a", lease=30)
    time.sleep(0.25)
    assert store.claim("b", 1, lease=30) is None
    store.release("a")
    assert store.claim("b", 1, lease=30) is not None


def test_a_cancel_voids_claims_in_flight(store: JobStore) -> None:
    job = make_job(store, 3)
    store.claim("a", 1, lease=30)
    assert store.cancel(job) is True
    assert store.complete(job, 0, "a", "ok", "late\n") is False
    counts = store.counts(job)
    assert (counts.cancelled, counts.done) == (3, 0)
    assert store.claim("a", 5, lease=30) is None
    assert store.cancel(job) is False  # already ended


def test_a_sync_job_is_claimed_at_creation(store: JobStore) -> None:
    job = make_job(store, 1, claim=("me", 30.0))
    assert store.claim("other", 5, lease=30) is None
    assert store.complete(job, 0, "me", "ok", "r\n") is True


def test_two_store_handles_share_one_file(store: JobStore, tmp_path: Path) -> None:
    job = make_job(store, 1)
    other = JobStore(tmp_path / "jobs.sqlite3")
    claim = other.claim("b", 1, lease=30)
    assert claim is not None and claim.job.id == job
    assert store.claim("a", 1, lease=30) is None
