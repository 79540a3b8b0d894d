"""OpenAI's Files and Batch API on the simulator: upload, create, poll, download, cancel, list.

- ``POST /v1/files`` (multipart, ``purpose=batch``) stores a file; ``GET /v1/files/{id}`` and
  ``GET /v1/files/{id}/content`` read it back (after ``file_latency`` seconds).
- ``POST /v1/batches`` checks the input file (JSONL; unique ``custom_id``; ``POST`` to the
  batch's endpoint) and starts the clock. Until ``batch_turnaround`` seconds have passed the
  batch is ``in_progress`` with its completed count growing; then every line is answered at once
  (as ``/v1/chat/completions`` would answer it, through the config's answerer) and the batch is
  ``completed``, or ``expired`` when some lines expired. A batch whose file is wrong is
  ``failed`` with ``errors``. Each line's fate is counted in the stats (``batch_line_ok``,
  ``batch_line_error``, ``batch_line_expired``...).
- Per line, one seeded draw picks a fault: an HTTP 500 in the error file (``batch_error``), a
  ``batch_expired`` line in the error file (``batch_expired``), an answer that fails validation
  (``batch_invalid``), or an output line cut in half (``batch_malformed``). Output lines are
  shuffled unless ``batch_in_order``.
- ``POST /v1/batches/{id}/cancel``: ``cancelling`` then ``cancelled``, the lines done so far in
  the output file and the rest as ``batch_cancelled`` in the error file.
- ``GET /v1/batches``: newest first, with ``limit`` and ``after``.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from extractor.testing import responses
from extractor.testing.simulator import batch_lines
from extractor.testing.simulator.answerers import INVALID_ANSWER
from extractor.testing.simulator.config import BATCH_RATES, SimulatorConfig

TERMINAL = frozenset({"completed", "expired", "failed", "cancelled"})
EXPIRED_MESSAGE = "This request could not be executed before the completion window expired."
CANCELLED_MESSAGE = "This request was not executed because the batch was cancelled."


@dataclass
class StoredFile:
    id: str
    filename: str
    purpose: str
    content: bytes
    created_at: int

    def view(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "file",
            "bytes": len(self.content),
            "created_at": self.created_at,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": "processed",
        }


@dataclass
class SimBatch:
    """One batch and its input lines (parsed); answered lazily when its time has come."""

    id: str
    input_file_id: str
    endpoint: str
    metadata: dict[str, str] | None
    started: float
    created_at: int
    lines: list[dict[str, Any]]
    status: str = "in_progress"
    errors: list[dict[str, Any]] = field(default_factory=list)
    output_file_id: str | None = None
    error_file_id: str | None = None
    completed: int = 0
    failed: int = 0

    def view(self, done: int) -> dict[str, Any]:
        total = len(self.lines) if self.status != "failed" else 0
        return {
            "id": self.id,
            "object": "batch",
            "endpoint": self.endpoint,
            "errors": {"object": "list", "data": self.errors} if self.errors else None,
            "input_file_id": self.input_file_id,
            "completion_window": "24h",
            "status": self.status,
            "output_file_id": self.output_file_id,
            "error_file_id": self.error_file_id,
            "created_at": self.created_at,
            "metadata": self.metadata,
            "request_counts": {
                "total": total,
                "completed": self.completed if self.status in TERMINAL else done,
                "failed": self.failed,
            },
        }


class BatchEndpoints:
    """The Files and Batch API handlers of one simulator (state in memory)."""

    def __init__(
        self,
        config: SimulatorConfig,
        count: Callable[[str], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.count = count
        self.clock = clock
        self.files: dict[str, StoredFile] = {}
        self.batches: dict[str, SimBatch] = {}
        self._rng = random.Random(config.seed)
        self._numbers = 0

    def add_routes(self, app: web.Application) -> None:
        for prefix in ("/v1", ""):
            app.router.add_post(f"{prefix}/files", self.upload)
            app.router.add_get(f"{prefix}/files/{{id}}", self.file_view)
            app.router.add_get(f"{prefix}/files/{{id}}/content", self.file_content)
            app.router.add_post(f"{prefix}/batches", self.create)
            app.router.add_get(f"{prefix}/batches", self.list_view)
            app.router.add_get(f"{prefix}/batches/{{id}}", self.retrieve)
            app.router.add_post(f"{prefix}/batches/{{id}}/cancel", self.cancel)

    def _id(self, prefix: str) -> str:
        self._numbers += 1
        return f"{prefix}-sim{self._numbers:06d}"

    def _store(self, filename: str, purpose: str, content: bytes) -> StoredFile:
        stored = StoredFile(self._id("file"), filename, purpose, content, int(time.time()))
        self.files[stored.id] = stored
        return stored

    # -- files -----------------------------------------------------------------------------
    async def upload(self, request: web.Request) -> web.Response:
        form = await request.post()
        upload, purpose = form.get("file"), str(form.get("purpose", ""))
        if not isinstance(upload, web.FileField) or purpose != "batch":
            return _error(400, "Upload a file with purpose=batch.")
        stored = self._store(upload.filename or "upload.jsonl", purpose, upload.file.read())
        self.count("file_upload")
        return _json(200, stored.view())

    async def file_view(self, request: web.Request) -> web.Response:
        stored = self.files.get(request.match_info["id"])
        return _json(200, stored.view()) if stored else _error(404, "No such file.")

    async def file_content(self, request: web.Request) -> web.Response:
        stored = self.files.get(request.match_info["id"])
        if stored is None:
            return _error(404, "No such file.")
        self.count("file_content")
        if self.config.file_latency:
            await asyncio.sleep(self.config.file_latency)
        return web.Response(body=stored.content, content_type="application/octet-stream")

    # -- batches ---------------------------------------------------------------------------
    async def create(self, request: web.Request) -> web.Response:
        body = await request.json()
        stored = self.files.get(str(body.get("input_file_id")))
        if stored is None:
            return _error(400, "input_file_id does not name an uploaded file.")
        endpoint = str(body.get("endpoint"))
        batch = SimBatch(
            id=self._id("batch"),
            input_file_id=stored.id,
            endpoint=endpoint,
            metadata=body.get("metadata"),
            started=self.clock(),
            created_at=int(time.time()),
            lines=[],
        )
        batch.lines, batch.errors = batch_lines.parse_input(stored.content, endpoint)
        if batch.errors:
            batch.status = "failed"
        self.batches[batch.id] = batch
        self.count("batch_create")
        return _json(200, batch.view(0))

    async def retrieve(self, request: web.Request) -> web.Response:
        batch = self.batches.get(request.match_info["id"])
        if batch is None:
            return _error(404, "No such batch.")
        self.count("batch_retrieve")
        return _json(200, self.advance(batch))

    async def cancel(self, request: web.Request) -> web.Response:
        batch = self.batches.get(request.match_info["id"])
        if batch is None:
            return _error(404, "No such batch.")
        self.advance(batch)
        if batch.status not in TERMINAL:
            batch.status = "cancelling"
        return _json(200, batch.view(self._done(batch)))

    async def list_view(self, request: web.Request) -> web.Response:
        newest = sorted(self.batches.values(), key=lambda b: b.id, reverse=True)
        after = request.query.get("after")
        if after:
            newest = [b for b in newest if b.id < after]
        limit = int(request.query.get("limit", "20"))
        page = [self.advance(b) for b in newest[:limit]]
        return _json(
            200,
            {
                "object": "list",
                "data": page,
                "first_id": page[0]["id"] if page else None,
                "last_id": page[-1]["id"] if page else None,
                "has_more": len(newest) > limit,
            },
        )

    def _done(self, batch: SimBatch) -> int:
        turnaround = self.config.batch_turnaround
        if turnaround <= 0:
            return len(batch.lines)
        share = min(1.0, (self.clock() - batch.started) / turnaround)
        return int(len(batch.lines) * share)

    def advance(self, batch: SimBatch) -> dict[str, Any]:
        """The batch as the API shows it now, answering its lines when their time has come."""
        done = self._done(batch)
        if batch.status == "cancelling":
            self._finish(batch, done, "cancelled")
        elif batch.status == "in_progress" and done >= len(batch.lines):
            self._finish(batch, done, "completed")
        return batch.view(done)

    def _finish(self, batch: SimBatch, done: int, status: str) -> None:
        output: list[str] = []
        errors: list[str] = []
        expired = False
        for number, line in enumerate(batch.lines):
            fault = self._draw() if number < done else "cancelled"
            self.count(f"batch_line_{fault}")
            expired = expired or fault == "expired"
            text, is_error = self._answer_line(line, fault)
            (errors if is_error else output).append(text)
        if not self.config.batch_in_order:
            self._rng.shuffle(output)
        batch.status = "expired" if expired and status == "completed" else status
        batch.failed, batch.completed = len(errors), len(output)
        if output:
            batch.output_file_id = self._store(
                "output.jsonl", "batch_output", batch_lines.joined(output)
            ).id
        if errors:
            batch.error_file_id = self._store(
                "errors.jsonl", "batch_output", batch_lines.joined(errors)
            ).id

    def _draw(self) -> str:
        draw, total = self._rng.random(), 0.0
        for name, rate in self.config.batch_rates().items():
            total += rate
            if draw < total:
                return BATCH_RATES[name]
        return "ok"

    def _answer_line(self, line: dict[str, Any], fault: str) -> tuple[str, bool]:
        """One output (False) or error-file (True) line for input ``line`` under ``fault``."""
        custom_id, body = line["custom_id"], line["body"]
        request_id = self._id("batch_req")
        if fault in ("expired", "cancelled"):
            code, message = (
                ("batch_expired", EXPIRED_MESSAGE)
                if fault == "expired"
                else ("batch_cancelled", CANCELLED_MESSAGE)
            )
            error = {"code": code, "message": message}
            return batch_lines.line(request_id, custom_id, None, error), True
        if fault == "error":
            failed = responses.error(responses.SERVER_ERRORS["500"], "server_error")
            return batch_lines.line(
                request_id, custom_id, batch_lines.response(500, failed), None
            ), True
        try:
            answer = INVALID_ANSWER if fault == "invalid" else self.config.answerer(body)
            payload = responses.completion(
                body, answer, fault="ok", request_number=self._numbers, prompt_chars=line["size"]
            )
        except Exception as exc:  # an answerer bug becomes an error line, not a dead server
            self.count("answerer_error")
            failed = responses.error(f"simulator answerer failed: {exc!r}", "server_error")
            return batch_lines.line(
                request_id, custom_id, batch_lines.response(500, failed), None
            ), True
        text = batch_lines.line(request_id, custom_id, batch_lines.response(200, payload), None)
        return (text[: len(text) // 2] if fault == "malformed" else text), False


def _json(status: int, payload: Any) -> web.Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return web.Response(body=body, status=status, content_type="application/json")


def _error(status: int, message: str) -> web.Response:
    return _json(status, responses.error(message, "invalid_request_error"))
