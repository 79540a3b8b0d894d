"""Progress on stderr: a live bar on a terminal, plain periodic lines otherwise, a summary."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import rich.progress
from rich.console import Console

from extractor.batch import BatchStats
from extractor.inputs import DEFAULT_GLOBS, iter_inputs
from extractor.output import RecordSink

PLAIN_EVERY = 10.0  # seconds between plain progress lines


class Progress:
    """Shows a run's progress; does nothing when disabled (--quiet)."""

    def __init__(
        self,
        *,
        enabled: bool,
        model: str | None,
        paths: Sequence[Path],
        globs: Sequence[str] | None,
    ) -> None:
        self.enabled = enabled
        self.model = model
        self.console = Console(stderr=True)
        self.live = enabled and sys.stderr.isatty()
        self._bar: rich.progress.Progress | None = None
        self._task: rich.progress.TaskID | None = None
        self._last_line = time.monotonic()
        self._paths = paths
        self._globs = tuple(globs or DEFAULT_GLOBS)

    def __enter__(self) -> Progress:
        if self.live:
            total = sum(1 for _ in iter_inputs(self._paths, self._globs))
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
            self._task = self._bar.add_task("run", total=total, detail="")
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
        return (
            f"{rate:.1f}/s  errors {stats.failed}  cached {stats.cached}  skipped {stats.skipped}  "
            f"tokens {stats.usage.prompt_tokens + stats.usage.completion_tokens}"
        )

    def update(self, stats: BatchStats) -> None:
        if not self.enabled:
            return
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=stats.done, detail=self.detail(stats))
        elif time.monotonic() - self._last_line >= PLAIN_EVERY:
            self._last_line = time.monotonic()
            print(f"extractor: progress: {stats.done} done, {self.detail(stats)}", file=sys.stderr)

    def summary(self, stats: BatchStats, sink: RecordSink) -> None:
        if not self.enabled:
            return
        u = stats.usage
        lines = [
            f"ok {stats.ok}, failed {stats.failed}, cached {stats.cached}, skipped {stats.skipped}"
            + (
                f" ({stats.skipped_errors} earlier errors: --retry-errors redoes them)"
                if stats.skipped_errors
                else ""
            ),
            f"requests {u.requests}, prompt tokens {u.prompt_tokens}, completion tokens {u.completion_tokens}",
            f"wall time {stats.elapsed:.1f} s" + (f", model {self.model}" if self.model else ""),
        ]
        if sink.existing.repaired_bytes:
            lines.append(
                f"repaired a torn last line ({sink.existing.repaired_bytes} bytes) left by an earlier run"
            )
        for line in lines:
            print(f"extractor: {line}", file=sys.stderr)
