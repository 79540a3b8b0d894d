"""``extractor review``: one self-contained HTML page to check records against their sources."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from extractor.cli.app import app, fail
from extractor.errors import ExtractorError


@app.command()
def review(
    records: Annotated[Path, typer.Argument(help="JSONL written by `extractor run`.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.")] = Path(
        "review.html"
    ),
) -> None:
    """Write an HTML page showing each record's source text with every evidence span
    highlighted (a colour per field), the extracted fields, unsupported values and errors,
    with filters by field and status. Sources are read again from each record's "source"
    path, relative to the current folder. No network, no external assets."""
    from extractor.review import write_review

    if not records.is_file():
        raise fail(f"no such file: {records}")
    try:
        stats = write_review(records, output)
    except ExtractorError as exc:
        raise fail(str(exc)) from exc
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror or exc}") from exc
    typer.echo(
        f"extractor: wrote {output}: {stats.records} record(s), {stats.errors} error(s), "
        f"{stats.unsupported} unsupported value(s), {stats.missing_sources} missing source(s)",
        err=True,
    )
