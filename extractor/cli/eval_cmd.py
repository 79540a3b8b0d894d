"""``extractor eval``: per-field precision, recall and F1 of predictions against gold labels."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from extractor.cli.app import app, fail
from extractor.errors import ExtractorError
from extractor.evaluation import DEFAULT_THRESHOLD, EvalReport, Score, evaluate

MAX_WARNINGS = 10
PIPE_WIDTH = 120  # when stdout is not a terminal, so the table is not squeezed


def load_schema(task: str) -> type[BaseModel]:
    """The task's pydantic model (imported lazily: loading tasks is the slow part)."""
    from extractor.tasks import load_task

    return load_task(task).schema


@app.command("eval")
def eval_command(
    gold_dir: Annotated[
        Path, typer.Argument(help="Folder of ID.json gold records beside their inputs.")
    ],
    predictions: Annotated[Path, typer.Argument(help="JSONL written by `extractor run`.")],
    task: Annotated[str, typer.Option(help="Task name or prompt file.")] = "job_posting",
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    fields: Annotated[
        str | None, typer.Option(help="Comma-separated fields to score, e.g. title,pay.")
    ] = None,
    threshold: Annotated[
        float,
        typer.Option(help="Levenshtein similarity (0-100] needed for free text and list items."),
    ] = DEFAULT_THRESHOLD,
) -> None:
    """Score PREDICTIONS against the gold records in GOLD_DIR, field by field.

    A prediction belongs to GOLD_DIR/ID.json when the stem of its "source" is ID. Nested fields
    are dotted (pay.min); list-of-model items (locations) are paired on their text field, then
    scored per subfield (locations.country).

    Counting, per field, summed over documents (micro-average): absent on both sides counts
    nothing; predicted but not in gold is a FP; in gold but not predicted is a FN; both present
    and different is a FP and a FN. Booleans count True only (TP both True, FP only predicted
    True, FN only gold True) and also report accuracy. Matching is strict: text is case-folded,
    whitespace collapsed, punctuation stripped at the ends; codes, URLs and numbers must be
    equal; dates as ISO strings. Free text and list items match one to one when their normalised
    Levenshtein similarity, 100 * (1 - distance / longer length), is at least --threshold
    (default 90) and neither contains the other (a title with a place glued on is a miss).
    A gold file with no prediction, an error record or invalid data counts as all missed.
    Precision TP/(TP+FP), recall TP/(TP+FN), F1 2TP/(2TP+FP+FN); "-" (null in JSON) when
    the denominator is 0. Groups sum their fields: structured (pay, dates, duration,
    employment type, workplace, seniority, degree levels, expiry, language, e-mails, apply
    URL), entities (title, company, team, locations), bullets (skills, responsibilities,
    required and preferred qualifications, benefits).

    Relative dates: GOLD_DIR/SET.yaml ("as_of: 2026-11-22") gives the day the labels were
    resolved against. Scoring is refused when a record's as_of differs from it, or when the
    gold has relative dates and no SET.yaml; re-run `extractor run` with the --as-of it names.

    Exit 0 when the report is printed (warnings go to stderr), 2 for usage errors.
    """
    selected = [name for name in fields.split(",") if name.strip()] if fields else None
    try:
        model = load_schema(task)
        report = evaluate(gold_dir, predictions, model, threshold=threshold, fields=selected)
    except ExtractorError as exc:
        raise fail(str(exc)) from exc
    for message in report.warnings[:MAX_WARNINGS]:
        typer.echo(f"extractor: warning: {message}", err=True)
    if len(report.warnings) > MAX_WARNINGS:
        typer.echo(
            f"extractor: warning: ... and {len(report.warnings) - MAX_WARNINGS} more", err=True
        )
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2))
    else:
        _print_tables(report)


def _print_tables(report: EvalReport) -> None:
    console = Console()
    if not console.is_terminal:
        console.width = max(console.width, PIPE_WIDTH)
    accuracy = any(s.accuracy is not None for s in report.fields.values())
    console.print(_table("field", report.fields, accuracy))
    console.print(_table("group", report.groups, accuracy))
    as_of = f"  as of: {report.as_of}" if report.as_of else ""
    console.print(
        f"documents: {report.documents}  missing predictions: {report.missing_predictions}{as_of}"
    )


def _table(first: str, scores: dict[str, Score], accuracy: bool) -> Table:
    extra = ["accuracy"] if accuracy else []
    table = Table(first, "TP", "FP", "FN", "precision", "recall", "F1", "support", *extra)
    table.columns[0].no_wrap = True
    for column in table.columns[1:]:
        column.justify = "right"
    for name, score in scores.items():
        table.add_row(
            name,
            str(score.tp),
            str(score.fp),
            str(score.fn),
            _rate(score.precision),
            _rate(score.recall),
            _rate(score.f1),
            str(score.support),
            *([_rate(score.accuracy) if score.accuracy is not None else ""] if accuracy else []),
        )
    return table


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
