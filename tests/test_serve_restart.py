"""Jobs outlive their servers: two server processes share one store (either answers for any
job), both are killed with ``kill -9`` mid-job, a third starts on the same store, and every
input ends with exactly one record."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")

import httpx2

from extractor import Record
from extractor.testing.simulator import Simulator, SimulatorConfig
from tests.conftest import SERVE_KEY, TEST_KEY, ServerProcess

N = 30
HEADERS = {"Authorization": f"Bearer {SERVE_KEY}"}


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(SimulatorConfig(latency=0.3)) as running:
        yield running


def server(sim: Simulator, tmp_path: Path, name: str) -> ServerProcess:
    args = [
        "--db", str(tmp_path / "jobs.sqlite3"), "--lease", "1", "--concurrency", "4",
        "--backend", "llm", "--base-url", sim.base_url,
    ]  # fmt: skip
    env = {
        "OPENAI_API_KEY": TEST_KEY,
        "EXTRACTOR_API_KEYS": SERVE_KEY,
        "EXTRACTOR_CACHE_DIR": str(tmp_path / "cache"),
    }
    return ServerProcess(args, env, tmp_path / f"{name}.log")


def get(url: str, **kwargs: Any) -> Any:
    response = httpx2.get(url, headers=HEADERS, timeout=60, **kwargs)
    assert response.status_code == 200, response.text
    return response


def test_jobs_survive_kill_9_and_any_server_answers_for_any_job(
    sim: Simulator, tmp_path: Path
) -> None:
    a, b = server(sim, tmp_path, "a").launch(), server(sim, tmp_path, "b").launch()
    try:
        a.ready(), b.ready()
        items = [{"text": f"Posting {i}\nCompany {i}\n", "source": f"p{i:02d}"} for i in range(N)]
        response = httpx2.post(f"{a.url}/v1/jobs", json=items, headers=HEADERS, timeout=60)
        job_id = response.json()["id"]
        assert get(f"{b.url}/v1/jobs/{job_id}").json()["id"] == job_id  # no in-memory registry
        deadline = time.monotonic() + 60
        while (done := get(f"{b.url}/v1/jobs/{job_id}").json()["counts"]["done"]) < 4:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        a.kill(), b.kill()  # kill -9 both, mid-job
    finally:
        a.stop(), b.stop()
    assert done < N
    c = server(sim, tmp_path, "c").start()
    try:
        view = get(f"{c.url}/v1/jobs/{job_id}", params={"wait": 30}).json()
        lines = get(f"{c.url}/v1/jobs/{job_id}/records").text.splitlines()
    finally:
        c.stop()
    assert view["status"] == "done" and view["counts"]["ok"] == N
    assert [Record.from_line(line).source for line in lines] == [f"p{i:02d}" for i in range(N)]
    assert sim.stats.received >= N  # every input went to the model (those in flight twice)
