"""``extractor run``: extract records from files and folders into JSONL."""

from __future__ import annotations

import contextlib
import functools
import warnings
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from extractor.batch.api_options import BatchApiOptions
from extractor.batch.inputs import DEFAULT_GLOBS
from extractor.batch.lines import MAX_REQUESTS
from extractor.batch.run import run_batch
from extractor.batch.runner import BatchStats
from extractor.cli.app import EXIT_OK, EXIT_SOME_FAILED, app, fail
from extractor.cli.logs import setup_logging
from extractor.cli.options import Globs, Paths, TaskName
from extractor.cli.progress import Progress
from extractor.errors import ConfigError
from extractor.extraction import OfflineBackendWarning
from extractor.settings import Settings


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
    engine: Annotated[
        str,
        typer.Option(
            help="local (this process) or ray (Ray Data actors, one rate limit for the cluster; "
            "pip install 'extractor[ray]')."
        ),
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option(
            help="With --engine ray: a running cluster (ray://HOST:10001, or auto); "
            "default: start a local one."
        ),
    ] = None,
    actors: Annotated[
        int | None,
        typer.Option(min=1, help="With --engine ray: worker actors (default 2)."),
    ] = None,
    via: Annotated[
        str,
        typer.Option(
            help="sync (requests one by one) or batch (the provider's Batch API: half the "
            "price, answers within 24 h; the batches' state is kept in OUT.batches.json)."
        ),
    ] = "sync",
    poll_interval: Annotated[
        float,
        typer.Option(
            min=0.01, help="--via batch: seconds between status checks (longer while idle)."
        ),
    ] = 30.0,
    batch_size: Annotated[
        int,
        typer.Option(
            min=1,
            max=MAX_REQUESTS,
            help="--via batch: most requests per batch file (files are also cut at 200 MB).",
        ),
    ] = MAX_REQUESTS,
    second_wave: Annotated[
        str,
        typer.Option(
            help="--via batch: ask invalid answers, error and expired lines again through "
            "sync (at once) or batch (a new batch); at most --max-reasks more times."
        ),
    ] = "sync",
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
    run_with = _engine(engine, address, actors)
    if engine != "local" and via != "sync":
        raise fail("--via batch runs with --engine local (the Batch API does the scaling)")
    progress = Progress(enabled=not quiet)
    try:
        options = BatchApiOptions(
            poll_interval=poll_interval,
            batch_size=batch_size,
            second_wave=second_wave,  # type: ignore[arg-type]  # checked by BatchApiOptions
        )
        with progress, offline_notice(enabled=not quiet):
            stats = run_with(
                paths,
                output,
                task=task,
                settings=settings,
                concurrency=concurrency,
                rpm=rpm,
                tpm=tpm,
                globs=tuple(glob or DEFAULT_GLOBS),
                retry_errors=retry_errors,
                output_format=output_format,
                on_progress=progress.update,
                **({"via": via, "batch_options": options} if engine == "local" else {}),
            )
    except ConfigError as exc:
        raise fail(str(exc)) from None
    progress.summary(stats)
    raise typer.Exit(EXIT_OK if stats.all_ok else EXIT_SOME_FAILED)


def _engine(engine: str, address: str | None, actors: int | None) -> Callable[..., BatchStats]:
    """The batch function for ``--engine``: run_batch, or run_ray (imported only then)."""
    if engine == "local":
        if address is not None or actors is not None:
            raise fail("--address and --actors need --engine ray")
        return run_batch
    if engine != "ray":
        raise fail(f"--engine must be local or ray, not {engine!r}")
    try:
        from extractor.ray.run import run_ray
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.split(".")[0] not in ("ray", "pyarrow"):
            raise
        raise fail("--engine ray needs Ray: pip install 'extractor[ray]'") from None
    return functools.partial(run_ray, address=address, actors=actors or 2)


@contextlib.contextmanager
def offline_notice(*, enabled: bool) -> Iterator[None]:
    """Say once on stderr, as the run starts, that the offline backend answers (the library
    says it with an ``OfflineBackendWarning``, shown here in the CLI's words)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineBackendWarning)
        original = warnings.showwarning

        def show(message: Warning | str, category: type[Warning], *args: Any, **kw: Any) -> None:
            if issubclass(category, OfflineBackendWarning):
                if enabled:
                    typer.echo(f"extractor: {message}", err=True)
                return
            original(message, category, *args, **kw)

        warnings.simplefilter("always", OfflineBackendWarning)
        warnings.showwarning = show
        try:
            yield
        finally:
            warnings.showwarning = original


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
