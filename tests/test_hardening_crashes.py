"""Crashes: ``kill -9`` of a batch run at random moments loses nothing and corrupts nothing, and
two runs writing the same output at once are refused.

The runs are real processes running ``extractor run`` against the in-process simulator on
127.0.0.1, killed with SIGKILL while records are being written; a final run completes the job.
To keep the test fast, the killed runs are forked from one "zygote" process that imported
extractor once (an import costs seconds on a loaded machine); each child then runs the CLI from
its entry point exactly as ``python -m extractor run`` does.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractor.testing.simulator import Simulator, SimulatorConfig
from tests.conftest import REPO

POSTINGS = 300
KILLS = 5


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(SimulatorConfig(latency=0.02)) as server:
        yield server


def _make_postings(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"p{i:04d}.txt").write_text(
            f"Warehouse Associate {i}\nAcme Logistics {i % 17}\nReno, NV\n${15 + i % 9}/hr\n"
        )
    return folder


def _env(sim: Simulator, tmp_path: Path) -> dict[str, str]:
    return {
        "OPENAI_BASE_URL": sim.base_url,
        "OPENAI_API_KEY": "sk-test-not-secret",
        "EXTRACTOR_MODE": "tools",
        "EXTRACTOR_CACHE_DIR": str(tmp_path / "cache"),
    }


def _command(folder: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "extractor", "run", str(folder), "-o", str(out),
        "--as-of", "2026-11-22", "--concurrency", "8", "-q", *extra,
    ]  # fmt: skip


def _lines(out: Path) -> int:
    try:
        return out.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


ZYGOTE = """
import json, os, sys
import extractor.cli
from extractor.cli.app import main
from extractor.extraction import Extractor, prepare
from extractor.settings import Settings
from extractor.cost.tokens import count_tokens
count_tokens("warm up the lazy imports and tables")
Extractor(settings=Settings(backend="llm", base_url="http://127.0.0.1:9/v1", mode="tools")).llm.async_client
prepare("Warm up\\nthe cleaner")
for line in sys.stdin:
    request = json.loads(line)
    if "wait" in request:
        print(os.waitstatus_to_exitcode(os.waitpid(request["wait"], 0)[1]), flush=True)
        continue
    pid = os.fork()
    if pid == 0:
        os.environ.update(request["env"])
        os.dup2(os.open(request["stderr"], os.O_WRONLY | os.O_CREAT), 2)
        sys.argv = ["extractor", *request["args"]]
        try:
            main()
        except SystemExit as exc:
            os._exit(exc.code if isinstance(exc.code, int) else 1)
        os._exit(0)
    print(pid, flush=True)
"""


class Zygote:
    """A process that imported extractor once and forks a CLI run per request."""

    def __init__(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "EXTRACTOR_"))}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE], env=env, cwd=REPO, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def _ask(self, request: dict[str, object]) -> int:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return int(self.proc.stdout.readline())

    def start(self, args: list[str], env: dict[str, str], stderr: Path = Path(os.devnull)) -> int:
        """Fork a run of ``extractor ARGS`` with ``env`` added (its stderr to a file); its pid."""
        return self._ask({"args": args, "env": env, "stderr": str(stderr)})

    def wait(self, pid: int) -> int:
        """Wait for a run to end; its exit code (-9 when killed)."""
        return self._ask({"wait": pid})

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


def _alive(pid: int) -> bool:
    """False once the run has exited (a zombie: its /proc status says Z)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return status.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture(scope="module")
def zygote() -> Iterator[Zygote]:
    forks = Zygote()
    yield forks
    forks.close()


def _kill_while_writing(
    zygote: Zygote, args: list[str], env: dict[str, str], out: Path, rng: random.Random
) -> None:
    """Start a run, wait until it has written a few more records, then SIGKILL it at once."""
    before = _lines(out)
    pid = zygote.start(args, env)
    target = before + rng.randint(1, 40)
    deadline = time.monotonic() + 30
    while _lines(out) < target and time.monotonic() < deadline and _alive(pid):
        time.sleep(0.002)
    time.sleep(rng.uniform(0, 0.02))  # land anywhere, mid-write included
    os.kill(pid, signal.SIGKILL)  # a zombie until waited for, even when it had finished
    zygote.wait(pid)


def test_repeated_kill_9_then_a_rerun_leaves_exactly_one_record_per_input(
    zygote: Zygote, sim: Simulator, tmp_path: Path
) -> None:
    folder = _make_postings(tmp_path / "in", POSTINGS)
    out = tmp_path / "out.jsonl"
    env, rng, args = _env(sim, tmp_path), random.Random(5), _command(folder, out)[3:]
    counts = []
    for _ in range(KILLS):
        _kill_while_writing(zygote, args, env, out, rng)
        counts.append(_lines(out))
    assert counts[-1] < POSTINGS, "the runs finished before being killed: nothing was tested"
    assert zygote.wait(zygote.start(args, env)) == 0

    raw = out.read_bytes()
    assert raw.endswith(b"\n")
    records = [json.loads(line) for line in raw.splitlines()]  # no corrupt line anywhere
    per_source = Counter(r["source"] for r in records)
    assert set(per_source) == {str(p) for p in folder.iterdir()}
    assert max(per_source.values()) == 1, [s for s, n in per_source.items() if n > 1][:5]
    assert all(r["status"] == "ok" for r in records)


def test_a_second_run_on_the_same_output_is_refused_and_nothing_interleaves(
    zygote: Zygote, tmp_path: Path
) -> None:
    folder = _make_postings(tmp_path / "in", 30)
    out = tmp_path / "out.jsonl"
    with Simulator(SimulatorConfig(latency=0.1)) as slow:  # a run lasts >= 1.5 s
        env, args = _env(slow, tmp_path), _command(folder, out, "--concurrency", "2")[3:]
        first = zygote.start(args, env)
        deadline = time.monotonic() + 30
        while _lines(out) == 0 and time.monotonic() < deadline:
            time.sleep(0.005)
        second = zygote.start(args, env, stderr=tmp_path / "second.err")
        codes = (zygote.wait(first), zygote.wait(second))
    message = (tmp_path / "second.err").read_text()
    assert codes == (0, 2), message
    assert message.startswith("extractor: error: another extractor run is writing")
    assert len(message.strip().splitlines()) == 1
    sources = [json.loads(line)["source"] for line in out.read_text().splitlines()]
    assert sorted(sources) == sorted(str(p) for p in folder.iterdir())
