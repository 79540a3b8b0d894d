"""Progress on stderr: a live bar on a terminal, plain periodic lines otherwise, a summary."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

import rich.progress
from rich.console import Console

from extractor.batch.api_options import BatchApiStats
from extractor.batch.runner import BatchStats
from extractor.cost.pricing import BATCH_DISCOUNT, BATCH_NOTE, PriceTable, format_cost, load_prices
from extractor.outcome import Usage

PLAIN_EVERY = 10.0  # seconds between plain progress lines


class Progress:
    """Shows a run's progress on ``stream`` (stderr); does nothing when disabled (--quiet).

    A live bar when the stream is a terminal, else one plain line every ``every`` seconds:
    ``extractor: progress: 120 done, 15.2/s  errors 0  cached 3  skipped 0  tokens 98,120
    cost $0.0190``. Cost comes from the price table for the model (none for an unknown model).
    The inputs are walked once, by the run: the bar's total is set when the walk is complete.
    """

    def __init__(
        self,
        *,
        enabled: bool,
        prices: PriceTable | None = None,
        stream: TextIO | None = None,
        live: bool | None = None,
        every: float = PLAIN_EVERY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.enabled = enabled
        self.prices = prices or load_prices()
        self.stream = stream or sys.stderr
        self.console = Console(file=self.stream)
        self.live = enabled and (self.stream.isatty() if live is None else live)
        self.every = every
        self.clock = clock
        self._bar: rich.progress.Progress | None = None
        self._task: rich.progress.TaskID | None = None
        self._last_line = clock()
        self._said = 0  # notices already printed

    def cost(self, stats: BatchStats) -> float | None:
        """What this run's tokens cost so far, or None without a price for the model; tokens
        answered through the Batch API cost ``BATCH_DISCOUNT`` of the table's price."""
        u = stats.usage
        b = stats.batch_usage if isinstance(stats, BatchApiStats) else Usage()
        prompt, completion = (
            u.prompt_tokens - b.prompt_tokens,
            u.completion_tokens - b.completion_tokens,
        )
        full = self.prices.cost(stats.model, prompt, completion, stats.base_url)
        batch = self.prices.cost(stats.model, b.prompt_tokens, b.completion_tokens, stats.base_url)
        if full is None or batch is None:
            return None
        return full + BATCH_DISCOUNT * batch

    def __enter__(self) -> Progress:
        if self.live:
            self._bar = rich.progress.Progress(
                rich.progress.TextColumn("[bold]extracting"),
                rich.progress.BarColumn(),
                rich.progress.MofNCompleteColumn(),
                rich.progress.TextColumn("{task.fields[detail]}"),
                rich.progress.TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("run", total=None, detail="")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

    def detail(self, stats: BatchStats) -> str:
        rate = stats.done / stats.elapsed if stats.elapsed > 0 else 0.0
        tokens = stats.usage.prompt_tokens + stats.usage.completion_tokens
        cost = self.cost(stats)
        return (
            f"{rate:.1f}/s  errors {stats.failed}  cached {stats.cached}  skipped {stats.skipped}  "
            f"tokens {tokens:,}"
            + (f"  cost {format_cost(cost, self.prices.currency)}" if cost is not None else "")
            + (f"  {batch_detail(stats)}" if isinstance(stats, BatchApiStats) else "")
        )

    def update(self, stats: BatchStats) -> None:
        if not self.enabled:
            return
        while self._said < len(stats.notices):
            self._print(stats.notices[self._said])
            self._said += 1
        if self._bar is not None and self._task is not None:
            total = stats.found if stats.walked else None
            self._bar.update(
                self._task, completed=stats.done, total=total, detail=self.detail(stats)
            )
        elif self.clock() - self._last_line >= self.every:
            self._last_line = self.clock()
            self._print(f"progress: {stats.done} done, {self.detail(stats)}")

    def _print(self, line: str) -> None:
        self.stream.write(f"extractor: {line}\n")
        self.stream.flush()

    def summary(self, stats: BatchStats) -> None:
        if not self.enabled:
            return
        for line in self.summary_lines(stats):
            self._print(line)

    def summary_lines(self, stats: BatchStats) -> list[str]:
        u = stats.usage
        lines = [
            f"ok {stats.ok}, failed {stats.failed}, cached {stats.cached}, skipped {stats.skipped}"
            + (
                f" ({stats.skipped_errors} earlier errors: --retry-errors redoes them)"
                if stats.skipped_errors
                else ""
            ),
        ]
        if stats.model is not None:  # the LLM backend: what it cost
            lines.append(
                f"requests {u.requests}, prompt tokens {u.prompt_tokens:,}, "
                f"completion tokens {u.completion_tokens:,}"
            )
            cost = self.cost(stats)
            shown = format_cost(cost, self.prices.currency) if cost is not None else "unknown"
            note = self.prices.describe(stats.model, stats.base_url)
            if isinstance(stats, BatchApiStats):
                lines.extend(batch_summary(stats))
                shown += f" ({BATCH_NOTE} for {stats.batch_usage.requests:,} batch lines)"
            lines.append(f"estimated cost {shown}: {note}")
        lines.append(f"wall time {stats.elapsed:.1f} s")
        if stats.repaired_bytes:
            lines.append(
                f"repaired a torn last line ({stats.repaired_bytes} bytes) left by an earlier run"
            )
        return lines


def batch_detail(stats: BatchApiStats) -> str:
    """The batches' part of a progress line: ``waiting: batches 2 open, lines 3,100/5,000``."""
    return (
        f"{stats.phase}: batches {stats.open_batches} open, "
        f"lines {stats.lines_done:,}/{stats.lines_total:,}"
    )


def batch_summary(stats: BatchApiStats) -> list[str]:
    """The batches' lines of the summary: what was submitted, resumed, asked again, left."""
    line = (
        f"batches: {stats.batches} submitted ({stats.requests_submitted:,} requests), "
        f"{stats.resumed_batches} resumed from an earlier run, {stats.second_wave:,} requests "
        "asked again in a second wave"
    )
    if stats.unreadable_lines:
        line += f", {stats.unreadable_lines} unreadable result lines"
    if stats.unfinished:
        line += (
            f"; {stats.unfinished} inputs left undone (a cancelled or failed batch, or a file "
            "changed meanwhile): run again"
        )
    return [line, *(f"batch {failed}" for failed in stats.failed_batches[:3])]
