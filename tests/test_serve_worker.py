"""The service on the LLM backend (the project's simulator on 127.0.0.1): the same records as
`extractor run`, the 202 path past the wait, cancelling mid-job, and webhooks."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")

import httpx2

from extractor import Record, Settings, run_batch
from extractor.testing.simulator import Simulator, SimulatorConfig
from tests.conftest import AS_OF, SEEDS, SERVE_KEY, TEST_KEY, ThreadServer, serve_config

LATENCY = 0.4


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(SimulatorConfig(latency=LATENCY)) as running:
        yield running


@pytest.fixture(scope="module")
def llm_server(sim: Simulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadServer]:
    folder = tmp_path_factory.mktemp("serve-llm")
    llm = {"backend": "llm", "base_url": sim.base_url, "cache_dir": str(folder / "cache")}
    # The API key comes from the environment, as in production.
    with pytest.MonkeyPatch.context() as env:
        env.setenv("OPENAI_API_KEY", TEST_KEY)
        config = serve_config(folder, settings=llm, concurrency=4)
        with ThreadServer(config) as server:
            yield server


@pytest.fixture
def http(llm_server: ThreadServer) -> Iterator[httpx2.Client]:
    headers = {"Authorization": f"Bearer {SERVE_KEY}"}
    with httpx2.Client(base_url=llm_server.url, headers=headers, timeout=60) as client:
        yield client


def test_the_llm_record_is_the_one_extractor_run_writes(
    http: httpx2.Client, sim: Simulator, tmp_path: Path
) -> None:
    source = SEEDS[1]
    settings = Settings(
        backend="llm", base_url=sim.base_url, api_key=TEST_KEY, as_of=AS_OF,
        cache_dir=tmp_path / "cache",
    )  # fmt: skip
    run_batch([source], tmp_path / "out.jsonl", settings=settings)
    expected = Record.from_line((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    body = {"text": source.read_text(encoding="utf-8"), "source": str(source)}
    response = http.post("/v1/extract", json={**body, "settings": {"as_of": AS_OF.isoformat()}})
    assert response.status_code == 200
    got = Record.from_line(response.content)
    assert (got.backend, got.model, got.status) == ("llm", "gpt-4o-mini", "ok")
    assert got.run_key == expected.run_key and got.sha256 == expected.sha256
    assert (got.data, got.evidence, got.unsupported) == (
        expected.data, expected.evidence, expected.unsupported
    )  # fmt: skip


def test_past_the_wait_the_answer_is_a_job_that_finishes(http: httpx2.Client) -> None:
    response = http.post("/v1/extract", json={"text": "Night Baker\nCrumb & Co\n", "wait": 0})
    assert response.status_code == 202
    accepted = response.json()
    assert response.headers["location"] == accepted["url"]
    view = http.get(accepted["url"], params={"wait": 10}).json()
    assert view["status"] == "done" and view["counts"]["ok"] == 1
    lines = http.get(f"{accepted['url']}/records").text.splitlines()
    assert [Record.from_line(line).data["title"] for line in lines] == ["Night Baker"]  # type: ignore[index]


def test_a_long_poll_returns_when_the_job_ends(http: httpx2.Client) -> None:
    job = http.post("/v1/jobs", json=[{"text": f"Porter {i}\nInn\n"} for i in range(8)]).json()
    assert job["status"] == "queued"
    view = http.get(f"/v1/jobs/{job['id']}", params={"wait": 10}).json()
    assert view["status"] == "done"
    assert view["counts"]["ok"] == 8


def test_cancel_stops_a_running_job(http: httpx2.Client, sim: Simulator) -> None:
    job = http.post("/v1/jobs", json=[{"text": f"Clerk {i}\nShop\n"} for i in range(40)]).json()
    view = http.delete(f"/v1/jobs/{job['id']}").json()
    assert view["status"] == "cancelled"
    assert view["counts"]["cancelled"] > 20  # 4 at a time, 0.4 s each: most never started
    later = http.get(f"/v1/jobs/{job['id']}", params={"wait": 2}).json()
    assert later["counts"] == view["counts"]  # nothing in flight wrote a record after
    assert (
        len(http.get(f"/v1/jobs/{job['id']}/records").text.splitlines()) == view["counts"]["done"]
    )


class Receiver(BaseHTTPRequestHandler):
    calls: ClassVar[list[tuple[dict[str, str], dict[str, Any]]]] = []
    statuses: ClassVar[list[int]] = []
    done: ClassVar[threading.Event] = threading.Event()

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        status = self.statuses.pop(0) if self.statuses else 204
        self.calls.append((dict(self.headers), body))
        self.send_response(status)
        self.end_headers()
        if status < 300:
            self.done.set()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    Receiver.calls, Receiver.statuses = [], [500]  # the first delivery fails: it is retried
    Receiver.done = threading.Event()
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()


def test_a_webhook_is_posted_when_the_job_ends(http: httpx2.Client, receiver: str) -> None:
    body = {
        "items": [{"text": "Valet\nHotel\n"}, {"text": "Concierge\nHotel\n"}],
        "webhook": receiver,
    }
    job = http.post("/v1/jobs", json=body).json()
    assert job["webhook"] == {"url": receiver, "state": "waiting"}
    assert Receiver.done.wait(15)
    assert len(Receiver.calls) == 2  # one failure, then the delivery
    headers, payload = Receiver.calls[-1]
    assert headers["X-Extractor-Job"] == job["id"]
    assert payload["job_id"] == job["id"] and payload["status"] == "done"
    assert payload["counts"]["ok"] == 2
    deadline = time.monotonic() + 10
    while (state := http.get(f"/v1/jobs/{job['id']}").json()["webhook"]["state"]) != "sent":
        assert state == "pending" and time.monotonic() < deadline
        time.sleep(0.05)
