"""Prompt tokens before and after cleaning, and cleaning time, per seed page.

    .venv/bin/python bench/bench_cleaning.py [--repeat 200] [FILE ...]

Defaults to the seeds in tests/data/cleaning/seeds. "before" counts the decoded page
(Document.source), "after" the cleaned text plus the signals whose text is not in it (what a
prompt would carry). Time is the median CPU time (``time.process_time``, steadier than wall
time on a shared machine) of ``clean(raw_bytes)`` per posting, decoding included.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from extractor.cleaning import clean
from extractor.cost.tokens import count_tokens

SEEDS = Path(__file__).resolve().parent.parent / "tests" / "data" / "cleaning" / "seeds"


def _time_ms(raw: bytes, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        clean(raw)
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    files = args.files or sorted(SEEDS.glob("*.txt"))
    print(f"{'posting':40} {'before':>7} {'after':>7} {'saved':>6} {'ms':>6}  signals")
    totals = [0, 0]
    times = []
    for path in files:
        raw = path.read_bytes()
        doc = clean(raw)
        before = count_tokens(doc.source)
        extra = [s.text for s in doc.signals if s.text not in doc.text]
        after = count_tokens(doc.text) + sum(count_tokens(text) for text in extra)
        ms = _time_ms(raw, args.repeat)
        totals[0] += before
        totals[1] += after
        times.append(ms)
        kinds = ",".join(s.kind for s in doc.signals)
        print(f"{path.name:40} {before:7} {after:7} {1 - after / before:6.1%} {ms:6.3f}  {kinds}")
    saved = 1 - totals[1] / totals[0]
    mean = statistics.mean(times)
    print(f"{'total':40} {totals[0]:7} {totals[1]:7} {saved:6.1%} {mean:6.3f}  (mean ms)")
    print(f"cleaning throughput: {1000 / mean:.0f} postings/s on one core")


if __name__ == "__main__":
    main()
