"""A local OpenAI-compatible chat-completions server with latency, limits and faults.

In-process (tests)::

    with Simulator(SimulatorConfig(scripted_faults=["429", "ok"])) as sim:
        client = OpenAI(base_url=sim.base_url, api_key="test", max_retries=0)

As a process (benchmarks, cassette recording)::

    python -m extractor.testing.simulator --port 8765 --latency 0.2 --max-in-flight 32 --error-500 0.1
"""

from __future__ import annotations

try:
    import aiohttp  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the install
    raise ImportError("the simulator needs aiohttp: pip install 'extractor[simulator]'") from exc

from extractor.testing.simulator.answerers import (
    INVALID_ANSWER,
    Answerer,
    minimal,
    offline,
    scripted,
)
from extractor.testing.simulator.background import Simulator
from extractor.testing.simulator.config import FAULT_NAMES, SimulatorConfig
from extractor.testing.simulator.server import SimulatorServer, Stats

__all__ = [
    "FAULT_NAMES",
    "INVALID_ANSWER",
    "Answerer",
    "Simulator",
    "SimulatorConfig",
    "SimulatorServer",
    "Stats",
    "minimal",
    "offline",
    "scripted",
]
