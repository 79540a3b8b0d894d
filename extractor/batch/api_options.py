"""Options and counters of a run through the provider's Batch API (``via="batch"``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from extractor.batch.lines import MAX_BYTES, MAX_REQUESTS, BatchLimits
from extractor.batch.runner import BatchStats
from extractor.errors import ConfigError
from extractor.outcome import Usage

SecondWave = Literal["sync", "batch"]
BACKOFF = 1.5  # the poll interval grows by this while nothing changes...
MAX_POLL = 600.0  # ...up to 10 minutes (or 20 times the interval, when that is less)


@dataclass(frozen=True, slots=True)
class BatchApiOptions:
    """How a Batch API run submits, waits and retries.

    ``poll_interval``: seconds between status checks (growing while nothing changes);
    ``batch_size``/``max_bytes``: the most requests and bytes per batch file (the API allows
    50,000 and 200 MB); ``second_wave``: where answers that failed validation, error lines and
    expired lines are asked again, ``"sync"`` (the synchronous path, at once) or ``"batch"`` (a
    new batch); either way at most ``max_reasks`` more times.
    """

    poll_interval: float = 30.0
    batch_size: int = MAX_REQUESTS
    max_bytes: int = MAX_BYTES
    second_wave: SecondWave = "sync"

    def __post_init__(self) -> None:
        if not self.poll_interval > 0:
            raise ConfigError(f"poll interval must be positive, not {self.poll_interval}")
        if not 1 <= self.batch_size <= MAX_REQUESTS:
            raise ConfigError(
                f"batch size must be between 1 and {MAX_REQUESTS:,} requests, not {self.batch_size}"
            )
        if not 1 <= self.max_bytes <= MAX_BYTES:
            raise ConfigError(f"batch files hold at most {MAX_BYTES:,} bytes, not {self.max_bytes}")
        if self.second_wave not in ("sync", "batch"):
            raise ConfigError(f"second wave must be sync or batch, not {self.second_wave!r}")

    @property
    def limits(self) -> BatchLimits:
        return BatchLimits(self.batch_size, self.max_bytes)

    @property
    def max_poll_interval(self) -> float:
        return max(self.poll_interval, min(MAX_POLL, self.poll_interval * 20))


@dataclass(slots=True)
class BatchApiStats(BatchStats):
    """:class:`BatchStats` plus the batches: ``batch_usage`` is the part of ``usage`` billed
    at the Batch API price (half the table's); the rest went through the synchronous path."""

    phase: str = "walking"
    batches: int = 0
    resumed_batches: int = 0
    open_batches: int = 0
    requests_submitted: int = 0
    lines_total: int = 0
    lines_done: int = 0
    unreadable_lines: int = 0
    second_wave: int = 0
    unfinished: int = 0
    failed_batches: list[str] = field(default_factory=list)
    batch_usage: Usage = field(default_factory=Usage)

    @property
    def all_ok(self) -> bool:
        return self.failed == 0 and self.skipped_errors == 0 and self.unfinished == 0
