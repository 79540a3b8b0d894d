"""Batch runs against a rate-limited endpoint: our runner vs a hand-written instructor loop.

    .venv/bin/python bench/bench_batch.py [--postings 2000] [--retry-after 1] [--latency 0.2]

Starts ``python -m extractor.testing.simulator`` as a separate process (``--latency 0.2
--max-in-flight 32``: 429 with ``Retry-After`` beyond 32 requests in flight), writes N postings
(copies of the labelled dev set, each with a unique line so none is deduplicated), then runs
every client in a fresh child process and prints one table:

- ours at --concurrency 32 and 64 (LLM calls, cache in a fresh folder), a re-run of the 32 run
  served from its cache, and ours over N/10 postings (peak RSS should stay flat); ours cleans
  each page first (the "of it clean" column: the same cleaning timed again after the run);
- the baseline: AsyncOpenAI + instructor.from_openai, a semaphore of N, asyncio.gather, the
  SDK's default retries (2, honouring Retry-After), same postings, no cleaning.

Figures: postings/s and % of the ideal (max_in_flight / latency), failed postings, HTTP requests
the simulator received, client CPU per posting (process CPU time of the child during the run,
imports and warm-up excluded) and peak RSS. The machine is shared: quote ratios of one run.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
POSTINGS = ROOT / "tests" / "data" / "postings"
AS_OF = date(2026, 11, 22)
MAX_IN_FLIGHT = 32
PROFILE = cProfile.Profile(time.process_time) if os.environ.get("BENCH_PROFILE") else None
"""Set BENCH_PROFILE=FILE to profile a child's measured window (``--child ours ...``)."""
WARM_UP = "Warm-up Posting\nAcme Corp\nWe pay $20/hour.\n"


# -- setup -------------------------------------------------------------------------------------
def make_postings(folder: Path, n: int) -> None:
    """N postings: the dev set's pages round-robin, each with a unique reference line on top
    (where the cleaner keeps it: a line at the bottom is sometimes cut as page furniture)."""
    sources = sorted(p for p in POSTINGS.iterdir() if p.suffix in (".txt", ".html"))
    for i in range(n):
        src = sources[i % len(sources)]
        text = src.read_text(encoding="utf-8")
        line = f"Reference: BENCH-{i:05d}"
        if src.suffix == ".html":
            at = text.lower().find("<body")
            at = text.find(">", at) + 1 if at >= 0 else 0
            text = f"{text[:at]}<p>{line}</p>{text[at:]}"
        else:
            text = f"{line}\n{text}"
        (folder / f"{i:05d}_{src.name}").write_text(text, encoding="utf-8")


def start_simulator(latency: float, retry_after: float) -> tuple[subprocess.Popen[str], str]:
    cmd = [
        sys.executable, "-m", "extractor.testing.simulator", "--port", "0",
        "--latency", str(latency), "--max-in-flight", str(MAX_IN_FLIGHT),
        "--retry-after", str(retry_after),
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("listening on "):
        proc.kill()
        raise SystemExit(f"simulator did not start: {line!r}")
    return proc, line.split()[-1]


def received(base_url: str) -> int:
    with urllib.request.urlopen(base_url.removesuffix("/v1") + "/_stats") as reply:
        return int(json.load(reply)["received"])


# -- children ----------------------------------------------------------------------------------
async def run_ours(args: argparse.Namespace) -> dict[str, Any]:
    from extractor.batch.inputs import iter_inputs
    from extractor.batch.runner import BatchOptions, BatchRunner
    from extractor.batch.sink import RecordSink
    from extractor.extraction import Extractor, prepare
    from extractor.llm import LLMClient
    from extractor.llm.ratelimit import RateGate
    from extractor.settings import Settings

    settings = Settings.from_env(
        {},
        backend="llm",
        base_url=args.base_url,
        api_key="bench",
        model="gpt-4o-mini",
        cache_dir=Path(args.cache_dir),
        as_of=AS_OF,
    )
    gate = RateGate(concurrency=args.concurrency)
    extractor = Extractor("job_posting", settings, llm=LLMClient(settings, gate=gate))
    # Warm up (imports, tokenizer, first connection) on a text that is not in the run.
    await extractor.arun(prepare(WARM_UP))
    sink = RecordSink(Path(args.out)).open()
    runner = BatchRunner(extractor, sink, BatchOptions(concurrency=args.concurrency))
    cpu, wall = time.process_time(), time.perf_counter()
    if PROFILE is not None:
        PROFILE.enable()
    try:
        stats = await runner.run(iter_inputs([Path(args.folder)]))
        if PROFILE is not None:
            PROFILE.disable()
    finally:
        await extractor.aclose()
        sink.close()
    result = {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "ok": stats.ok,
        "failed": stats.failed,
        "cached": stats.cached,
    }
    # The share of that CPU spent cleaning pages (the baseline sends raw text): measured again
    # on the same files, after the run.
    clean = time.process_time()
    for path in Path(args.folder).iterdir():
        prepare(path.read_bytes(), path.name)
    result["clean_cpu"] = time.process_time() - clean
    return result


async def run_baseline(args: argparse.Namespace) -> dict[str, Any]:
    import instructor
    import openai

    from extractor.tasks import load_task

    schema = load_task("job_posting").schema
    client = instructor.from_openai(openai.AsyncOpenAI(base_url=args.base_url, api_key="bench"))
    semaphore = asyncio.Semaphore(args.concurrency)
    paths = sorted(Path(args.folder).iterdir())

    async def one(path: Path) -> Any:
        async with semaphore:
            return await one_text(path.read_text(encoding="utf-8"))

    async def one_text(text: str) -> Any:
        return await client.chat.completions.create(
            model="gpt-4o-mini",
            response_model=schema,
            messages=[
                {"role": "system", "content": "Extract the job posting."},
                {"role": "user", "content": f"<posting>{text}</posting>"},
            ],
        )

    await one_text(WARM_UP)  # warm up as ours does
    cpu, wall = time.process_time(), time.perf_counter()
    results = await asyncio.gather(*(one(p) for p in paths), return_exceptions=True)
    failed = sum(isinstance(r, BaseException) for r in results)
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "ok": len(results) - failed,
        "failed": failed,
        "cached": 0,
        "clean_cpu": 0.0,
    }


