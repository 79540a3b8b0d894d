"""The FastAPI application: lifespan (job store and worker), body limit, health routes, OpenAPI.

``create_app(config)`` builds one; ``app_from_env()`` is the factory uvicorn calls in each worker
process, with the config the CLI put in ``EXTRACTOR_SERVE_CONFIG``.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic.json_schema import models_json_schema

from extractor.serve.config import ServeConfig
from extractor.serve.limits import BodyLimit
from extractor.serve.models import ItemIn, JobRequest
from extractor.serve.routes import router
from extractor.serve.service import Service
from extractor.serve.store import JobStore
from extractor.serve.worker import Worker
from extractor.tasks import list_tasks

CONFIG_ENV = "EXTRACTOR_SERVE_CONFIG"
DESCRIPTION = """Structured extraction from job postings over HTTP: the same backends, cache,
grounding and JSON records as `extractor run`. Send an API key as `Authorization: Bearer KEY`
or `X-API-Key: KEY` when the server asks for one."""


def package_version() -> str:
    try:
        return version("extractor")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def create_app(config: ServeConfig) -> FastAPI:
    settings = config.extractor_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = await asyncio.to_thread(JobStore, config.db)
        worker = Worker(store, config, settings)
        await worker.start()
        app.state.service = Service(config, settings, store, worker)
        try:
            yield
        finally:
            await worker.stop()
            store.close()

    app = FastAPI(
        title="extractor",
        version=package_version(),
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.add_middleware(BodyLimit, limit=config.max_body_bytes)
    app.include_router(router)
    _add_health(app, config)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _add_health(app: FastAPI, config: ServeConfig) -> None:
    @app.get("/health", tags=["health"])
    async def health() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get("/ready", tags=["health"], responses={503: {"description": "Not ready."}})
    async def ready() -> JSONResponse:
        """Readiness: the job store answers, the cache folder is writable, a backend is
        configured."""
        svc: Service = app.state.service
        checks = {
            "store": await asyncio.to_thread(_store_ok, svc.store),
            "cache": _cache_ok(svc),
            "backend": svc.settings.resolved_backend == "offline"
            or svc.settings.endpoint_configured,
        }
        ok = all(checks.values())
        return JSONResponse({"ready": ok, "checks": checks}, status_code=200 if ok else 503)

    @app.get("/version", tags=["health"])
    async def version_() -> dict[str, str | None]:
        """The package version and the backend this server extracts with."""
        svc: Service = app.state.service
        return {
            "version": package_version(),
            "backend": svc.settings.resolved_backend,
            "model": svc.settings.model if svc.settings.resolved_backend == "llm" else None,
        }


def _store_ok(store: JobStore) -> bool:
    try:
        store.ping()
    except Exception:
        return False
    return True


def _cache_ok(svc: Service) -> bool:
    settings = svc.settings
    if not settings.use_cache or settings.resolved_backend != "llm":
        return True  # no cache is used
    folder = Path(settings.cache_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return False
    return os.access(folder, os.W_OK | os.X_OK)


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema, plus the models of the job body that the route reads by hand (it
    takes JSON or an upload, which a typed parameter cannot express)."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        _, defs = models_json_schema(
            [(JobRequest, "validation"), (ItemIn, "validation")],
            ref_template="#/components/schemas/{model}",
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(defs["$defs"])
        for model in ("ExtractRequest", "JobRequest"):  # name the tasks this server knows
            components[model]["properties"]["task"]["enum"] = sorted(list_tasks())
        app.openapi_schema = schema
    return app.openapi_schema


def app_from_env() -> FastAPI:
    """The factory uvicorn calls in each worker process."""
    return create_app(ServeConfig.from_json(os.environ[CONFIG_ENV]))
