"""The job store: every job, input and record in one SQLite file (WAL), shared by all workers.

No job state lives in a worker's memory, so any worker answers for any job, and a job outlives
the process that ran it:

- An input (``items`` row) is ``todo`` until its record is written, then ``done`` (or
  ``cancelled``). A worker *claims* todo inputs by writing its id and a lease (a deadline) on
  them, and renews the lease while it works. An input whose lease ran out (its worker was
  killed) is claimable again by any worker.
- A record is written on its input's row, and only while that input is still ``todo`` and
  claimed by the writer: so each input gets exactly one record, even when a slow worker and the
  one that took its expired lease over both finish.
- The write that leaves a job with no todo input also marks the job ``done``, in the same
  transaction.

Every method is synchronous and short; the service calls them from a thread
(``anyio.to_thread``). One connection per store, behind a lock; ``busy_timeout`` lets writers
of several processes queue up instead of failing.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from extractor.errors import ConfigError

R = TypeVar("R")
TERMINAL = ("done", "cancelled")

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    task TEXT NOT NULL,
    settings TEXT NOT NULL,
    status TEXT NOT NULL,
    total INTEGER NOT NULL,
    webhook TEXT,
    webhook_state TEXT,
    webhook_attempts INTEGER NOT NULL DEFAULT 0,
    webhook_due REAL NOT NULL DEFAULT 0,
    created REAL NOT NULL,
    finished REAL
);
CREATE TABLE IF NOT EXISTS items (
    job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    source TEXT NOT NULL,
    body BLOB,
    state TEXT NOT NULL,
    worker TEXT,
    lease REAL NOT NULL DEFAULT 0,
    status TEXT,
    record TEXT,
    PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS items_todo ON items(lease, job_id, seq) WHERE state = 'todo';
CREATE INDEX IF NOT EXISTS items_worker ON items(worker) WHERE state = 'todo';
CREATE INDEX IF NOT EXISTS jobs_webhook ON jobs(webhook_due) WHERE webhook_state = 'pending';
CREATE TABLE IF NOT EXISTS shared (name TEXT PRIMARY KEY, value REAL NOT NULL);
"""


@dataclass(frozen=True, slots=True)
class Job:
    id: str
    owner: str
    task: str
    settings: dict[str, Any]
    status: str
    total: int
    webhook: str | None
    webhook_state: str | None
    created: float
    finished: float | None

    @property
    def ended(self) -> bool:
        return self.status in TERMINAL


@dataclass(frozen=True, slots=True)
class Counts:
    total: int = 0
    ok: int = 0
    failed: int = 0
    pending: int = 0
    running: int = 0
    cancelled: int = 0

    @property
    def done(self) -> int:
        return self.ok + self.failed


@dataclass(frozen=True, slots=True)
class Item:
    seq: int
    source: str
    body: bytes


@dataclass(frozen=True, slots=True)
class Claim:
    """Inputs of one job that one worker now holds."""

    job: Job
    items: tuple[Item, ...]


JOB_COLUMNS = "id, owner, task, settings, status, total, webhook, webhook_state, created, finished"


def _job(row: Sequence[Any]) -> Job:
    return Job(
        row[0], row[1], row[2], json.loads(row[3]), row[4], row[5], row[6], row[7], row[8], row[9]
    )


def new_job_id() -> str:
    return secrets.token_urlsafe(16)


