"""``extractor serve``: the HTTP service (needs the ``serve`` extra)."""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Annotated, Any

import typer

from extractor.cli.app import app, fail
from extractor.cli.logs import setup_logging
from extractor.errors import ConfigError
from extractor.extraction import Extractor, OfflineBackendWarning
from extractor.settings import Settings

INSTALL_HINT = "the HTTP service needs its extra: pip install 'extractor[serve]'"
MAX_BODY = 32 * 1024 * 1024
MAX_ITEM = 1024 * 1024


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Address to bind; anything but loopback requires API keys.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to bind.")] = 8080,
    db: Annotated[
        Path | None,
        typer.Option(help="Job store (SQLite) shared by all workers [default: user data dir]."),
    ] = None,
    api_keys_file: Annotated[
        Path | None,
        typer.Option(help="API keys, one a line (or sha256:HEX); also env EXTRACTOR_API_KEYS."),
    ] = None,
    no_auth: Annotated[
        bool, typer.Option("--no-auth", help="Ask for no API key, even off loopback.")
    ] = False,
    workers: Annotated[int, typer.Option(min=1, help="Server processes.")] = 1,
    concurrency: Annotated[
        int, typer.Option(min=1, help="Extractions in flight per process.")
    ] = 16,
    rpm: Annotated[
        float | None, typer.Option(min=0.1, help="Requests per minute, shared by all workers.")
    ] = None,
    tpm: Annotated[
        float | None, typer.Option(min=1, help="Tokens per minute, shared by all workers.")
    ] = None,
    max_body_bytes: Annotated[int, typer.Option(min=1, help="Largest request body.")] = MAX_BODY,
    max_item_bytes: Annotated[int, typer.Option(min=1, help="Largest posting (bytes).")] = MAX_ITEM,
    max_items: Annotated[int, typer.Option(min=1, help="Most postings in one job.")] = 10_000,
    max_wait: Annotated[
        float, typer.Option(min=0.1, help="Longest wait (s) a request may ask for.")
    ] = 60.0,
    lease: Annotated[
        float, typer.Option(min=0.5, help="Seconds before a silent worker's inputs are retaken.")
    ] = 30.0,
    no_webhooks: Annotated[
        bool, typer.Option("--no-webhooks", help="Refuse jobs that ask for a webhook.")
    ] = False,
    backend: Annotated[str, typer.Option(help="auto, llm or offline (as for run).")] = "auto",
    model: Annotated[str | None, typer.Option(help="Model name (env EXTRACTOR_MODEL).")] = None,
    base_url: Annotated[
        str | None, typer.Option(help="OpenAI-compatible endpoint URL (env OPENAI_BASE_URL).")
    ] = None,
    mode: Annotated[str | None, typer.Option(help="instructor mode (as for run).")] = None,
    timeout: Annotated[float | None, typer.Option(help="Seconds per HTTP request.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Bypass the disk cache.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False,
) -> None:
    """Serve extraction over HTTP (FastAPI; docs at /docs): POST /v1/extract for one posting,
    POST /v1/jobs for many; jobs live in a SQLite store and survive restarts."""
    try:
        from extractor.serve import ServeConfig, run_server
        from extractor.serve.config import default_db_path
        from extractor.serve.keys import load_key_hashes
    except ImportError:
        raise fail(INSTALL_HINT) from None
    setup_logging(verbose=verbose)
    overrides: dict[str, Any] = {
        "backend": backend,
        "model": model,
        "base_url": base_url,
        "mode": mode,
        "timeout": timeout,
        "use_cache": False if no_cache else None,
    }
    overrides = {k: v for k, v in overrides.items() if v is not None}
    try:
        settings = Settings.from_env(**overrides)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OfflineBackendWarning)
            Extractor("job_posting", settings.with_(use_cache=False)).check_endpoint()
        config = ServeConfig(
            host=host,
            port=port,
            key_hashes=load_key_hashes(api_keys_file, os.environ),
            auth=not no_auth,
            workers=workers,
            concurrency=concurrency,
            rpm=rpm,
            tpm=tpm,
            max_body_bytes=max_body_bytes,
            max_item_bytes=max_item_bytes,
            max_items=max_items,
            max_wait=max_wait,
            default_wait=min(30.0, max_wait),
            lease_seconds=lease,
            webhooks=not no_webhooks,
            settings=overrides,
            db=str(db if db is not None else default_db_path()),
        ).checked()
    except ConfigError as exc:
        raise fail(str(exc)) from None
    if settings.resolved_backend == "offline":
        typer.echo("extractor: serving with the built-in offline backend", err=True)
    run_server(config, log_level="debug" if verbose else "info")
