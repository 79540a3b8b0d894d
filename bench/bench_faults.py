"""A batch run through endpoint faults: nothing lost, nothing duplicated, and what it costs.

    .venv/bin/python bench/bench_faults.py [--postings 1000] [--latency 0.2] [--timeout 2]

Starts ``python -m extractor.testing.simulator`` as a process with ``--max-in-flight 32`` (429 with
``Retry-After`` beyond 32 requests in flight) and, for the fault run, ``--error-500 0.1 --hang
0.05 --malformed 0.05`` (a hang outlasts ``--timeout``, so the client's timeout must fire), then
runs ``python -m extractor run FOLDER -o OUT --concurrency 48 --no-cache`` over N postings (the
dev set's postings, each with a unique line so none is deduplicated). The same run against a
fault-free simulator (same in-flight limit) gives the baseline.

Prints, for both runs: postings ending ok, postings ending with an error record (by type),
records lost (inputs without a record: must be 0), inputs with more than one record (must be 0),
corrupt lines, requests the simulator received by outcome, and wall time. The machine is shared:
quote the ratio of the two wall times from one run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
POSTINGS = ROOT / "tests" / "data" / "postings"
FAULTS = ["--error-500", "0.1", "--hang", "0.05", "--malformed", "0.05"]


def make_postings(folder: Path, n: int) -> None:
    sources = sorted(p for p in POSTINGS.iterdir() if p.suffix in (".txt", ".html"))
    folder.mkdir(parents=True)
    for i in range(n):
        source = sources[i % len(sources)]
        text = source.read_text(encoding="utf-8")
        head, _, rest = text.partition("\n")  # after the first line: the cleaner keeps it there
        (folder / f"{i:05d}_{source.name}").write_text(f"{head}\nReference number {i:05d}.\n{rest}")


def start_simulator(
    args: argparse.Namespace, faults: list[str]
) -> tuple[subprocess.Popen[str], str]:
    command = [
        sys.executable, "-m", "extractor.testing.simulator", "--port", "0", "--seed", "7",
        "--latency", str(args.latency), "--max-in-flight", "32",
        "--retry-after", str(args.retry_after), "--hang-seconds", str(args.timeout * 5), *faults,
    ]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("listening on "):
        proc.kill()
        raise SystemExit(f"simulator did not start: {line!r}")
    return proc, line.removeprefix("listening on ")


def simulator_stats(base_url: str) -> dict[str, Any]:
    with urllib.request.urlopen(base_url.removesuffix("/v1") + "/_stats", timeout=10) as reply:
        stats: dict[str, Any] = json.load(reply)
    return stats


def run_once(
    args: argparse.Namespace, folder: Path, work: Path, faults: list[str]
) -> dict[str, Any]:
    proc, base_url = start_simulator(args, faults)
    out = work / f"out{len(faults)}.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "EXTRACTOR_"))}
    env.update(OPENAI_BASE_URL=base_url, OPENAI_API_KEY="sk-bench-not-secret")
    command = [
        sys.executable, "-m", "extractor", "run", str(folder), "-o", str(out), "-q", "--no-cache",
        "--concurrency", str(args.concurrency), "--timeout", str(args.timeout),
        "--as-of", "2026-11-22",
    ]  # fmt: skip
    try:
        started = time.monotonic()
        result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        wall = time.monotonic() - started
        stats = simulator_stats(base_url)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return {
        "wall": wall,
        "exit": result.returncode,
        "stderr": result.stderr[-500:],
        "stats": stats,
        **count(out, folder),
    }


def count(out: Path, folder: Path) -> dict[str, Any]:
    inputs = {str(p) for p in folder.iterdir()}
    records, corrupt = [], 0
    for line in out.read_bytes().splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            corrupt += 1
    per_source = Counter(r["source"] for r in records)
    return {
        "ok": sum(r["status"] == "ok" for r in records),
        "errors": Counter(r["error"]["type"] for r in records if r["status"] == "error"),
        "lost": len(inputs - set(per_source)),
        "duplicated": sum(1 for n in per_source.values() if n > 1),
        "corrupt": corrupt,
        "requests": sum(r["usage"]["requests"] for r in records),
    }


def show(name: str, r: dict[str, Any]) -> None:
    errors = ", ".join(f"{k} {v}" for k, v in sorted(r["errors"].items())) or "none"
    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(r["stats"]["outcomes"].items()))
    print(f"{name}: wall {r['wall']:.1f} s, exit {r['exit']}")
    print(f"  ok {r['ok']}, error records {sum(r['errors'].values())} ({errors})")
    print(f"  lost {r['lost']}, duplicated {r['duplicated']}, corrupt lines {r['corrupt']}")
    print(f"  simulator received {r['stats']['received']} requests: {outcomes}")
    print(
        f"  max in flight seen {r['stats']['max_in_flight_seen']}; requests in records {r['requests']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postings", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--timeout", type=float, default=2.0, help="extractor --timeout")
    parser.add_argument(
        "--retry-after", type=float, default=0.2, help="simulator's Retry-After on 429"
    )
    parser.add_argument(
        "--concurrency", type=int, default=48, help="extractor --concurrency (> 32)"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_faults_"))
    try:
        folder = work / "postings"
        make_postings(folder, args.postings)
        print(
            f"{args.postings} postings, simulator latency {args.latency} s, max in flight 32, "
            f"retry-after {args.retry_after} s; extractor --concurrency {args.concurrency} "
            f"--timeout {args.timeout}"
        )
        clean = run_once(args, folder, work, [])
        show("fault-free", clean)
        faulty = run_once(args, folder, work, FAULTS)
        show(f"faults ({' '.join(FAULTS)})", faulty)
        print(f"wall time with faults / fault-free: {faulty['wall'] / clean['wall']:.2f}x")
        if faulty["lost"] or faulty["duplicated"] or faulty["corrupt"]:
            raise SystemExit("FAIL: records lost, duplicated or corrupt")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
