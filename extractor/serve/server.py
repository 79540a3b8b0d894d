"""Run the service under uvicorn: each worker process builds the app from the same config."""

from __future__ import annotations

import os

import uvicorn

from extractor.serve.app import CONFIG_ENV
from extractor.serve.config import ServeConfig


def run_server(config: ServeConfig, *, log_level: str = "info") -> None:
    """Serve until interrupted (blocks). The config travels to worker processes through the
    environment (it holds key hashes, never keys)."""
    os.environ[CONFIG_ENV] = config.to_json()
    uvicorn.run(
        "extractor.serve.app:app_from_env",
        factory=True,
        host=config.host,
        port=config.port,
        workers=config.workers,
        log_level=log_level,
        server_header=False,
        timeout_graceful_shutdown=10,
    )
