"""Shared fixtures. Every test is hermetic: no OPENAI_*/EXTRACTOR_* variables from the machine,
a cache in its own tmp folder, and no network but 127.0.0.1 (pytest-recording's
``--block-network``, set in pyproject)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from extractor.settings import Settings

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
POSTINGS = DATA / "postings"
SEEDS = sorted(p for p in POSTINGS.glob("00[0-4]_*.txt"))
AS_OF = date(2026, 11, 22)

# Read before the hermetic fixture clears the environment: only re-recording uses them.
RECORD_BASE_URL = os.environ.get("EXTRACTOR_RECORD_BASE_URL")
RECORD_API_KEY = os.environ.get("EXTRACTOR_RECORD_API_KEY")
RECORD_MODEL = os.environ.get("EXTRACTOR_RECORD_MODEL", "gpt-4o-mini")
TEST_KEY = "test-key-not-secret"


def make_postings(folder: Path, n: int, start: int = 0) -> Path:
    """``n`` small synthetic postings (distinct texts) in ``folder``, for runs at scale."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        (folder / f"p{i:05d}.txt").write_text(
            f"Data Engineer {i}\nAcme Corp, Berlin, Germany\nWe need Python and SQL.\n"
            f"Reference {i:05d}.\n"
        )
    return folder


@pytest.fixture(autouse=True)
def hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(("OPENAI_", "EXTRACTOR_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("EXTRACTOR_CACHE_DIR", str(tmp_path / "cache"))
    # Tests count requests: no "auto" probe unless a test asks for it (tests/test_probe.py).
    monkeypatch.setenv("EXTRACTOR_MODE", "tools")
    # "auto" must not pick the hybrid backend because this machine has the local extra.
    monkeypatch.setattr("extractor.local.availability.local_available", lambda *_: False)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """LLM settings pointing at a fake endpoint, with a per-test cache."""
    return Settings.from_env(
        {},
        backend="llm",
        api_key=TEST_KEY,
        base_url="http://llm.test/v1",
        mode="tools",
        cache_dir=tmp_path / "cache",
        as_of=AS_OF,
    )


# -- cassettes --------------------------------------------------------------------------------
SCRUB_RESPONSE_HEADERS = ("set-cookie", "openai-organization", "openai-project", "x-request-id")


def _scrub_response(response: dict[str, Any]) -> dict[str, Any] | None:
    from extractor.llm.rejection import refusal

    status = response.get("status", {}).get("code", 200)
    body = (response.get("body") or {}).get("string", b"")
    if (status == 429 or status >= 500) and refusal(status, body) is None:
        return None  # never keep rate limits or server errors: replays must not sleep
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in SCRUB_RESPONSE_HEADERS:
            del headers[name]
    return response


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": [
            "authorization",
            "api-key",
            "cookie",
            "openai-organization",
            "openai-project",
            "x-stainless-arch",
            "x-stainless-os",
            "x-stainless-runtime-version",
            "user-agent",
        ],
        "before_record_response": _scrub_response,
        "match_on": ["method", "path", "body"],
        "decode_compressed_response": True,
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(REPO / "cassettes" / request.module.__name__.rsplit(".", 1)[-1])


@pytest.fixture
def recorded_endpoint(request: pytest.FixtureRequest, record_mode: str) -> Iterator[Settings]:
    """Settings for a cassette test.

    Replaying (the default): a placeholder URL; VCR answers from the cassette. Recording
    (``--record-mode=rewrite``): ``EXTRACTOR_RECORD_BASE_URL``/``EXTRACTOR_RECORD_API_KEY`` when
    set (a real endpoint), else the project's local simulator scripted by the test's
    ``simulator`` marker: such cassettes are fixtures, labelled in cassettes/README.md.
    """
    cache = Path(request.getfixturevalue("tmp_path")) / "cache"
    common: dict[str, Any] = {"backend": "llm", "mode": "tools", "cache_dir": cache, "as_of": AS_OF}
    if record_mode == "none":
        yield Settings.from_env({}, api_key=TEST_KEY, base_url="http://llm.test/v1", **common)
        return
    if RECORD_BASE_URL:
        yield Settings.from_env(
            {}, api_key=RECORD_API_KEY, base_url=RECORD_BASE_URL, model=RECORD_MODEL, **common
        )
        return
    from extractor.testing.simulator import Simulator, SimulatorConfig, scripted

    marker = request.node.get_closest_marker("simulator")
    kwargs = dict(marker.kwargs) if marker else {}
    answers = kwargs.pop("answers", None)
    config = SimulatorConfig(**kwargs)
    if answers is not None:
        config.answerer = scripted(answers)
    with Simulator(config) as sim:
        yield Settings.from_env({}, api_key=TEST_KEY, base_url=sim.base_url, **common)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "simulator(**config): how to script the simulator when recording"
    )


