"""The Typer application every command module registers on."""

from __future__ import annotations

import sys

import typer

from extractor.errors import ExtractorError

app = typer.Typer(
    name="extractor",
    help="Turn messy job-posting text into validated JSON records.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    """Print a one-line error on stderr and return the Exit to raise."""
    typer.echo(f"extractor: error: {message}", err=True)
    return typer.Exit(code)


def main() -> None:
    """Console-script entry point: no traceback ever reaches the user for our own errors."""
    try:
        app()
    except ExtractorError as exc:
        typer.echo(f"extractor: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        typer.echo("extractor: interrupted", err=True)
        sys.exit(130)
