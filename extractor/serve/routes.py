"""The ``/v1`` API: one posting synchronously, many as a job, and the job's status and records."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from extractor.batch.csv_format import CsvFormat
from extractor.batch.record import Record
from extractor.errors import ConfigError, ExtractorError, InputError
from extractor.serve import payloads
from extractor.serve.auth import Caller, check_owner
from extractor.serve.models import (
    Accepted,
    ExtractRequest,
    JobOptions,
    JobRequest,
    JobView,
    Problem,
    RecordView,
)
from extractor.serve.service import Service, service
from extractor.serve.store import Claim, Item

router = APIRouter(prefix="/v1", tags=["v1"])
Svc = Annotated[Service, Depends(service)]
Wait = Annotated[float, Query(ge=0, description="Seconds to wait for the job to end (capped).")]
JSONL = "application/x-ndjson"
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem} for code in (401, 403, 404, 413, 415)
}


def http_error(exc: ExtractorError) -> HTTPException:
    """The HTTP answer to a refused request: its status detail, else 422."""
    status = exc.details.get("status", 422) if isinstance(exc, InputError) else 422
    return HTTPException(status, str(exc))


@router.get("/tasks")
async def tasks(svc: Svc, owner: Caller) -> list[str]:
    """The task names this server knows."""
    return sorted(svc.worker.tasks)


@router.post(
    "/extract",
    responses={200: {"model": RecordView}, 202: {"model": Accepted}, **ERRORS},
)
async def extract(request: ExtractRequest, svc: Svc, owner: Caller) -> Response:
    """Extract one posting: its record (exactly a line of `extractor run`) when it is ready
    within `wait` seconds, else 202 with a job to poll."""
    settings = request.settings.model_dump(mode="json")
    try:
        inputs = payloads.from_items([request], 1, svc.config.max_item_bytes)
        svc.worker.extractor_for(request.task, settings)
    except (InputError, ConfigError) as exc:
        raise http_error(exc) from None
    job = await asyncio.to_thread(
        lambda: svc.store.create(
            owner=owner,
            task=request.task,
            settings=settings,
            items=inputs,
            claim=svc.worker.claim_for_me(),
        )
    )
    running = svc.worker.start_now(Claim(job, (Item(0, *inputs[0]),)))
    wait = min(
        svc.config.default_wait if request.wait is None else request.wait, svc.config.max_wait
    )
    done, _ = await asyncio.wait({running}, timeout=wait)
    if done and (rows := await asyncio.to_thread(svc.store.records, job.id)):
        return Response(rows[0][1], media_type="application/json")
    accepted = Accepted(job_id=job.id, status="running", url=f"/v1/jobs/{job.id}")
    return JSONResponse(accepted.model_dump(), status_code=202, headers={"Location": accepted.url})


UPLOAD_SCHEMA = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "oneOf": [
                    {"$ref": "#/components/schemas/JobRequest"},
                    {"type": "array", "items": {"$ref": "#/components/schemas/ItemIn"}},
                ]
            }
        },
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "A JSONL file of items, or a zip of .txt/.md/.html files.",
                    },
                    "task": {"type": "string"},
                    "settings": {"type": "string", "description": "JobSettings as JSON."},
                    "webhook": {"type": "string"},
                },
            }
        },
    },
}


@router.post(
    "/jobs",
    status_code=202,
    response_model=JobView,
    responses={**ERRORS, 422: {"model": Problem}},
    openapi_extra={"requestBody": UPLOAD_SCHEMA},
)
async def create_job(request: Request, response: Response, svc: Svc, owner: Caller) -> JobView:
    """Start a job over many postings: a JSON array of items, an object with `items` (and
    `task`, `settings`, `webhook`), or an uploaded JSONL file or zip archive (multipart field
    `file`). Answers at once with the job to poll."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if content_type == "multipart/form-data":
            options, inputs = await _from_form(request, svc)
        elif content_type in ("application/json", ""):
            options, inputs = await _from_json(request, svc)
        else:
            raise HTTPException(415, "send application/json or multipart/form-data")
        if options.webhook is not None and not svc.config.webhooks:
            raise InputError("this server sends no webhooks (--no-webhooks)", status=422)
        settings = options.settings.model_dump(mode="json")
        svc.worker.extractor_for(options.task, settings)
    except (InputError, ConfigError) as exc:
        raise http_error(exc) from None
    webhook = str(options.webhook) if options.webhook is not None else None
    job = await asyncio.to_thread(
        lambda: svc.store.create(
            owner=owner, task=options.task, settings=settings, items=inputs, webhook=webhook
        )
    )
    svc.worker.wake()
    response.headers["Location"] = f"/v1/jobs/{job.id}"
    return await svc.view(job)


