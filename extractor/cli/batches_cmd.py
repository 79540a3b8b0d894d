"""``extractor batches list|status|cancel OUT``: the batches of a ``run --via batch``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from extractor.batch.manage import batch_status, cancel_batches, list_batches
from extractor.batch.state import Submission
from extractor.cli.app import app

if TYPE_CHECKING:
    from extractor.batch.provider import BatchInfo

batches = typer.Typer(
    help="The batches of `extractor run --via batch`, from OUT.batches.json: list them, ask "
    "the provider how they are doing, cancel them. Re-run the same `extractor run` to collect.",
    no_args_is_help=True,
)
app.add_typer(batches, name="batches")

Output = Annotated[Path, typer.Argument(help="The run's output file (OUT, not OUT.batches.json).")]


def describe(sub: Submission) -> str:
    where = sub.batch_id or "(not created)"
    state = "collected" if sub.collected else "open"
    return f"{sub.number:>3}  {where}  wave {sub.wave}  {len(sub.keys):,} requests  {sub.status}  {state}"


def progress(sub: Submission, info: BatchInfo) -> str:
    done = info.completed + info.failed
    line = f"{sub.number:>3}  {info.id}  {info.status}  {done:,}/{info.total:,} done, {info.failed:,} failed"
    return line + "".join(f"\n     {error}" for error in info.errors)


@batches.command("list")
def list_command(output: Output) -> None:
    """List the batches submitted for OUT (no request is made)."""
    for sub in list_batches(output):
        typer.echo(describe(sub))


@batches.command("status")
def status_command(output: Output) -> None:
    """Ask the provider how the open batches of OUT are doing."""
    seen = batch_status(output)
    for sub, info in seen:
        typer.echo(progress(sub, info))
    if not seen:
        typer.echo("no open batches: every batch of this output is collected")


@batches.command("cancel")
def cancel_command(output: Output) -> None:
    """Cancel the open batches of OUT. The next run collects what they answered; the inputs
    they left undone are submitted by the run after it."""
    seen = cancel_batches(output)
    for sub, info in seen:
        typer.echo(progress(sub, info))
    if not seen:
        typer.echo("no open batches to cancel")
