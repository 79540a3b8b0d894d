"""A broken cache never costs a run, at the batch and CLI level (tests/test_cache.py covers the
cache object): a corrupt database, the cache folder removed mid-run, planted pickled entries.
Each run goes on without the cache (or without the refused entry), with a warning.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import diskcache
import httpx2
import pytest
from typer.testing import CliRunner

from extractor.batch.inputs import iter_inputs
from extractor.batch.runner import BatchOptions, BatchRunner
from extractor.batch.sink import RecordSink
from extractor.cli import app
from extractor.extraction import Extractor
from extractor.settings import Settings
from extractor.testing.fakes import Reply, ScriptedEndpoint
from extractor.testing.simulator import Simulator, SimulatorConfig
from tests.conftest import AS_OF

ANSWER = {"title": "Warehouse Associate", "company": "Acme"}
N = 12


def _folder(root: Path) -> Path:
    root.mkdir()
    for i in range(N):
        (root / f"p{i:02d}.txt").write_text(f"Warehouse Associate {i}\nAcme\nReno, NV\n$18/hr\n")
    return root


def _records(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.read_text().splitlines()]


class Planted:
    """A pickled value whose unpickling leaves a mark: it must never run."""

    def __init__(self, mark: Path) -> None:
        self.mark = mark

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (Path.write_text, (str(self.mark), "unpickled"))


@pytest.fixture
def sim(monkeypatch: pytest.MonkeyPatch) -> Iterator[Simulator]:
    with Simulator(SimulatorConfig()) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        yield server


def _cli(folder: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, ["run", str(folder), "-o", str(out), "--as-of", AS_OF.isoformat()]
    )
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stderr


def test_a_corrupt_cache_database_runs_without_the_cache_and_warns_once(
    sim: Simulator, tmp_path: Path, settings: Settings
) -> None:
    folder, out = _folder(tmp_path / "in"), tmp_path / "out.jsonl"
    cache_dir = Path(str(settings.cache_dir))  # the hermetic EXTRACTOR_CACHE_DIR
    cache_dir.mkdir(parents=True)
    (cache_dir / "cache.db").write_bytes(b"SQLite format 3\x00" + b"\xde\xad" * 4000)
    code, stderr = _cli(folder, out)
    assert code == 0
    records = _records(out)
    assert len(records) == N and all(r["status"] == "ok" and not r["cached"] for r in records)
    assert stderr.count("continuing without the cache") == 1
    assert sim.stats.received == N


def test_the_cache_folder_removed_mid_run_loses_nothing(settings: Settings, tmp_path: Path) -> None:
    folder, out = _folder(tmp_path / "in"), tmp_path / "out.jsonl"
    endpoint = ScriptedEndpoint(Reply.ok(ANSWER))
    handle = endpoint.handle

    def remove_cache_on_the_fifth(request: httpx2.Request) -> httpx2.Response:
        if len(endpoint.requests) == 4:
            shutil.rmtree(settings.cache_dir)
        return handle(request)

    endpoint.handle = remove_cache_on_the_fifth  # type: ignore[method-assign]

    async def run() -> None:
        extractor = Extractor(settings=settings, llm=endpoint.llm(settings))
        with RecordSink(out) as sink:
            await BatchRunner(extractor, sink, BatchOptions(concurrency=3)).run(
                iter_inputs([folder])
            )
        await extractor.aclose()

    asyncio.run(run())
    records = _records(out)
    assert len(records) == N and all(r["status"] == "ok" for r in records)
    assert len(endpoint.requests) == N


def test_planted_pickles_are_refused_never_unpickled_and_the_inputs_redone(
    sim: Simulator, tmp_path: Path, settings: Settings
) -> None:
    folder = _folder(tmp_path / "in")
    code, _ = _cli(folder, tmp_path / "first.jsonl")  # fill the cache with real (JSON) entries
    assert code == 0 and sim.stats.received == N
    mark = tmp_path / "pwned"
    with diskcache.Cache(str(settings.cache_dir)) as raw:  # an attacker with write access
        keys = list(raw.iterkeys())
        assert len(keys) == 2 * N  # per input, the model's answer and the finished record
        for key in keys:
            raw.set(key, Planted(mark))
    out = tmp_path / "second.jsonl"
    code, stderr = _cli(folder, out)
    assert code == 0
    assert not mark.exists(), "a planted pickle was unpickled"
    records = _records(out)
    assert len(records) == N and all(r["status"] == "ok" and not r["cached"] for r in records)
    assert all(any("unsafe cache entry" in w for w in r["warnings"]) for r in records)
    assert "unsafe cache entry" in stderr
    assert sim.stats.received == 2 * N  # every refused entry was extracted again
