"""Every speed target of issue 14, as figures and ratios measured in one run.

    .venv/bin/python bench/bench_speed.py [--postings 2000] [--memory 10000,100000]

Starts the simulator (``--latency 0.2 --max-in-flight 32``: the ideal is 160 postings/s) and runs
each client in a fresh child process (see ``bench_batch.py``; imports and warm-up excluded):

- ours at ``--concurrency 32`` and ``64`` (fresh caches), the 32 run again from its cache (a new
  output file, so the cache answers, not the resume), and the hand-written instructor loop
  (AsyncOpenAI + instructor.from_openai + asyncio.gather, semaphore 32, raw text);
- the offline backend on the seeds (``tests/data/postings/00*_*.txt``): ``Extractor.run`` (clean,
  rules, ground, settle) round-robin, postings per second of this process's CPU time;
- peak RSS of ``run_batch`` over 10,000 and 100,000 small synthetic postings (offline backend,
  one process each): memory must not grow with the number of inputs.

Then prints the table of runs and one line per target with the goal beside it. The machine is
shared: the ratios of one run are the figures to quote.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_batch  # bench/ is not a package
from bench_batch import MAX_IN_FLIGHT, ROOT, Row

SEEDS = sorted((ROOT / "tests" / "data" / "postings").glob("00*_*.txt"))
LATENCY = 0.2


# -- children ------------------------------------------------------------------------------------
def offline_child(seconds: float) -> dict[str, Any]:
    from extractor.extraction import Extractor
    from extractor.settings import Settings

    warnings.simplefilter("ignore")
    raws = [p.read_bytes() for p in SEEDS]
    settings = Settings.from_env({}, backend="offline", as_of=bench_batch.AS_OF)
    with Extractor("job_posting", settings) as ex:
        for raw in raws:  # warm up: regexes, vocabularies, place names
            ex.run(raw)
        done, cpu, wall = 0, time.process_time(), time.perf_counter()
        while time.perf_counter() - wall < seconds:
            for raw in raws:
                ex.run(raw)
            done += len(raws)
        cpu = time.process_time() - cpu
    return {"postings": done, "cpu": cpu, "per_core": done / cpu}


def memory_child(count: int, work: Path) -> dict[str, Any]:
    from extractor import Settings, run_batch

    warnings.simplefilter("ignore")
    folder = work / f"mem{count}"
    folder.mkdir()
    for i in range(count):
        (folder / f"{i:06d}.txt").write_text(
            f"Line Cook {i}\nAcme Kitchens\nDenver, CO\nPay: ${15 + i % 10}/hour\n"
            f"Reference {i}: prepare food to order and keep the station clean.\n",
            encoding="utf-8",
        )
    settings = Settings.from_env({}, backend="offline", use_cache=False, as_of=bench_batch.AS_OF)
    started = time.perf_counter()
    stats = run_batch([folder], work / f"mem{count}.jsonl", settings=settings, concurrency=8)
    return {
        "ok": stats.ok,
        "failed": stats.failed,
        "wall": time.perf_counter() - started,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_child(*args: str) -> dict[str, Any]:
    cmd = [sys.executable, __file__, *args]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{args[:2]} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- parent --------------------------------------------------------------------------------------
def llm_rows(work: Path, n: int, baseline: bool) -> dict[str, Row]:
    folder = work / "postings"
    folder.mkdir()
    bench_batch.make_postings(folder, n)
    sim, base_url = bench_batch.start_simulator(LATENCY, 1.0)
    plan: list[tuple[str, str, dict[str, Any]]] = [
        ("ours", "ours c=32", {"concurrency": 32, "cache_dir": work / "c32"}),
        ("ours", "ours c=32 re-run (cache)", {"concurrency": 32, "cache_dir": work / "c32"}),
        ("ours", "ours c=64 (cap 32)", {"concurrency": 64, "cache_dir": work / "c64"}),
    ]
    if baseline:
        plan.append(("baseline", "instructor loop c=32", {"concurrency": 32}))
    rows: dict[str, Row] = {}
    try:
        for i, (kind, name, extra) in enumerate(plan):
            if kind == "ours":
                extra = {**extra, "out": work / f"out{i}.jsonl"}
            rows[name] = bench_batch.spawn(kind, name, base_url, folder, n, **extra)
            print(f"  done: {name}", file=sys.stderr, flush=True)
    finally:
        sim.terminate()
        sim.wait(timeout=10)
    return rows


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def print_targets(
    rows: dict[str, Row], offline: dict[str, Any], memory: dict[int, dict[str, Any]]
) -> None:
    ideal = MAX_IN_FLIGHT / LATENCY
    first, again = rows["ours c=32"], rows["ours c=32 re-run (cache)"]
    c64, loop = rows["ours c=64 (cap 32)"], rows.get("instructor loop c=32")
    lines: list[tuple[str, str, str, bool]] = [
        ("--concurrency 32 / ideal C/L", f"{first.rate / ideal:.2f}", ">= 0.90", first.rate / ideal >= 0.9),
        (
            "--concurrency 64 (cap 32) / ideal, failed",
            f"{c64.rate / ideal:.2f}, {c64.failed} failed",
            ">= 0.85, 0 failed",
            c64.rate / ideal >= 0.85 and c64.failed == 0,
        ),
    ]  # fmt: skip
    if loop is not None:
        lines += [
            ("ours c=32 / instructor loop c=32", f"x{first.rate / loop.rate:.2f}", ">= x1.40", first.rate / loop.rate >= 1.4),
            (
                "client CPU per LLM extraction / loop's",
                f"{first.cpu_ms / loop.cpu_ms:.2f} ({first.cpu_ms:.2f} vs {loop.cpu_ms:.2f} ms)",
                "<= 0.35",
                first.cpu_ms / loop.cpu_ms <= 0.35,
            ),
        ]  # fmt: skip
    lines += [
        (
            "cache re-run: postings/s, / first run, requests",
            f"{again.rate:,.0f}/s, x{again.rate / first.rate:.1f}, {again.requests} requests",
            ">= 2,000/s, >= x20, 0",
            again.rate >= 2000 and again.rate / first.rate >= 20 and again.requests == 0,
        ),
        (
            "offline postings/s per core (seeds, Extractor.run)",
            f"{offline['per_core']:,.0f}",
            ">= 500",
            offline["per_core"] >= 500,
        ),
    ]
    if memory:
        sizes = sorted(memory)
        peaks = [memory[s]["maxrss_mb"] for s in sizes]
        shown = ", ".join(f"{s:,}: {m['maxrss_mb']:.0f} MB" for s, m in sorted(memory.items()))
        growth = peaks[-1] / peaks[0]
        lines.append(
            (
                "peak RSS by postings (largest / smallest)",
                f"{shown} (x{growth:.2f})",
                "flat (<= x1.10)",
                growth <= 1.1,
            )
        )
    print(
        "\ntarget                                             measured                           goal"
    )
    for name, measured, goal, ok in lines:
        print(f"  {name:<49}{measured:<35}{goal:<22}{verdict(ok)}")


def parent(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench_speed_"))
    try:
        print(
            f"simulator: latency {LATENCY} s, max in flight {MAX_IN_FLIGHT}; ideal "
            f"{MAX_IN_FLIGHT / LATENCY:.0f} postings/s; {args.postings} postings",
            flush=True,
        )
        rows = llm_rows(work, args.postings, not args.no_baseline)
        bench_batch.print_table(list(rows.values()), MAX_IN_FLIGHT / LATENCY)
        offline = run_child("--child", "offline", "--seconds", str(args.offline_seconds))
        print(
            f"offline: {offline['postings']:,} postings in {offline['cpu']:.1f} s of CPU "
            f"({len(SEEDS)} seeds round-robin)",
            flush=True,
        )
        memory: dict[int, dict[str, Any]] = {}
        for size in [int(s) for s in args.memory.split(",") if s.strip()]:
            memory[size] = run_child("--child", "memory", "--count", str(size), "--work", str(work))
            print(f"  done: memory {size:,}", file=sys.stderr, flush=True)
        for size, m in sorted(memory.items()):
            print(
                f"memory: {size:,} postings, {m['ok']:,} ok, {m['failed']} failed, {m['wall']:.0f} s, peak RSS {m['maxrss_mb']:.0f} MB"
            )
        print_targets(rows, offline, memory)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=2000)
    parser.add_argument(
        "--memory", default="10000,100000", help="sizes of the memory runs ('' for none)"
    )
    parser.add_argument("--offline-seconds", type=float, default=5.0)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--child", choices=("offline", "memory"), help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=5.0, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "offline":
        print(json.dumps(offline_child(args.seconds)))
    elif args.child == "memory":
        print(json.dumps(memory_child(args.count, args.work)))
    else:
        parent(args)


if __name__ == "__main__":
    main()
