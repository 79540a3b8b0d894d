"""``extractor serve``: the HTTP service (FastAPI on uvicorn, the ``serve`` extra).

    pip install 'extractor[serve]'
    extractor serve --port 8080

The core never imports this package. :func:`create_app` builds the application from a
:class:`ServeConfig`; :func:`run_server` runs it under uvicorn (one process or several, all
sharing one job store).
"""

from __future__ import annotations

try:
    import fastapi  # noqa: F401
    import uvicorn  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the install
    raise ImportError(
        "the HTTP service needs FastAPI and uvicorn: pip install 'extractor[serve]'"
    ) from exc

from extractor.serve.app import create_app
from extractor.serve.config import ServeConfig
from extractor.serve.server import run_server

__all__ = ["ServeConfig", "create_app", "run_server"]
