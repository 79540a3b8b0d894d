"""The ``extractor`` command line: each command parses options, makes one library call, maps
errors to an exit code (0 all ok, 1 some inputs failed, 2 usage or configuration error).

Commands live one module each and register themselves on ``app`` when imported below.
"""

from __future__ import annotations

# Command modules: importing registers their commands on ``app``.
from extractor.cli import (
    batches_cmd,  # noqa: F401  (batches list|status|cancel)
    commands,  # noqa: F401  (tasks, schema)
    estimate_cmd,  # noqa: F401  (estimate)
    eval_cmd,  # noqa: F401  (eval)
    review_cmd,  # noqa: F401  (review)
    run_cmd,  # noqa: F401  (run)
    serve_cmd,  # noqa: F401  (serve; its FastAPI imports wait until it runs)
)
from extractor.cli.app import app, main

__all__ = ["app", "main"]
