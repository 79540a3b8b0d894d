"""``extractor run``: extract records from files and folders into JSONL."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from extractor.batch.inputs import DEFAULT_GLOBS, check_paths
from extractor.batch.runner import BatchOptions, BatchRunner, BatchStats
from extractor.batch.sink import JSONL, RecordFormat, RecordSink
from extractor.cli.app import EXIT_OK, EXIT_SOME_FAILED, app, fail
from extractor.cli.logs import setup_logging
from extractor.cli.options import Globs, Paths, TaskName
from extractor.cli.progress import Progress
from extractor.errors import ConfigError, ExtractorError
from extractor.extraction import Extractor
from extractor.llm.ratelimit import RateGate
from extractor.settings import Settings

OFFLINE_NOTICE = (
    "extractor: no LLM endpoint configured (set OPENAI_API_KEY or OPENAI_BASE_URL): "
    "using the built-in offline backend"
)
HYBRID_NOTICE = (
    "extractor: no LLM endpoint configured (set OPENAI_API_KEY or OPENAI_BASE_URL): "
    "using the hybrid backend (offline rules + the local model {model})"
)


@app.command()
def run(
    paths: Paths,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="JSONL file to append to (default: stdout)."),
    ] = None,
    task: TaskName = "job_posting",
    backend: Annotated[
        str,
        typer.Option(
            help="auto (LLM when an endpoint is configured, else hybrid when the local extra "
            "is installed, else offline), llm, offline, local, hybrid."
        ),
    ] = "auto",
    model_path: Annotated[
        Path | None,
        typer.Option(
            help="GGUF model for --backend local/hybrid (default: the Gemma package's; "
            "env EXTRACTOR_MODEL_PATH)."
        ),
    ] = None,
    model: Annotated[str | None, typer.Option(help="Model name (env EXTRACTOR_MODEL).")] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            help="OpenAI-compatible endpoint URL, e.g. http://localhost:11434/v1 (env OPENAI_BASE_URL)."
        ),
    ] = None,
    mode: Annotated[
        str | None,
        typer.Option(
            help="auto (probe the server once; tools for OpenAI), tools, json_schema, "
            "json_object_schema (llama-cpp-python), json, md_json."
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(help="Seconds per HTTP request (default 60; 600 for a local server)."),
    ] = None,
    max_reasks: Annotated[
        int | None, typer.Option(help="Re-asks after an answer fails validation.")
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Bypass the disk cache.")] = False,
    as_of: Annotated[
        str | None, typer.Option(help="Date relative dates are resolved against (YYYY-MM-DD).")
    ] = None,
    concurrency: Annotated[int, typer.Option(min=1, help="Requests in flight.")] = 8,
    rpm: Annotated[
        float | None, typer.Option(min=0.1, help="Client-side requests per minute.")
    ] = None,
    tpm: Annotated[float | None, typer.Option(min=1, help="Client-side tokens per minute.")] = None,
    glob: Globs = None,
    retry_errors: Annotated[
        bool, typer.Option("--retry-errors", help="Redo inputs whose earlier record is an error.")
    ] = False,
    keep_unsupported: Annotated[
        bool,
        typer.Option(
            "--keep-unsupported",
            help="Keep values with no evidence in the source (listed in 'unsupported') instead "
            "of dropping them.",
        ),
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Fail an input when any value has no evidence in the source."
        ),
    ] = False,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="jsonl or csv (nested fields flattened: see README); default: csv when OUT "
            "ends in .csv, else jsonl.",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Debug logging on stderr.")
    ] = False,
) -> None:
    """Extract one JSON record per input file (JSONL). Exit 0: all ok; 1: some failed; 2: usage."""
    setup_logging(verbose=verbose, quiet=quiet)
    settings = _settings(backend, model, base_url, mode, timeout, max_reasks, no_cache, as_of)
    settings = settings.with_(keep_unsupported=keep_unsupported, strict=strict)
    if model_path is not None:
        settings = settings.with_(model_path=model_path)
    check_paths(paths)
    gate = RateGate(rpm=rpm, tpm=tpm, concurrency=concurrency)
    extractor = Extractor(task, settings, gate=gate)
    extractor.check_endpoint()
    _check_local(extractor)
    if settings.backend == "auto" and extractor.backend == "offline" and not quiet:
        typer.echo(OFFLINE_NOTICE, err=True)
    if settings.backend == "auto" and extractor.backend == "hybrid" and not quiet:
        typer.echo(HYBRID_NOTICE.format(model=extractor.model_name), err=True)
    _settle_mode(extractor, quiet)
    fmt = _format(output_format, output, extractor)
    sink = RecordSink(output, retry_errors=retry_errors, fmt=fmt).open()
    progress = Progress(enabled=not quiet, model=extractor.model_name, paths=paths, globs=glob)
    runner = BatchRunner(
        extractor,
        sink,
        BatchOptions(concurrency=concurrency, globs=tuple(glob or DEFAULT_GLOBS)),
        on_progress=progress.update,
    )
    try:
        with progress:
            stats = asyncio.run(_run(runner, extractor, paths))
    finally:
        sink.close()
    progress.summary(stats, sink)
    raise typer.Exit(EXIT_OK if stats.all_ok else EXIT_SOME_FAILED)


def _check_local(extractor: Extractor) -> None:
    """Fail before any work when the local extra or the model is missing (one line)."""
    if extractor.backend in ("local", "hybrid"):
        try:
            _ = extractor.local_engine
        except ConfigError as exc:
            raise fail(str(exc)) from None


def _settle_mode(extractor: Extractor, quiet: bool) -> None:
    """Probe the server once for ``--mode auto`` before any input, and say what was chosen."""
    if extractor.backend != "llm" or extractor.settings.mode != "auto":
        return
    try:
        extractor.llm.resolve_mode()
    except ExtractorError as exc:
        raise fail(str(exc)) from None
    result = extractor.llm.probe_result
    if result is not None and not quiet and not extractor.settings.is_openai:
        typer.echo(f"extractor: {result.describe(extractor.settings.base_url or '')}", err=True)


async def _run(runner: BatchRunner, extractor: Extractor, paths: list[Path]) -> BatchStats:
    try:
        return await runner.run(paths)
    finally:
        await extractor.aclose()


def _format(name: str | None, output: Path | None, extractor: Extractor) -> RecordFormat:
    if name is None:
        name = "csv" if output is not None and output.suffix.lower() == ".csv" else "jsonl"
    if name == "jsonl":
        return JSONL
    if name == "csv":
        from extractor.batch.csv_format import CsvFormat

        return CsvFormat(extractor.task.schema)
    raise fail(f"--format must be jsonl or csv, not {name!r}")


def _settings(
    backend: str,
    model: str | None,
    base_url: str | None,
    mode: str | None,
    timeout: float | None,
    max_reasks: int | None,
    no_cache: bool,
    as_of: str | None,
) -> Settings:
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise fail(f"--as-of must be a date like 2026-11-22, not {as_of!r}") from None
    try:
        return Settings.from_env(
            backend=backend,
            model=model,
            base_url=base_url,
            mode=mode,
            timeout=timeout,
            max_reasks=max_reasks,
            use_cache=False if no_cache else None,
            as_of=day,
        )
    except ConfigError as exc:
        raise fail(str(exc)) from None
