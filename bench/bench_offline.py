"""Throughput of the offline backend, cleaning included, on one core.

    .venv/bin/python bench/bench_offline.py [--seconds 3] [--rounds 5] [FOLDER]

Reads every posting in FOLDER (default: the five seeds, copied in tests/data/cleaning/seeds),
then cleans and extracts them round-robin for about ``--seconds`` and prints postings per second,
by this process's CPU time (median and best of ``--rounds``; on a shared machine this is the
figure that says what one core does) and by wall time, and the CPU split between cleaning and
extraction.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from extractor.cleaning import clean
from extractor.offline import extract_posting

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDERS = (
    ROOT / "tests" / "data" / "cleaning" / "seeds",
    ROOT / "tests" / "data" / "postings",
)
AS_OF = dt.date(2026, 11, 22)


def load(folder: Path) -> list[bytes]:
    return [p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in (".txt", ".html")]


def run_round(postings: list[bytes], seconds: float) -> tuple[int, float, float, float]:
    """Clean and extract round-robin for ``seconds``: (postings, wall s, CPU s, cleaning CPU s)."""
    done, cleaning, started, cpu = 0, 0.0, time.perf_counter(), time.process_time()
    while time.perf_counter() - started < seconds:
        for raw in postings:
            before = time.process_time()
            doc = clean(raw)
            cleaning += time.process_time() - before
            extract_posting(doc, as_of=AS_OF)
        done += len(postings)
    return done, time.perf_counter() - started, time.process_time() - cpu, cleaning


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = args.folder or next(f for f in DEFAULT_FOLDERS if f.is_dir())
    postings = load(folder)
    for raw in postings:  # warm up: compile regexes, load the vocabulary
        extract_posting(clean(raw), as_of=AS_OF)
    rounds = [run_round(postings, args.seconds / args.rounds) for _ in range(args.rounds)]
    per_core = sorted(done / cpu for done, _, cpu, _ in rounds)
    done = sum(r[0] for r in rounds)
    wall, cpu, cleaning = (sum(r[i] for r in rounds) for i in (1, 2, 3))
    size = sum(len(raw) for raw in postings) / len(postings)
    print(f"{folder}: {len(postings)} postings, mean {size:,.0f} bytes, {args.rounds} rounds")
    print(
        f"{per_core[len(per_core) // 2]:,.0f} postings/s per core by CPU time, median round "
        f"(best {per_core[-1]:,.0f}; clean + extract)"
    )
    print(f"{done / wall:,.0f} postings/s by wall time (single process, shared machine)")
    per = 1000 / done
    print(
        f"CPU per posting: cleaning {cleaning * per:.2f} ms, extraction {(cpu - cleaning) * per:.2f} ms"
    )


if __name__ == "__main__":
    main()
