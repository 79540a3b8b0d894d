"""Profiles of the client's hot paths, written to bench/profiles/ (text summaries, and the raw
``.prof`` files for ``snakeviz``/``pstats`` when ``--keep-raw``).

    .venv/bin/python bench/profile_speed.py [--postings 1000] [--label before] [--keep-raw]

Three profiles, each of the measured window only (imports and warm-up excluded):

- ``offline``: ``Extractor.run`` (clean, rules, ground, settle) on the seeds,
  ``tests/data/postings/00*_*.txt``, 40 rounds;
- ``llm``: our batch runner against the simulator (200 ms latency, 32 in flight), N postings
  with a fresh cache (cleaning, prompt, instructor, validation, grounding, record);
- ``cached``: the same N postings again, served from that cache.

Each summary lists the functions by cumulative and by own time, in process CPU time (the
machine is shared: wall time would count other processes). Profiling slows Python code down, so
read shares, not milliseconds.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_batch  # bench/ is not a package

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "profiles"
SEEDS = sorted((ROOT / "tests" / "data" / "postings").glob("00*_*.txt"))
AS_OF = dt.date(2026, 11, 22)


def summarise(prof: Path, title: str, lines: int = 40) -> str:
    buffer = io.StringIO()
    stats = pstats.Stats(str(prof), stream=buffer)
    stats.strip_dirs()
    buffer.write(f"# {title}\n\n## by cumulative time\n")
    stats.sort_stats("cumulative").print_stats(lines)
    buffer.write("\n## by own time\n")
    stats.sort_stats("tottime").print_stats(lines)
    return buffer.getvalue()


def profile_offline(prof: Path) -> None:
    from extractor.extraction import Extractor
    from extractor.settings import Settings

    warnings.simplefilter("ignore")
    raws = [p.read_bytes() for p in SEEDS]
    settings = Settings.from_env({}, backend="offline", as_of=AS_OF)
    with Extractor("job_posting", settings) as ex:
        for raw in raws:
            ex.run(raw)
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(40):
            for raw in raws:
                ex.run(raw)
        profiler.disable()
    profiler.dump_stats(str(prof))


def profile_llm(work: Path, n: int) -> tuple[Path, Path]:
    folder = work / "postings"
    folder.mkdir()
    bench_batch.make_postings(folder, n)
    sim, base_url = bench_batch.start_simulator(0.2, 1.0)
    made = []
    try:
        for name in ("llm", "cached"):
            prof = work / f"{name}.prof"
            cmd = [
                sys.executable, str(ROOT / "bench" / "bench_batch.py"), "--child", "ours",
                "--base-url", base_url, "--folder", str(folder), "--concurrency", "32",
                "--cache-dir", str(work / "cache"), "--out", str(work / f"{name}.jsonl"),
            ]  # fmt: skip
            env = {**os.environ, "BENCH_PROFILE": str(prof)}
            subprocess.run(cmd, check=True, cwd=ROOT, env=env, capture_output=True)
            made.append(prof)
    finally:
        sim.terminate()
        sim.wait(timeout=10)
    return made[0], made[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=1000)
    parser.add_argument("--label", default="current")
    parser.add_argument("--keep-raw", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="profile_speed_"))
    try:
        offline = work / "offline.prof"
        profile_offline(offline)
        llm, cached = profile_llm(work, args.postings)
        for prof, title in (
            (offline, "offline: Extractor.run on the 5 seeds x 40"),
            (llm, f"llm: batch runner, {args.postings} postings, fresh cache"),
            (cached, f"cached: the same {args.postings} postings from the cache"),
        ):
            name = f"{prof.stem}_{args.label}"
            (OUT / f"{name}.txt").write_text(summarise(prof, title), encoding="utf-8")
            if args.keep_raw:
                shutil.copy(prof, OUT / f"{name}.prof")
            print(f"wrote {OUT / name}.txt")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
