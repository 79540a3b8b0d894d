"""Arguments and options shared by several commands, defined once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from extractor.batch.inputs import DEFAULT_GLOBS

Paths = Annotated[list[Path], typer.Argument(help="Files and folders (walked recursively).")]
TaskName = Annotated[str, typer.Option(help="Task name, or a prompt .yaml file.")]
Globs = Annotated[
    list[str] | None,
    typer.Option(
        help=f"File pattern in folders, repeatable (default: {', '.join(DEFAULT_GLOBS)})."
    ),
]
