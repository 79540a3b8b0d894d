"""Small commands: ``tasks`` and ``schema``."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from extractor.cli.app import app
from extractor.tasks import DEFAULT_TASK, list_tasks, load_task


@app.command()
def tasks() -> None:
    """List the tasks extractor knows (built-in and from EXTRACTOR_TASKS_PATH)."""
    for name, prompt in list_tasks().items():
        task = load_task(name)
        typer.echo(f"{name}\t{task.description}\t{prompt}")


@app.command()
def schema(
    task: Annotated[str, typer.Argument(help="Task name or prompt .yaml file.")] = DEFAULT_TASK,
) -> None:
    """Print a task's JSON schema."""
    typer.echo(json.dumps(load_task(task).schema.model_json_schema(), indent=2))