def child(args: argparse.Namespace) -> None:
    runner = run_ours if args.child == "ours" else run_baseline
    result = asyncio.run(runner(args))
    if PROFILE is not None:
        PROFILE.dump_stats(os.environ["BENCH_PROFILE"])
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


# -- parent ------------------------------------------------------------------------------------
@dataclass
class Row:
    name: str
    postings: int
    wall: float
    ok: int
    failed: int
    cached: int
    requests: int
    cpu_ms: float
    clean_ms: float
    maxrss_mb: float

    @property
    def rate(self) -> float:
        return self.postings / self.wall


def spawn(kind: str, name: str, base_url: str, folder: Path, n: int, **extra: Any) -> Row:
    cmd = [
        sys.executable,
        __file__,
        "--child",
        kind,
        "--base-url",
        base_url,
        "--folder",
        str(folder),
    ]
    for key, value in extra.items():
        cmd += [f"--{key.replace('_', '-')}", str(value)]
    before = received(base_url)
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return Row(
        name,
        n,
        result["wall"],
        result["ok"],
        result["failed"],
        result["cached"],
        received(base_url) - before,
        result["cpu"] * 1000 / n,
        result["clean_cpu"] * 1000 / n,
        result["maxrss_mb"],
    )


def print_table(rows: list[Row], ideal: float) -> None:
    print(
        f"{'run':<28}{'postings':>9}{'wall s':>8}{'post/s':>9}{'% ideal':>9}{'failed':>8}"
        f"{'cached':>8}{'requests':>10}{'CPU ms/post':>13}{'of it clean':>13}{'peak RSS MB':>13}"
    )
    for r in rows:
        print(
            f"{r.name:<28}{r.postings:>9}{r.wall:>8.1f}{r.rate:>9.1f}{100 * r.rate / ideal:>8.0f}%"
            f"{r.failed:>8}{r.cached:>8}{r.requests:>10}{r.cpu_ms:>13.2f}{r.clean_ms:>13.2f}"
            f"{r.maxrss_mb:>13.0f}"
        )


def print_ratios(rows: dict[str, Row]) -> None:
    print("\nours / baseline")
    for n in (32, 64):
        ours, base = rows.get(f"ours c={n}"), rows.get(f"baseline c={n}")
        if ours is None or base is None:
            continue
        print(
            f"  {n} in flight: throughput x{ours.rate / base.rate:.2f}, "
            f"CPU per posting x{ours.cpu_ms / base.cpu_ms:.2f}, "
            f"failed {ours.failed} vs {base.failed}"
        )


def parent(args: argparse.Namespace) -> None:
    ideal = MAX_IN_FLIGHT / args.latency
    work = Path(tempfile.mkdtemp(prefix="bench_batch_"))
    sim, base_url = start_simulator(args.latency, args.retry_after)
    try:
        big, small = work / "big", work / "small"
        big.mkdir()
        small.mkdir()
        make_postings(big, args.postings)
        make_postings(small, max(args.postings // 10, 1))
        n, m = args.postings, max(args.postings // 10, 1)
        print(
            f"simulator: latency {args.latency} s, max in flight {MAX_IN_FLIGHT}, Retry-After "
            f"{args.retry_after} s; ideal {ideal:.0f} postings/s; {n} postings",
            flush=True,
        )
        plan: list[tuple[str, str, Path, int, dict[str, Any]]] = [
            ("ours", "ours c=32", big, n, {"concurrency": 32, "cache_dir": work / "c32"}),
            ("ours", "ours c=32 re-run (cache)", big, n, {"concurrency": 32, "cache_dir": work / "c32"}),
            ("ours", "ours c=64", big, n, {"concurrency": 64, "cache_dir": work / "c64"}),
            ("ours", f"ours c=32 ({m} postings)", small, m, {"concurrency": 32, "cache_dir": work / "cs"}),
        ]  # fmt: skip
        if not args.no_baseline:
            plan += [
                ("baseline", "baseline c=32", big, n, {"concurrency": 32}),
                ("baseline", "baseline c=64", big, n, {"concurrency": 64}),
            ]
        rows: dict[str, Row] = {}
        for i, (kind, name, folder, count, extra) in enumerate(plan):
            if kind == "ours":
                extra = {**extra, "out": work / f"out{i}.jsonl"}
            rows[name] = spawn(kind, name, base_url, folder, count, **extra)
            print(f"  done: {name}", file=sys.stderr, flush=True)
        print_table(list(rows.values()), ideal)
        print_ratios(rows)
    finally:
        sim.terminate()
        sim.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--retry-after", type=float, default=1.0)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--child", choices=("ours", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--concurrency", type=int, default=32, help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
    else:
        parent(args)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
