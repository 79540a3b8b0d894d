"""The Typer application every command module registers on."""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup

from extractor.errors import ExtractorError

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2


class ExtractorGroup(TyperGroup):
    """Maps extractor's errors to a one-line message and exit code 2, for every command."""

    def invoke(self, ctx: Any) -> Any:  # a click Context (typer vendors click)
        try:
            return super().invoke(ctx)
        except ExtractorError as exc:
            typer.echo(f"extractor: error: {exc}", err=True)
            raise typer.Exit(EXIT_USAGE) from None


app = typer.Typer(
    cls=ExtractorGroup,
    name="extractor",
    help="Turn messy job-posting text into validated JSON records.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",  # docstrings are wrapped text: let paragraphs reflow
)


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
