"""``extractor.ray.extract_dataset``: many actors, one cap, the local runner's records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[ray]'")

import ray.data

from extractor import Record, Settings, run_batch
from extractor.errors import ConfigError
from extractor.ray import extract_dataset, write_records
from extractor.testing.simulator import Simulator, SimulatorConfig
from tests.conftest import AS_OF, POSTINGS

pytestmark = pytest.mark.ray

CAP = 8


def make_postings(folder: Path, n: int) -> list[Path]:
    """N postings: the dev set's pages round-robin, each made unique by a reference line."""
    sources = sorted(p for p in POSTINGS.iterdir() if p.suffix in (".txt", ".html"))
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(n):
        src = sources[i % len(sources)]
        text = src.read_text(encoding="utf-8")
        line = f"Reference: RAY-{i:05d}"
        if src.suffix == ".html":
            at = text.lower().find("<body")
            at = text.find(">", at) + 1 if at >= 0 else 0
            text = f"{text[:at]}<p>{line}</p>{text[at:]}"
        else:
            text = f"{line}\n{text}"
        path = folder / f"{i:05d}_{src.name}"
        path.write_text(text, encoding="utf-8")
        made.append(path)
    return made


def llm_settings(sim: Simulator, tmp_path: Path) -> Settings:
    return Settings(
        backend="llm",
        base_url=sim.base_url,
        api_key="test",
        cache_dir=tmp_path / "cache",
        use_cache=False,
        as_of=AS_OF,
        mode="tools",  # no per-actor probe of the simulator: every request is counted
    )


def essence(record: Record) -> tuple[Any, ...]:
    """What must match between engines: not timings, usage or sharing notes."""
    return (record.status, record.data, record.error, record.sha256, record.run_key)


def test_2000_postings_on_4_actors_never_exceed_one_cap_and_match_the_local_runner(
    ray_cluster: Any, tmp_path: Path
) -> None:
    paths = make_postings(tmp_path / "postings", 2000)
    rows: list[dict[str, Any]] = [{"source": str(p), "text": p.read_bytes()} for p in paths]
    rows.append({"source": "bad-bytes", "text": b"\x00\x01\x02\xff" * 64})
    rows.append({"source": "no-text", "text": None})
    rows.append({"source": None, "text": "Barista\nAcme Coffee\nPay: $18/hr\n"})
    with Simulator(SimulatorConfig(max_in_flight=CAP, latency=0.02)) as sim:
        settings = llm_settings(sim, tmp_path)
        out = extract_dataset(
            ray.data.from_items(rows),
            settings=settings,
            concurrency=CAP,
            actors=4,
            batch_size=100,
            limiter="test-cap",
        )
        write_records(out, str(tmp_path / "records.jsonl"))  # JSONL out: Record lines
        files = sorted((tmp_path / "records.jsonl").iterdir())
        got = [Record.from_line(line) for f in files for line in f.read_text().splitlines()]
        assert sim.stats.max_in_flight_seen <= CAP
        assert "429_in_flight" not in sim.stats.outcomes  # the cap held: nothing was refused
        ray_requests = sim.stats.received

        local_out = tmp_path / "local.jsonl"
        run_batch([tmp_path / "postings"], local_out, settings=settings, concurrency=CAP)
    local = {r.source: r for r in map(Record.from_line, local_out.read_text().splitlines())}

    sources = [r.source for r in got]
    assert len(sources) == len(rows) and len(set(sources)) == len(rows)  # none lost or doubled
    by_source = {r.source: r for r in got}
    assert by_source["bad-bytes"].status == "error"
    assert by_source["bad-bytes"].error is not None
    assert by_source["bad-bytes"].error.type == "InputError"
    assert by_source["no-text"].status == "error"
    unnamed = next(r for r in got if r.source.startswith("sha256:"))
    assert unnamed.status == "ok" and unnamed.source == f"sha256:{unnamed.sha256}"
    assert len(local) == 2000 and ray_requests == 2001
    assert all(essence(by_source[s]) == essence(r) for s, r in local.items())
    assert sum(r.status == "ok" for r in local.values()) == 2000


def test_a_missing_column_is_refused_before_anything_runs(ray_cluster: Any, tmp_path: Path) -> None:
    ds = ray.data.from_items([{"body": "Barista\nAcme"}])
    with pytest.raises(ConfigError, match="no column 'text'"):
        extract_dataset(ds, settings=Settings(backend="offline"))