class JobStore:
    """One SQLite file; safe to open from several threads and processes at once."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._conn = sqlite3.connect(
                self.path, timeout=30.0, isolation_level=None, check_same_thread=False
            )
            os.chmod(self.path, 0o600)  # inputs and records are the callers' data
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")  # durable across a killed process
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(f"cannot open the job store {self.path}: {exc}") from None
        self._lock = threading.Lock()

    # -- plumbing ----------------------------------------------------------------------
    def read(self, fn: Callable[[sqlite3.Connection], R]) -> R:
        with self._lock:
            return fn(self._conn)

    def write(self, fn: Callable[[sqlite3.Connection], R]) -> R:
        """Run ``fn`` in one write transaction (BEGIN IMMEDIATE: writers queue, never deadlock)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                result = fn(self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
            return result

    def ping(self) -> None:
        self.read(lambda c: c.execute("SELECT count(*) FROM jobs LIMIT 1").fetchone())

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- jobs --------------------------------------------------------------------------
    def create(
        self,
        *,
        owner: str,
        task: str,
        settings: dict[str, Any],
        items: Sequence[tuple[str, bytes]],
        webhook: str | None = None,
        claim: tuple[str, float] | None = None,
    ) -> Job:
        """Store a new job and its inputs; ``claim=(worker, lease)`` hands them straight to one
        worker for ``lease`` seconds (the synchronous path) instead of leaving them to any worker's poll."""
        job_id, now = new_job_id(), time.time()
        worker, lease = (claim[0], now + claim[1]) if claim is not None else (None, 0.0)

        def insert(c: sqlite3.Connection) -> None:
            c.execute(
                "INSERT INTO jobs (id, owner, task, settings, status, total, webhook, created)"
                " VALUES (?, ?, ?, ?, 'running', ?, ?, ?)",
                (job_id, owner, task, json.dumps(settings), len(items), webhook, now),
            )
            c.executemany(
                "INSERT INTO items (job_id, seq, source, body, state, worker, lease)"
                " VALUES (?, ?, ?, ?, 'todo', ?, ?)",
                [(job_id, i, s, b, worker, lease) for i, (s, b) in enumerate(items)],
            )

        self.write(insert)
        job = self.job(job_id)
        assert job is not None
        return job

    def job(self, job_id: str) -> Job | None:
        row = self.read(
            lambda c: c.execute(
                f"SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?", (job_id,)
            ).fetchone()
        )
        return None if row is None else _job(row)

    def counts(self, job_id: str) -> Counts:
        now = time.time()
        rows = self.read(
            lambda c: c.execute(
                "SELECT state, status, lease > ?, count(*) FROM items WHERE job_id = ?"
                " GROUP BY state, status, lease > ?",
                (now, job_id, now),
            ).fetchall()
        )
        n = {"ok": 0, "failed": 0, "pending": 0, "running": 0, "cancelled": 0}
        for state, status, leased, count in rows:
            if state == "done":
                n["ok" if status == "ok" else "failed"] += count
            elif state == "todo":
                n["running" if leased else "pending"] += count
            else:
                n["cancelled"] += count
        return Counts(total=sum(n.values()), **n)

    def cancel(self, job_id: str) -> bool:
        """Stop a job: its todo inputs will never run (their claims are void). True when this
        call ended the job."""

        def cancel(c: sqlite3.Connection) -> bool:
            c.execute(
                "UPDATE items SET state = 'cancelled', body = NULL, worker = NULL"
                " WHERE job_id = ? AND state = 'todo'",
                (job_id,),
            )
            return _end(c, job_id, "cancelled")

        return self.write(cancel)

    def purge(self, job_id: str) -> None:
        """Forget a job: its inputs and records are deleted."""
        self.write(lambda c: c.execute("DELETE FROM jobs WHERE id = ?", (job_id,)))

    def records(self, job_id: str, after: int = -1, limit: int = 500) -> list[tuple[int, str]]:
        """Written records of a job in input order, ``limit`` at a time after seq ``after``."""
        return self.read(
            lambda c: c.execute(
                "SELECT seq, record FROM items WHERE job_id = ? AND state = 'done' AND seq > ?"
                " ORDER BY seq LIMIT ?",
                (job_id, after, limit),
            ).fetchall()
        )

    # -- work --------------------------------------------------------------------------
    def claim(self, worker: str, limit: int, lease: float) -> Claim | None:
        """Claim up to ``limit`` claimable inputs of one running job for ``worker``."""
        now = time.time()

        def take(c: sqlite3.Connection) -> Claim | None:
            first = c.execute(
                "SELECT job_id FROM items WHERE state = 'todo' AND lease < ? LIMIT 1", (now,)
            ).fetchone()
            if first is None:
                return None
            rows = c.execute(
                "UPDATE items SET worker = ?, lease = ? WHERE job_id = ? AND seq IN"
                " (SELECT seq FROM items WHERE job_id = ? AND state = 'todo' AND lease < ?"
                "  ORDER BY seq LIMIT ?) RETURNING seq, source, body",
                (worker, now + lease, first[0], first[0], now, limit),
            ).fetchall()
            row = c.execute(f"SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?", first).fetchone()
            # A todo input always has its body; b"" (an empty input) guards the impossible.
            items = tuple(Item(seq, source, body or b"") for seq, source, body in sorted(rows))
            return Claim(_job(row), items)

        return self.write(take)

    def renew(self, worker: str, lease: float) -> None:
        """Extend every claim ``worker`` holds (its heartbeat)."""
        self.write(
            lambda c: c.execute(
                "UPDATE items SET lease = ? WHERE worker = ? AND state = 'todo'",
                (time.time() + lease, worker),
            )
        )

    def release(self, worker: str) -> None:
        """Give back every claim of ``worker`` (a clean shutdown): others take them at once."""
        self.write(
            lambda c: c.execute(
                "UPDATE items SET worker = NULL, lease = 0 WHERE worker = ? AND state = 'todo'",
                (worker,),
            )
        )

    def complete(self, job_id: str, seq: int, worker: str, status: str, line: str) -> bool:
        """Write one input's record; False when the claim was lost (another worker owns the
        input now, or the job was cancelled): then this record is dropped."""

        def finish(c: sqlite3.Connection) -> bool:
            cursor = c.execute(
                "UPDATE items SET state = 'done', status = ?, record = ?, body = NULL,"
                " worker = NULL WHERE job_id = ? AND seq = ? AND state = 'todo' AND worker = ?",
                (status, line, job_id, seq, worker),
            )
            if cursor.rowcount != 1:
                return False
            left = c.execute(
                "SELECT 1 FROM items WHERE job_id = ? AND state = 'todo' LIMIT 1", (job_id,)
            ).fetchone()
            if left is None:
                _end(c, job_id, "done")
            return True

        return self.write(finish)


def _end(c: sqlite3.Connection, job_id: str, status: str) -> bool:
    """Mark a running job ended; queue its webhook, if it has one."""
    cursor = c.execute(
        "UPDATE jobs SET status = ?, finished = ?,"
        " webhook_state = CASE WHEN webhook IS NULL THEN NULL ELSE 'pending' END"
        " WHERE id = ? AND status = 'running'",
        (status, time.time(), job_id),
    )
    return cursor.rowcount == 1
