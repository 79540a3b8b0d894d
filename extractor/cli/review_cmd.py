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
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="HTML file to write [default: RECORDS with .review.html]."
        ),
    ] = None,
    source_root: Annotated[
        Path | None,
        typer.Option(
            "--source-root",
            help="Read sources only inside this folder [default: the folder, from the JSONL's "
            "own upwards, that holds its relative sources; never / or your home folder].",
        ),
    ] = None,
) -> None:
    """Write an HTML page showing each record's source text with every evidence span
    highlighted (a colour per field), the extracted fields, unsupported values and errors,
    with filters by field and status. A source is shown only when it lies inside the source
    root and its bytes match the record's sha256; otherwise the fields are shown without it,
    with the reason. No network, no external assets. Open the page with #open=all to expand
    every record, or #field=skills&status=unsupported to preselect filters."""
    from extractor.review import write_review

    if not records.is_file():
        raise fail(f"no such file: {records}")
    if source_root is not None and not source_root.is_dir():
        raise fail(f"--source-root is not a folder: {source_root}")
    target = output or records.with_name(records.stem + ".review.html")
    try:
        stats = write_review(records, target, source_root=source_root)
    except ExtractorError as exc:
        raise fail(str(exc)) from exc
    except OSError as exc:
        raise fail(f"cannot write {target}: {exc.strerror or exc}") from exc
    root = stats.source_root or "none found (use --source-root)"
    typer.echo(
        f"extractor: wrote {target}: {stats.records} record(s), {stats.errors} error(s), "
        f"{stats.unsupported} unsupported value(s), {stats.missing_sources} source(s) not shown; "
        f"source root {root}",
        err=True,
    )
