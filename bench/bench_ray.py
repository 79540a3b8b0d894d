"""Ray engine vs the local runner, and what the cluster limiter costs per request.

    .venv/bin/pip install -e '.[dev,ray]'
    .venv/bin/python bench/bench_ray.py [--postings 1000] [--latency 0.2] [--concurrency 16]
                                        [--actors 4]

Starts ``python -m extractor.testing.simulator`` in its own process (``--latency``, and
``--max-in-flight`` equal to ``--concurrency``: any request over the cap would be refused),
writes N unique postings, then times, in this one run on this machine:

- the local runner (``run_batch``, ``--concurrency`` in flight) over the folder;
- ``extract_dataset`` over the same postings on a local Ray cluster (``--actors`` actors, the
  same cap for the whole cluster), actor start-up included;
- the limiter alone: ``ClusterGate.areserve`` with rpm/tpm budgets, leasing 1 slot per call (a
  round trip per request) and 8 per call (the default), in ms per request.

Figures: postings/s of each engine and their ratio, the most requests the simulator saw in
flight, 429s, limiter calls per request in the Ray run. The machine is shared: quote ratios of
one run, never absolute times across runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_batch import AS_OF, make_postings  # noqa: E402


def start_simulator(latency: float, max_in_flight: int) -> tuple[subprocess.Popen[str], str]:
    cmd = [
        sys.executable, "-m", "extractor.testing.simulator", "--port", "0",
        "--latency", str(latency), "--max-in-flight", str(max_in_flight),
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("listening on "):
        proc.kill()
        raise SystemExit(f"simulator did not start: {line!r}")
    return proc, line.split()[-1]


def sim_stats(base_url: str) -> dict[str, Any]:
    with urllib.request.urlopen(base_url.removesuffix("/v1") + "/_stats") as response:
        stats: dict[str, Any] = json.load(response)
    return stats


def run_local(folder: Path, settings: Any, concurrency: int) -> float:
    from extractor import run_batch

    out = folder.parent / "local.jsonl"
    started = time.perf_counter()
    stats = run_batch([folder], out, settings=settings, concurrency=concurrency)
    elapsed = time.perf_counter() - started
    assert stats.failed == 0, f"{stats.failed} local postings failed"
    return elapsed


def run_ray(folder: Path, settings: Any, concurrency: int, actors: int) -> tuple[float, int]:
    import ray
    import ray.data

    from extractor.ray import extract_dataset

    rows = [{"source": str(p), "text": p.read_bytes()} for p in sorted(folder.iterdir())]
    started = time.perf_counter()
    ds = extract_dataset(
        ray.data.from_items(rows),
        settings=settings,
        concurrency=concurrency,
        actors=actors,
        limiter="bench",
    )
    statuses = ds.select_columns(["status"]).take_all()
    elapsed = time.perf_counter() - started
    failed = sum(r["status"] != "ok" for r in statuses)
    assert len(statuses) == len(rows) and failed == 0, f"{failed} ray postings failed"
    handle = ray.get_actor("bench", namespace="extractor")
    calls: int = ray.get(handle.stats.remote())["calls"]
    return elapsed, calls


async def limiter_cost(lease: int, requests: int = 400) -> float:
    """ms per request spent in ``areserve`` with budgets too large to ever wait."""
    from extractor.ray.gate import ClusterGate
    from extractor.ray.limiter import cluster_limiter

    limits: dict[str, Any] = {"rpm": 1e9, "tpm": 1e12, "max_in_flight": None}
    handle = cluster_limiter(f"bench-cost-{lease}", **limits)
    gate = ClusterGate(handle, rpm=1e9, tpm=1e12, lease=lease, hold=3600)
    await gate.areserve(100)  # the first round trip warms the actor up
    started = time.perf_counter()
    for _ in range(requests):
        await gate.areserve(100)
    return (time.perf_counter() - started) * 1000 / requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--actors", type=int, default=4)
    args = parser.parse_args()

    import ray
    import ray.data

    from extractor import Settings

    proc, base_url = start_simulator(args.latency, args.concurrency)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "postings"
            folder.mkdir()
            make_postings(folder, args.postings)
            settings = Settings(
                backend="llm", base_url=base_url, api_key="bench", use_cache=False, as_of=AS_OF
            )
            local = run_local(folder, settings, args.concurrency)
            before = sim_stats(base_url)
            ray.init(
                num_cpus=2,
                include_dashboard=False,
                logging_level=logging.WARNING,
                log_to_driver=False,
            )
            ray.data.DataContext.get_current().enable_progress_bars = False
            remote, calls = run_ray(folder, settings, args.concurrency, args.actors)
            after = sim_stats(base_url)
            one, eight = asyncio.run(limiter_cost(1)), asyncio.run(limiter_cost(8))
            ray.shutdown()
    finally:
        proc.terminate()
        proc.wait()
    n, requests = args.postings, after["received"] - before["received"]
    refused = sum(v for k, v in after["outcomes"].items() if k.startswith("429"))
    print(f"postings {n}, latency {args.latency}s, cap {args.concurrency} in flight")
    print(f"local runner        {n / local:8.1f} postings/s  ({local:.1f} s)")
    print(
        f"ray, {args.actors} actors      {n / remote:8.1f} postings/s  ({remote:.1f} s, "
        f"actor start-up included)"
    )
    print(f"ray / local         {local / remote:8.2f}")
    print(f"most in flight seen {after['max_in_flight_seen']:8d}   429s: {refused}")
    print(f"limiter calls       {calls / max(requests, 1):8.3f} per request in the ray run")
    print(f"limiter cost        {one:8.2f} ms/request leasing 1, {eight:.2f} leasing 8")


if __name__ == "__main__":
    main()