# -- the HTTP service (extractor serve) ---------------------------------------------------------
SERVE_KEY = "serve-test-key-0123456789"
OTHER_KEY = "serve-other-key-0123456789"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ThreadServer:
    """``extractor.serve`` under a real uvicorn in a daemon thread, on a free 127.0.0.1 port
    (the socket is bound first, so there is no race for the port)."""

    def __init__(self, config: Any) -> None:
        import socket

        import uvicorn

        from extractor.serve import create_app

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.config = config
        self.server = uvicorn.Server(
            uvicorn.Config(create_app(config), log_level="warning", timeout_graceful_shutdown=2)
        )
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


def serve_config(folder: Path, **changes: Any) -> Any:
    """A small-limits server config with the two test keys and its own store and cache."""
    from extractor.serve.config import ServeConfig
    from extractor.serve.keys import hash_key

    values: dict[str, Any] = {
        "db": str(folder / "jobs.sqlite3"),
        "key_hashes": (hash_key(SERVE_KEY), hash_key(OTHER_KEY)),
        "max_body_bytes": 256 * 1024,
        "max_item_bytes": 32 * 1024,
        "max_items": 50,
        "max_wait": 10.0,
        "default_wait": 10.0,
        "lease_seconds": 5.0,
        "poll_seconds": 0.1,
        "webhook_backoff": 0.2,
        "webhook_timeout": 2.0,
        "settings": {"backend": "offline", "cache_dir": str(folder / "cache")},
    }
    values.update(changes)
    return ServeConfig(**values).checked()


@pytest.fixture(scope="module")
def offline_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadServer]:
    """A keyed service on the offline backend, shared by a test module."""
    pytest.importorskip("fastapi", reason="the serve extra is not installed")
    with ThreadServer(serve_config(tmp_path_factory.mktemp("serve"))) as server:
        yield server


@pytest.fixture
def client(offline_server: ThreadServer) -> Iterator[Any]:
    """An HTTP client for ``offline_server`` that sends the first test key."""
    import httpx2

    headers = {"Authorization": f"Bearer {SERVE_KEY}"}
    with httpx2.Client(base_url=offline_server.url, headers=headers, timeout=60) as http:
        yield http


class ServerProcess:
    """``extractor serve`` as a child process (so a test can ``kill -9`` it), on a free port,
    with a clean environment plus ``env``."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.args, self.env, self.log = args, env, log
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = ""

    def launch(self) -> ServerProcess:
        """Start the process; :meth:`ready` waits for it to answer."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "EXTRACTOR_"))}
        port = free_port()
        cmd = [sys.executable, "-m", "extractor", "serve", "--port", str(port), *self.args]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(cmd, env={**env, **self.env}, stdout=log, stderr=log)
        self.url = f"http://127.0.0.1:{port}"
        return self

    def ready(self, timeout: float = 120) -> ServerProcess:
        import httpx2

        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            try:
                if httpx2.get(self.url + "/health", timeout=2).status_code == 200:
                    return self
            except httpx2.HTTPError:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"extractor serve did not start: {self.log.read_text()[-2000:]}")

    def start(self) -> ServerProcess:
        return self.launch().ready()

    def kill(self) -> None:
        """``kill -9``: no shutdown code runs."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


# -- Ray (extractor[ray]) ---------------------------------------------------------------------
@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[Any]:
    """One local Ray cluster for the whole session: 2 CPUs, on 127.0.0.1, quiet. Tests that use
    it are marked ``ray`` and skipped, with the reason, when Ray is not installed."""
    pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[ray]'")
    import logging

    import ray
    import ray.data

    ray.init(
        num_cpus=2,
        _node_ip_address="127.0.0.1",
        include_dashboard=False,
        logging_level=logging.WARNING,
        log_to_driver=False,
    )
    ray.data.DataContext.get_current().enable_progress_bars = False
    ray.data.DataContext.get_current().print_on_execution_start = False
    yield ray
    ray.shutdown()
