"""10,000 postings through ``extractor run --via batch``, killed three times, then finished.

    .venv/bin/python bench/bench_batch_api.py [--postings 10000] [--batch-size 2500]

The simulator runs in this process (its clock and file latency are turned between runs) with
the issue's line faults: 2% error lines, 1% expired, 2% invalid answers, plus 1% malformed
output lines. ``python -m extractor run FOLDER -o OUT --via batch`` runs as a subprocess and is
killed with SIGKILL (1) while polling (every batch created and polled, none finished), (2) while
downloading (an output file held open by the simulator), (3) while writing records (a third of
OUT written); run (4) finishes.

Prints: records (ok, errors, duplicated, lost), batches created and requests per batch (each
request must be in exactly one batch: nothing in flight submitted again), line faults by kind,
synchronous second-wave requests, tokens, what those tokens cost at gpt-4o-mini's Batch API
price (half the table's) against its synchronous price, and each run's wall time. The machine
is shared: wall times are indicative only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor import Record  # noqa: E402
from extractor.cost.pricing import BATCH_DISCOUNT, format_cost, load_prices  # noqa: E402
from extractor.outcome import Usage  # noqa: E402
from extractor.testing.simulator import Simulator, SimulatorConfig  # noqa: E402

FAULTS = {
    "batch_error": 0.02,
    "batch_expired": 0.01,
    "batch_invalid": 0.02,
    "batch_malformed": 0.01,
}
KINDS = ("ok", "error", "expired", "invalid", "malformed")


def make_postings(folder: Path, n: int) -> None:
    folder.mkdir(parents=True)
    for i in range(n):
        (folder / f"p{i:05d}.txt").write_text(
            f"Data Engineer {i}\nAcme Corp, Berlin, Germany\nWe need Python and SQL.\n"
            f"Reference {i:05d}.\n"
        )


def start(
    args: argparse.Namespace, folder: Path, out: Path, sim: Simulator
) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "EXTRACTOR_"))}
    env.update(
        OPENAI_BASE_URL=sim.base_url,
        OPENAI_API_KEY="sk-bench-not-secret",
        EXTRACTOR_CACHE_DIR=str(out.parent / "cache"),
    )
    command = [
        sys.executable, "-m", "extractor", "run", str(folder), "-o", str(out), "--via", "batch",
        "--poll-interval", "0.2", "--batch-size", str(args.batch_size), "--as-of", "2026-11-22",
        "-q",
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)


def kill_when(proc: subprocess.Popen[bytes], ready: Callable[[], bool]) -> None:
    while not ready():
        if proc.poll() is not None:
            raise SystemExit(f"the run ended (exit {proc.returncode}) before the kill point")
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def lines_in(out: Path) -> int:
    return out.read_bytes().count(b"\n") if out.exists() else 0


def run_scenario(args: argparse.Namespace, work: Path) -> None:
    folder, out = work / "postings", work / "out.jsonl"
    make_postings(folder, args.postings)
    expected = -(-args.postings // args.batch_size)
    config = SimulatorConfig(seed=11, batch_turnaround=36_000.0, **FAULTS)
    walls: list[tuple[str, float]] = []
    with Simulator(config) as sim:
        made = sim.stats.outcomes

        def timed(name: str, ready: Callable[[], bool] | None) -> None:
            started = time.monotonic()
            proc = start(args, folder, out, sim)
            if ready is None:
                code = proc.wait()
                if code != 0:
                    raise SystemExit(f"the last run exited {code}")
            else:
                kill_when(proc, ready)
            walls.append((name, time.monotonic() - started))

        timed("killed while polling", lambda: made.get("batch_retrieve", 0) > expected)
        config.batch_turnaround, config.file_latency = 0.0, 600.0
        timed("killed while downloading", lambda: made.get("file_content", 0) > 0)
        config.file_latency = 0.0
        timed("killed while writing", lambda: lines_in(out) >= args.postings // 3)
        timed("finished", None)
        batches = sorted(sim.server.batch_api.batches.values(), key=lambda b: b.id)
        outcomes = dict(made)
    report(args, out, batches, outcomes, walls)


def report(
    args: argparse.Namespace,
    out: Path,
    batches: list,  # type: ignore[type-arg]
    made: dict[str, int],
    walls: list[tuple[str, float]],
) -> None:
    records = [Record.from_line(line) for line in out.read_text().splitlines()]
    by_source = Counter(r.source for r in records)
    ids = [line["custom_id"] for b in batches for line in b.lines]
    print(f"postings {args.postings:,}, --batch-size {args.batch_size:,}")
    print(
        f"records {len(records):,}: ok {sum(r.status == 'ok' for r in records):,}, "
        f"errors {sum(r.status != 'ok' for r in records):,}, "
        f"duplicated {sum(c > 1 for c in by_source.values())}, "
        f"lost {args.postings - len(by_source)}"
    )
    print(
        f"batches created {len(batches)} ({', '.join(f'{len(b.lines):,}' for b in batches)} "
        f"requests); requests in more than one batch: {len(ids) - len(set(ids))}"
    )
    print("line faults: " + ", ".join(f"{k} {made.get(f'batch_line_{k}', 0):,}" for k in KINDS))
    print(f"second wave: {made.get('ok', 0):,} synchronous requests")
    usage = sum((r.usage for r in records), start=Usage())
    price = load_prices().price("gpt-4o-mini")
    assert price is not None
    sync_cost = price.cost(usage.prompt_tokens, usage.completion_tokens)
    print(
        f"tokens: prompt {usage.prompt_tokens:,}, completion {usage.completion_tokens:,} "
        f"(simulator counts: characters / 4); at gpt-4o-mini's prices "
        f"{format_cost(sync_cost * BATCH_DISCOUNT)} through the Batch API vs "
        f"{format_cost(sync_cost)} synchronously"
    )
    for name, wall in walls:
        print(f"run {name}: {wall:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=2_500)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench_batch_api_"))
    try:
        run_scenario(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