async def _from_json(request: Request, svc: Svc) -> tuple[JobOptions, payloads.Inputs]:
    try:
        raw = json.loads(await request.body())
        body = JobRequest.model_validate({"items": raw} if isinstance(raw, list) else raw)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False, include_context=False)) from None
    except ValueError as exc:
        raise InputError(f"the body is not JSON: {exc}", status=422) from None
    limits = svc.config.max_items, svc.config.max_item_bytes
    return body, payloads.from_items(body.items, *limits)


async def _from_form(request: Request, svc: Svc) -> tuple[JobOptions, payloads.Inputs]:
    form = await request.form(max_files=1, max_fields=8)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise InputError("upload the JSONL file or zip archive as the form field 'file'")
    fields = {k: form.get(k) for k in ("task", "settings", "webhook") if form.get(k)}
    try:
        if isinstance(fields.get("settings"), str):
            fields["settings"] = json.loads(str(fields["settings"]))
        options = JobOptions.model_validate(fields)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False, include_context=False)) from None
    except ValueError as exc:
        raise InputError(f"the settings field is not JSON: {exc}") from None
    data = await upload.read()
    return options, payloads.from_upload(data, svc.config.max_items, svc.config.max_item_bytes)


@router.get("/jobs/{job_id}", responses=ERRORS)
async def get_job(job_id: str, svc: Svc, owner: Caller, wait: Wait = 0) -> JobView:
    """A job's status and counts; with `wait`, answer once it ends or the wait is over."""
    job = check_owner(await svc.job(job_id), owner)
    if wait > 0:
        job = await svc.wait_for_end(job, wait)
    return await svc.view(job)


@router.get(
    "/jobs/{job_id}/records",
    responses={
        200: {"content": {JSONL: {}, "text/csv": {}}, "description": "The records so far."},
        **ERRORS,
    },
)
async def get_records(
    job_id: str,
    request: Request,
    svc: Svc,
    owner: Caller,
    format: Annotated[Literal["jsonl", "csv"] | None, Query()] = None,
) -> StreamingResponse:
    """The job's records written so far, in input order: JSONL, or CSV with `Accept: text/csv`
    (or `format=csv`), the columns of `extractor run --format csv`."""
    job = check_owner(await svc.job(job_id), owner)
    csv = format == "csv" or (format is None and "text/csv" in request.headers.get("accept", ""))
    encode = _csv(svc, job.task, job.settings) if csv else None
    media = "text/csv; charset=utf-8" if csv else JSONL
    return StreamingResponse(_lines(svc, job_id, encode), media_type=media)


def _csv(svc: Service, task: str, settings: dict[str, Any]) -> CsvFormat:
    return CsvFormat(svc.worker.extractor_for(task, settings).task.schema)


async def _lines(svc: Service, job_id: str, fmt: CsvFormat | None) -> AsyncIterator[str]:
    if fmt is not None and (header := fmt.header()) is not None:
        yield header
    after = -1
    while rows := await asyncio.to_thread(svc.store.records, job_id, after):
        for _, line in rows:
            yield line if fmt is None else fmt.encode(Record.from_line(line))
        after = rows[-1][0]


@router.delete("/jobs/{job_id}", responses=ERRORS)
async def cancel_job(
    job_id: str,
    svc: Svc,
    owner: Caller,
    purge: Annotated[bool, Query(description="Also delete its inputs and records.")] = False,
) -> JobView | None:
    """Cancel a job: inputs not yet done never run; records written stay readable (unless
    `purge`, which forgets the job entirely)."""
    job = check_owner(await svc.job(job_id), owner)
    await asyncio.to_thread(svc.store.cancel, job_id)
    svc.worker.notify()
    view = await svc.view(await svc.job(job_id) or job)
    if purge:
        await asyncio.to_thread(svc.store.purge, job_id)
    return view
