"""Logging for the command line: warnings on stderr, one line each, no tracebacks."""

from __future__ import annotations

import logging
import sys


def setup_logging(*, verbose: bool = False, quiet: bool = False) -> None:
    """Send extractor's log records to stderr (WARNING by default, DEBUG with --verbose)."""
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("extractor: %(levelname)s: %(message)s"))
    root = logging.getLogger("extractor")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
