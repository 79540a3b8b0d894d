"""The Typer application every command module registers on.

``ExtractorGroup`` gives every command the same face: extractor's errors and usage errors become
one line on stderr and exit code 2 (no boxed panels, no far-fetched suggestions), and help pages
show plain metavars (``PATH...``, ``URL``, ``N``) instead of Python type tags (``<bool>``).
"""

from __future__ import annotations

import difflib
import sys
from typing import Any

import typer
from typer._click.exceptions import NoSuchOption, UsageError
from typer.core import TyperGroup

from extractor.errors import ExtractorError

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2

# Metavars by option name; any other value option shows its name in capitals.
METAVARS = {
    "output": "OUT",
    "task": "NAME",
    "backend": "auto|llm|offline",
    "model": "NAME",
    "base_url": "URL",
    "mode": "MODE",
    "timeout": "SECONDS",
    "max_reasks": "N",
    "as_of": "YYYY-MM-DD",
    "concurrency": "N",
    "rpm": "N",
    "tpm": "N",
    "glob": "PATTERN",
    "output_format": "jsonl|csv",
    "source_root": "DIR",
    "completion_tokens": "N",
}
CLOSE_ENOUGH = 0.75  # an unknown option is answered with a suggestion only when this similar


class ExtractorGroup(TyperGroup):
    """Maps extractor's errors and usage errors to one line and exit code 2, for every command."""

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            tidy_help(command)
        return command

    def invoke(self, ctx: Any) -> Any:  # a click Context (typer vendors click)
        try:
            return super().invoke(ctx)
        except ExtractorError as exc:
            typer.echo(f"extractor: error: {exc}", err=True)
            raise typer.Exit(EXIT_USAGE) from None
        except UsageError as exc:
            typer.echo(f"extractor: error: {usage_message(exc)}", err=True)
            raise typer.Exit(EXIT_USAGE) from None


def tidy_help(command: Any) -> None:
    """Plain metavars for one command's parameters (set once; typer builds commands afresh)."""
    make_help = command.get_help_option

    def help_option(ctx: Any) -> Any:
        option = make_help(ctx)
        if option is not None:
            option.metavar = ""
        return option

    command.get_help_option = help_option
    for param in command.params:
        if param.metavar is not None:
            continue
        if getattr(param, "param_type_name", "") == "argument":
            name = param.name.upper()
            param.metavar = name.removesuffix("S") if param.nargs != 1 else name
            param.display_type_rich = lambda ctx: None  # its metavar says it; no Python type
        elif getattr(param, "is_flag", False):
            param.metavar = ""
        else:
            param.metavar = METAVARS.get(param.name, param.name.upper())


def usage_message(exc: UsageError) -> str:
    """One line: what was wrong, a suggestion only when it is a close one, and where help is."""
    where = f" (see 'extractor {exc.ctx.info_name} --help')" if exc.ctx is not None else ""
    if isinstance(exc, NoSuchOption):
        near = difflib.get_close_matches(
            exc.option_name, list(exc.possibilities or ()), n=1, cutoff=CLOSE_ENOUGH
        )
        hint = f"; did you mean {near[0]}?" if near else ""
        return f"no such option: {exc.option_name}{hint}{where}"
    return " ".join(exc.format_message().split()) + where


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
