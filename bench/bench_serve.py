"""Synchronous extraction through the HTTP service under load: latency and throughput.

    .venv/bin/python bench/bench_serve.py [--clients 32] [--requests 640] [--latency 0.2]
                                          [--workers 1] [--concurrency 64]

Starts ``python -m extractor.testing.simulator`` (``--latency 0.2``: every model call takes
200 ms, no in-flight limit) and ``extractor serve --backend llm`` against it as processes on
127.0.0.1 (fresh job store and cache), then N clients each send ``POST /v1/extract`` one
after another until the request budget is spent (or ``--max-seconds`` pass). Two rounds:

- dev-set postings (each with a unique line, so no answer is cached or shared): the real
  per-request work of cleaning, grounding and storing the record;
- one-line postings: the service's own overhead around a 200 ms model call.

Printed per round: requests ok / other answers, p50 and p99 latency, throughput, and throughput
as a share of the ideal (clients / latency: every client always waiting on exactly one model
call), and the server's CPU time per request (its processes, from /proc: the figure that does
not depend on what else the machine runs). Everything stays on loopback, and every loop is bounded by count and time. The machine
is shared: quote the ratios of one run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import httpx2

ROOT = Path(__file__).resolve().parent.parent
POSTINGS = ROOT / "tests" / "data" / "postings"
KEY = "bench-serve-key-0123456789abcdef"


def start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(url: str, proc: subprocess.Popen[bytes], seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{url} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` and its child processes (uvicorn's workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def texts(kind: str, n: int) -> list[str]:
    if kind == "oneline":
        return [f"Bench Posting {i}\nAcme Corp\n" for i in range(n)]
    sources = sorted(p for p in POSTINGS.iterdir() if p.suffix == ".txt")
    return [
        f"Reference: BENCH-{i:05d}\n{sources[i % len(sources)].read_text(encoding='utf-8')}"
        for i in range(n)
    ]


async def load(url: str, bodies: list[str], clients: int, max_seconds: float) -> dict[str, Any]:
    queue = list(reversed(bodies))
    latencies: list[float] = []
    other: dict[int, int] = {}
    deadline = time.monotonic() + max_seconds
    headers = {"Authorization": f"Bearer {KEY}"}
    limits = httpx2.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx2.AsyncClient(
        base_url=url, headers=headers, limits=limits, timeout=120
    ) as http:

        async def client() -> None:
            while queue and time.monotonic() < deadline:
                body = {"text": queue.pop(), "wait": 60}
                began = time.perf_counter()
                response = await http.post("/v1/extract", json=body)
                if response.status_code == 200 and response.json()["status"] == "ok":
                    latencies.append(time.perf_counter() - began)
                else:
                    other[response.status_code] = other.get(response.status_code, 0) + 1

        began = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        elapsed = time.perf_counter() - began
    return {"latencies": sorted(latencies), "other": other, "elapsed": elapsed}


def report(name: str, result: dict[str, Any], clients: int, latency: float, cpu: float) -> None:
    lat = result["latencies"]
    if not lat:
        print(f"{name}: no request succeeded ({result['other']})")
        return
    p50 = statistics.median(lat)
    p99 = lat[min(len(lat) - 1, round(0.99 * (len(lat) - 1)))]
    throughput = len(lat) / result["elapsed"]
    ideal = clients / latency
    print(
        f"{name:<18} ok {len(lat):>5}  other {sum(result['other'].values()):>3}  "
        f"p50 {p50 * 1000:6.0f} ms  p99 {p99 * 1000:6.0f} ms  "
        f"{throughput:6.1f} req/s = {throughput / ideal:5.1%} of ideal ({ideal:.0f} req/s)  "
        f"server CPU {cpu / len(lat) * 1000:5.1f} ms/request"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=640)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--max-seconds", type=float, default=120.0)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "EXTRACTOR_"))}
    sim_port, port = free_port(), free_port()
    sim = start(
        [sys.executable, "-m", "extractor.testing.simulator", "--port", str(sim_port),
         "--latency", str(args.latency)],
        env, work / "simulator.log",
    )  # fmt: skip
    server_env = {
        **env,
        "OPENAI_API_KEY": "bench",
        "EXTRACTOR_API_KEYS": KEY,
        "EXTRACTOR_CACHE_DIR": str(work / "cache"),
    }
    server = start(
        [sys.executable, "-m", "extractor", "serve", "--port", str(port),
         "--db", str(work / "jobs.sqlite3"), "--backend", "llm",
         "--base-url", f"http://127.0.0.1:{sim_port}/v1", "--workers", str(args.workers),
         "--concurrency", str(args.concurrency)],
        server_env, work / "server.log",
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"http://127.0.0.1:{sim_port}/v1/models", sim)
        wait_until_up(f"{url}/ready", server)
        print(
            f"{args.clients} clients, sync POST /v1/extract, simulator latency "
            f"{args.latency * 1000:.0f} ms, {args.workers} server process(es), "
            f"concurrency {args.concurrency}"
        )
        asyncio.run(load(url, texts("oneline", args.clients), args.clients, 60))  # warm-up
        for name, kind in (("dev-set postings", "devset"), ("one-line postings", "oneline")):
            bodies = texts(kind, args.requests)
            before = cpu_seconds(server.pid)
            result = asyncio.run(load(url, bodies, args.clients, args.max_seconds))
            cpu = cpu_seconds(server.pid) - before
            report(name, result, args.clients, args.latency, cpu)
    finally:
        for proc in (server, sim):
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
