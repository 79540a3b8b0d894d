"""``run_ray``: :func:`~extractor.run_batch` on a Ray cluster (``extractor run --engine ray``).

Same inputs, same output file, same records: the driver walks the inputs as ``run_batch`` does,
reads each file (so a remote cluster needs no access to them), skips those OUT already holds,
writes an error record for an unreadable one, and hands the rest to :func:`extract_dataset`;
records come back to the driver and are appended to OUT through the same resumable, locked sink.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import ray
import ray.data
from pydantic import BaseModel

from extractor.batch.inputs import DEFAULT_GLOBS, read_item
from extractor.batch.record import Record, sha256_hex
from extractor.batch.rows import row_record
from extractor.batch.run import FORMATS, Output, ProgressHook, open_sink, walk_checked
from extractor.batch.runner import BatchStats
from extractor.batch.sink import RecordSink
from extractor.errors import ConfigError, InputError
from extractor.extraction import Extractor
from extractor.ray.dataset import extract_dataset
from extractor.settings import Settings
from extractor.tasks import DEFAULT_TASK, Task


def run_ray(
    inputs: Sequence[str | Path],
    output: Output,
    *,
    task: str | Path | Task[Any] | type[BaseModel] = DEFAULT_TASK,
    settings: Settings | None = None,
    concurrency: int = 8,
    rpm: float | None = None,
    tpm: float | None = None,
    globs: Sequence[str] = DEFAULT_GLOBS,
    retry_errors: bool = False,
    output_format: str | None = None,
    on_progress: ProgressHook | None = None,
    address: str | None = None,
    actors: int = 2,
) -> BatchStats:
    """:func:`~extractor.run_batch` with the extraction done by Ray actors; ``address`` is a
    running cluster's (``ray://host:10001``, ``auto``), else a local one is started."""
    if concurrency < 1 or actors < 1:
        raise ConfigError("concurrency and actors must each be at least 1")
    if output_format not in (None, *FORMATS):
        raise ConfigError(f"output format must be jsonl or csv, not {output_format!r}")
    settings = settings if settings is not None else Settings.from_env()
    items = walk_checked(inputs, globs)
    with Extractor(task, settings) as extractor:
        extractor.check_endpoint()
        sink = open_sink(output, retry_errors, output_format, extractor)
        try:
            stats = BatchStats(
                backend=extractor.backend,
                model=extractor.model_name,
                base_url=settings.base_url if extractor.backend == "llm" else None,
                repaired_bytes=sink.existing.repaired_bytes,
            )
            rows = list(_rows(items, extractor, sink, stats, on_progress))
            stats.walked = True
            if rows:
                records = _extract(rows, task, settings, concurrency, rpm, tpm, address, actors)
                for record in records:
                    _write(sink, stats, record, on_progress)
        finally:
            if not isinstance(output, RecordSink):
                sink.close()
    stats.finished = time.monotonic()
    return stats


def _rows(
    items: Iterator[Any],
    extractor: Extractor[Any],
    sink: RecordSink,
    stats: BatchStats,
    on_progress: ProgressHook | None,
) -> Iterator[dict[str, Any]]:
    """The inputs to extract, read; done ones skipped and unreadable ones recorded (as the
    local runner does)."""
    run_key = extractor.run_key
    for item in items:
        stats.found += 1
        try:
            raw = read_item(item)
        except InputError as exc:
            if _skip(sink, stats, (item.source, "", run_key)):
                continue
            record = Record.failure(
                item.source,
                None,
                exc,
                task=extractor.task.name,
                backend=extractor.backend,
                model=extractor.model_name,
                run_key=run_key,
                as_of=extractor.as_of.isoformat(),
            )
            _write(sink, stats, record, on_progress)
            continue
        if not _skip(sink, stats, (item.source, sha256_hex(raw), run_key)):
            yield {"source": item.source, "text": raw}


def _skip(sink: RecordSink, stats: BatchStats, key: tuple[str, str, str]) -> bool:
    if not sink.is_done(key):
        return False
    stats.skipped += 1
    stats.skipped_errors += key not in sink.existing.ok
    return True


def _write(
    sink: RecordSink, stats: BatchStats, record: Record, on_progress: ProgressHook | None
) -> None:
    sink.write(record)
    stats.add(record)
    if on_progress is not None:
        on_progress(stats)


def _extract(
    rows: list[dict[str, Any]],
    task: str | Path | Task[Any] | type[BaseModel],
    settings: Settings,
    concurrency: int,
    rpm: float | None,
    tpm: float | None,
    address: str | None,
    actors: int,
) -> Iterator[Record]:
    started = connect(address)
    try:
        ds = extract_dataset(
            ray.data.from_items(rows),
            task=task,
            settings=settings,
            rpm=rpm,
            tpm=tpm,
            concurrency=concurrency,
            actors=actors,
        )
        batch: Any
        for batch in ds.iter_batches(batch_format="pyarrow", batch_size=None):
            for row in batch.to_pylist():
                yield row_record(row)
    finally:
        if started:
            ray.shutdown()


def connect(address: str | None) -> bool:
    """Connect to the cluster at ``address`` (or start a local one) unless connected; quiet
    (no progress bars or worker logs: the CLI shows its own). True when this call connected."""
    if ray.is_initialized():
        return False
    ray.init(
        address=address,
        include_dashboard=False,
        logging_level=logging.WARNING,
        log_to_driver=False,
        configure_logging=False,
    )
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    logging.getLogger("ray").setLevel(logging.ERROR)
    return True
