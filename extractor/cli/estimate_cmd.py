"""``extractor estimate``: count tokens offline and print the expected cost of a run."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from extractor.batch.inputs import DEFAULT_GLOBS, check_paths
from extractor.cli.app import app, fail
from extractor.cli.options import Globs, Paths, TaskName
from extractor.cost.estimate import EXPECTED_COMPLETION_TOKENS, Estimate, estimate
from extractor.cost.pricing import BATCH_NOTE, format_cost
from extractor.errors import ConfigError
from extractor.extraction import Extractor
from extractor.settings import Settings

MAX_PROBLEMS = 5


@app.command("estimate")
def estimate_command(
    paths: Paths,
    task: TaskName = "job_posting",
    model: Annotated[str | None, typer.Option(help="Model to price (env EXTRACTOR_MODEL).")] = None,
    glob: Globs = None,
    completion_tokens: Annotated[
        int,
        typer.Option(min=0, help="Expected completion tokens per request (an assumption)."),
    ] = EXPECTED_COMPLETION_TOKENS,
    via: Annotated[
        str,
        typer.Option(help="sync, or batch: priced at the Batch API's price (half the table's)."),
    ] = "sync",
    as_json: Annotated[bool, typer.Option("--json", help="Print the estimate as JSON.")] = False,
) -> None:
    """Count the prompt tokens `extractor run` would send for PATHS, offline, and print the
    expected cost from the price table. No request is made and the cache is not read.

    Prompt tokens are exact o200k counts of the rendered messages plus the schema (tool
    definition) sent with every request; completion tokens are assumed (--completion-tokens,
    default: the dev set's mean answer size, rounded up). Identical texts count once.
    """
    check_paths(paths)
    if via not in ("sync", "batch"):
        raise fail(f"--via must be sync or batch, not {via!r}")
    try:
        settings = Settings.from_env(model=model, backend="llm", use_cache=False)
    except ConfigError as exc:
        raise fail(str(exc)) from None
    extractor: Extractor[Any]
    with Extractor(task, settings) as extractor:
        result = estimate(
            paths,
            extractor,
            globs=tuple(glob or DEFAULT_GLOBS),
            completion_tokens=completion_tokens,
            via=via,
        )
    for problem in result.problems[:MAX_PROBLEMS]:
        typer.echo(f"extractor: warning: {problem}", err=True)
    typer.echo(json.dumps(as_dict(result), indent=2) if as_json else render(result))


def as_dict(result: Estimate) -> dict[str, object]:
    return {
        "model": result.model,
        "inputs": result.inputs,
        "requests": result.requests,
        "duplicates": result.duplicates,
        "unreadable": result.unreadable,
        "cut": result.cut,
        "prompt_tokens": result.prompt_tokens,
        "schema_tokens_per_request": result.overhead_per_request,
        "completion_tokens": result.completion_tokens,
        "completion_tokens_per_request": result.completion_per_request,
        "cost": result.cost,
        "via": result.via,
        "currency": result.prices.currency,
        "price_table": result.prices.version,
    }


def render(result: Estimate) -> str:
    cost = result.cost
    lines = [
        f"inputs {result.inputs}: {result.requests} requests, {result.duplicates} duplicate "
        f"texts sent once, {result.unreadable} unreadable, {result.cut} cut at max_input_tokens",
        f"prompt tokens {result.prompt_tokens:,} (counted; {result.overhead_per_request:,} per "
        "request are the schema and framing)",
        f"completion tokens {result.completion_tokens:,} (assumed "
        f"{result.completion_per_request:,} per request)",
        f"expected cost {format_cost(cost, result.prices.currency)}"
        + (f" {BATCH_NOTE}" if result.via == "batch" else "")
        + f": {result.prices.describe(result.model, result.base_url)}"
        if cost is not None
        else f"expected cost unknown: {result.prices.describe(result.model, result.base_url)}",
    ]
    return "\n".join(lines)
