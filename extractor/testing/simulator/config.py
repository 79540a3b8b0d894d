"""What the simulator does to each request: latency, limits, faults and the answerer.

Fault rates are probabilities drawn once per request, in arrival order, from a
``random.Random(seed)``, so a run with the same seed and request order sees the same faults.
Their sum must not exceed 1: one draw picks at most one fault.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import textwrap
from dataclasses import dataclass, field, fields
from functools import cache

from extractor.errors import ConfigError
from extractor.testing.simulator.answerers import Answerer, minimal

"""Takes the parsed request body, returns the object to answer with (or a raw string to send)."""

# Config field holding a fault's rate -> the fault's name (as used in ``scripted_faults``).
FAULT_RATES: dict[str, str] = {
    "error_500": "500",
    "error_502": "502",
    "error_503": "503",
    "error_504": "504",
    "reset": "reset",
    "hang": "hang",
    "malformed": "malformed",
    "truncated": "truncated",
    "refusal": "refusal",
    "empty_choices": "empty_choices",
    "wrong_tool": "wrong_tool",
    "invalid": "invalid",
}

BATCH_RATES: dict[str, str] = {
    "batch_error": "error",
    "batch_expired": "expired",
    "batch_invalid": "invalid",
    "batch_malformed": "malformed",
}
"""Config field holding a batch-line fault's rate -> the fault's name, in drawing order."""


FAULT_NAMES: frozenset[str] = frozenset({"ok", "401", "429", *FAULT_RATES.values()})
"""Every name ``scripted_faults`` accepts: "ok" answers normally."""


@dataclass
class SimulatorConfig:
    """Behaviour knobs; every field but ``answerer`` is also a ``python -m extractor.testing.simulator``
    flag (``max_in_flight`` -> ``--max-in-flight``)."""

    latency: float = 0.0
    """Seconds each admitted request waits (asyncio.sleep) before it is answered."""
    max_in_flight: int | None = None
    """Requests beyond this many in flight get 429 with ``Retry-After``; None: no limit."""
    rpm: int | None = None
    """Requests allowed per ``rpm_window`` seconds; beyond: 429 with x-ratelimit-* headers."""
    rpm_window: float = 60.0
    """Seconds of the window ``rpm`` counts requests in."""
    retry_after: float = 1.0
    """Seconds sent in ``Retry-After`` on every 429 except rpm ones (which send the time left)."""
    seed: int = 0
    """Seed of the random draws that pick faults (the same seed, the same faults)."""
    error_500: float = 0.0
    """Share of requests answered HTTP 500."""
    error_502: float = 0.0
    """Share of requests answered HTTP 502."""
    error_503: float = 0.0
    """Share of requests answered HTTP 503."""
    error_504: float = 0.0
    """Share of requests answered HTTP 504."""
    reset: float = 0.0
    """Close the connection without answering."""
    hang: float = 0.0
    """Wait ``hang_seconds`` before answering: the client's timeout should fire first."""
    hang_seconds: float = 30.0
    """How long a hanging request waits before it answers."""
    malformed: float = 0.0
    """Answer 200 with the body ``{not json``."""
    truncated: float = 0.0
    """finish_reason "length" and only the first half of the arguments or content."""
    refusal: float = 0.0
    """An answer whose message is a refusal instead of the tool call."""
    empty_choices: float = 0.0
    """A 200 answer with an empty ``choices`` list."""
    wrong_tool: float = 0.0
    """A tool call to a function the request did not offer."""
    invalid: float = 0.0
    """An answer that fails JobPosting validation (pay.min > pay.max)."""
    status_401: bool = False
    """Refuse every request with OpenAI's invalid_api_key error."""
    scripted_faults: list[str] = field(default_factory=list)
    """Fault names applied to the first requests in arrival order, e.g. ["429", "ok"]."""
    batch_turnaround: float = 0.0
    """Seconds from creating a batch to its results (its request counts grow meanwhile)."""
    batch_error: float = 0.0
    """Share of batch lines answered with HTTP 500 in the error file."""
    batch_expired: float = 0.0
    """Share of batch lines left undone ("batch_expired" in the error file; batch "expired")."""
    batch_invalid: float = 0.0
    """Share of batch lines answered with an answer that fails JobPosting validation."""
    batch_malformed: float = 0.0
    """Share of output lines cut in half (not JSON)."""
    batch_in_order: bool = False
    """Write output lines in input order (by default shuffled: the API keeps no order)."""
    file_latency: float = 0.0
    """Seconds before a file's content is sent (holds a download open)."""
    answerer: Answerer = field(default=minimal)

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Raise ConfigError when a knob is out of range or a scripted fault is unknown."""
        rates = self.fault_rates()
        for name, rate in rates.items():
            if not 0.0 <= rate <= 1.0:
                raise ConfigError(f"simulator: {name} must be a probability, got {rate}")
        if sum(rates.values()) > 1.0 + 1e-9:
            raise ConfigError("simulator: the fault rates add up to more than 1")
        batch = self.batch_rates()
        for name, rate in batch.items():
            if not 0.0 <= rate <= 1.0:
                raise ConfigError(f"simulator: {name} must be a probability, got {rate}")
        if sum(batch.values()) > 1.0 + 1e-9:
            raise ConfigError("simulator: the batch fault rates add up to more than 1")
        for name in ("latency", "hang_seconds", "retry_after", "batch_turnaround", "file_latency"):
            if getattr(self, name) < 0:
                raise ConfigError(f"simulator: {name} must be >= 0")
        if self.rpm_window <= 0:
            raise ConfigError("simulator: rpm_window must be > 0")
        for name in ("max_in_flight", "rpm"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ConfigError(f"simulator: {name} must be >= 1 or unset")
        unknown = sorted(set(self.scripted_faults) - FAULT_NAMES)
        if unknown:
            known = ", ".join(sorted(FAULT_NAMES))
            raise ConfigError(f"simulator: unknown scripted faults {unknown}; known: {known}")

    def batch_rates(self) -> dict[str, float]:
        """Rate of each batch-line fault, keyed by config field name, in drawing order."""
        return {name: float(getattr(self, name)) for name in BATCH_RATES}

    def fault_rates(self) -> dict[str, float]:
        """Rate of each fault, keyed by config field name, in the fixed drawing order."""
        return {name: float(getattr(self, name)) for name in FAULT_RATES}


def flag_fields() -> list[str]:
    """Names of the config fields that are command-line flags."""
    return [f.name for f in fields(SimulatorConfig) if f.name != "answerer"]


@cache
def field_docs() -> dict[str, str]:
    """Each config field's docstring (the string right after it), for the flags' help."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(SimulatorConfig)))
    body = tree.body[0].body  # type: ignore[attr-defined]
    docs: dict[str, str] = {}
    for node, after in itertools.pairwise(body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[node.target.id] = " ".join(after.value.value.split()).replace("``", "")
    return docs
