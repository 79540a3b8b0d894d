"""``run_batch``: a folder (or any files) in, one record per input out, in one call.

The library's batch entry point, which the CLI's ``run`` is a thin layer over: it builds the
rate gate, the extractor and the runner from one set of options (each owned once: the
``concurrency`` that bounds the workers also bounds requests in flight), walks the inputs once,
streaming, and writes to a resumable, locked sink::

    from extractor import Settings, run_batch

    stats = run_batch(["postings/"], "out/postings.jsonl", settings=Settings(model="gpt-4o-mini"),
                      concurrency=16, rpm=500)
    print(stats.ok, stats.failed, stats.usage)

Re-running the same call skips inputs already done with the same settings (``Record.run_key``);
``retry_errors=True`` redoes only the failed ones. Nothing is printed: progress goes to
``on_progress`` (called after each input with the live :class:`BatchStats`).

``via="batch"`` sends the requests through the provider's Batch API instead (half the price,
answers within 24 hours; see :mod:`extractor.batch.via_batch`), tuned by ``batch_options``
(:class:`BatchApiOptions`); the call waits for the batches, and the same call after a crash
picks them up where they were (their state is kept in ``OUT.batches.json``)::

    stats = run_batch(["postings/"], "out/postings.jsonl", via="batch",
                      batch_options=BatchApiOptions(poll_interval=60))
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from extractor.batch.api_options import BatchApiOptions
from extractor.batch.inputs import DEFAULT_GLOBS, InputItem, check_paths, iter_inputs
from extractor.batch.runner import BatchOptions, BatchRunner, BatchStats
from extractor.batch.sink import JSONL, RecordFormat, RecordSink
from extractor.batch.state import batch_state
from extractor.errors import ConfigError
from extractor.extraction import Extractor
from extractor.settings import Settings
from extractor.tasks import DEFAULT_TASK, Task

Output = str | Path | RecordSink | None
FORMATS = ("jsonl", "csv")
VIAS = ("sync", "batch")
ProgressHook = Callable[[BatchStats], None]


def run_batch(
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
    via: str = "sync",
    batch_options: BatchApiOptions | None = None,
) -> BatchStats:
    """Extract every input under ``inputs`` into ``output``; see the module docstring.

    ``output`` is a file path (JSONL, or CSV when it ends in ``.csv`` or ``output_format`` says
    so), an open :class:`RecordSink`, or ``None`` for stdout. Raises ``ConfigError`` before any
    work when the configuration is wrong or no input matches; a failed input is an error record,
    never an exception.
    """
    return asyncio.run(
        arun_batch(
            inputs,
            output,
            task=task,
            settings=settings,
            concurrency=concurrency,
            rpm=rpm,
            tpm=tpm,
            globs=globs,
            retry_errors=retry_errors,
            output_format=output_format,
            on_progress=on_progress,
            via=via,
            batch_options=batch_options,
        )
    )


async def arun_batch(
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
    via: str = "sync",
    batch_options: BatchApiOptions | None = None,
) -> BatchStats:
    """The async twin of :func:`run_batch` (for callers already inside an event loop)."""
    from extractor.llm.ratelimit import RateGate

    _check(concurrency, output_format, via)
    items = walk_checked(inputs, globs)
    state = None
    if via == "batch":
        state, settings = batch_state(output, settings)
        if settings.mode == "auto":  # the Batch API is OpenAI's (and Azure's): tools, no probe
            settings = settings.with_(mode="tools")
    gate = RateGate(rpm=rpm, tpm=tpm, concurrency=concurrency)
    extractor: Extractor[Any] = Extractor(task, settings, gate=gate)
    try:
        extractor.check_endpoint()
        if state is not None and extractor.backend != "llm":
            raise ConfigError("--via batch sends requests to an LLM: use the llm backend")
        notices = [*_backend_notices(extractor), *await _settle_mode(extractor)]
        sink = open_sink(output, retry_errors, output_format, extractor)
        try:
            if state is not None:
                from extractor.batch.via_batch import run_via_batch  # the LLM stack, on use

                options = batch_options or BatchApiOptions()
                return await run_via_batch(
                    extractor, sink, state, items, options, concurrency, on_progress
                )
            runner = BatchRunner(
                extractor, sink, BatchOptions(concurrency=concurrency), on_progress=on_progress
            )
            runner.stats.notices.extend(notices)
            if on_progress is not None:
                on_progress(runner.stats)  # the run's notices, before any input
            return await runner.run(items)
        finally:
            if not isinstance(output, RecordSink):
                sink.close()
    finally:
        await extractor.aclose()


def _backend_notices(extractor: Extractor[Any]) -> list[str]:
    """Load a local model before any input (a missing extra or model is a ConfigError now, not
    an error record per input), and say when ``auto`` chose the hybrid backend."""
    if extractor.backend not in ("local", "hybrid"):
        return []
    name = extractor.model_name  # loads the model
    if extractor.settings.backend == "auto" and extractor.backend == "hybrid":
        return [
            "no LLM endpoint configured (set OPENAI_API_KEY or OPENAI_BASE_URL): using the "
            f"hybrid backend (offline rules + the local model {name})"
        ]
    return []


async def _settle_mode(extractor: Extractor[Any]) -> list[str]:
    """Settle ``mode="auto"`` with one probe of the server before any input; say the choice."""
    if extractor.backend != "llm" or extractor.settings.mode != "auto":
        return []
    await extractor.llm.aresolve_mode()
    result = extractor.llm.probe_result
    if result is None or extractor.settings.is_openai:
        return []
    return [result.describe(extractor.settings.base_url or "")]


def _check(concurrency: int, output_format: str | None, via: str) -> None:
    if concurrency < 1:
        raise ConfigError(f"concurrency must be at least 1, not {concurrency}")
    if output_format not in (None, *FORMATS):
        raise ConfigError(f"output format must be jsonl or csv, not {output_format!r}")
    if via not in VIAS:
        raise ConfigError(f"via must be {' or '.join(VIAS)}, not {via!r}")


def walk_checked(inputs: Sequence[str | Path], globs: Sequence[str]) -> Iterator[InputItem]:
    """The streaming walk of ``inputs``, after checking that every path exists and (by taking
    the first) that the walk finds any; ``ConfigError`` otherwise."""
    paths = [Path(p) for p in inputs]
    check_paths(paths)
    items = iter_inputs(paths, tuple(globs))
    first = next(items, None)
    if first is None:
        raise ConfigError(
            f"no input matched in {', '.join(map(str, paths))} (file patterns: {', '.join(globs)})"
        )
    return itertools.chain([first], items)


def open_sink(
    output: Output, retry_errors: bool, output_format: str | None, extractor: Extractor[Any]
) -> RecordSink:
    """``output`` opened as a resumable, locked sink (or ``output`` itself when it is one)."""
    if isinstance(output, RecordSink):
        return output
    path = None if output is None else Path(output)
    return RecordSink(
        path, retry_errors=retry_errors, fmt=record_format(output_format, path, extractor)
    ).open()


def record_format(name: str | None, path: Path | None, extractor: Extractor[Any]) -> RecordFormat:
    """JSONL or CSV: by ``name``, else CSV for a path ending in ``.csv``, else JSONL."""
    if name is None:
        name = "csv" if path is not None and path.suffix.lower() == ".csv" else "jsonl"
    if name == "jsonl":
        return JSONL
    if name == "csv":
        from extractor.batch.csv_format import CsvFormat

        return CsvFormat(extractor.task.schema)
    raise ConfigError(f"output format must be {' or '.join(FORMATS)}, not {name!r}")
