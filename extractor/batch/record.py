"""The JSONL record: one line per input, the contract between ``extractor run`` and its users.

    {"source", "sha256", "task", "status": "ok"|"error", "backend", "model", "cached",
     "data", "error": {"type", "message"}, "usage", "warnings", "evidence", "unsupported",
     "run_key"}

Fields are only ever added, never renamed. ``run_key`` identifies the settings that produced the
record (task fingerprint, backend, model, mode, sampling), so a re-run knows what is done.
"""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import BaseModel

from extractor.document import Evidence
from extractor.errors import ExtractorError
from extractor.outcome import Outcome, Usage

RECORD_FIELDS = (
    "source",
    "sha256",
    "task",
    "status",
    "backend",
    "model",
    "cached",
    "data",
    "error",
    "usage",
    "warnings",
    "evidence",
    "unsupported",
    "run_key",
)


def sha256_hex(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def evidence_json(evidence: list[Evidence]) -> list[dict[str, Any]]:
    return [
        {"path": e.path, "start": e.start, "end": e.end, "quote": e.quote, "match": e.match}
        for e in evidence
    ]


def ok_record(
    source: str, sha256: str, outcome: Outcome[BaseModel], run_key: str
) -> dict[str, Any]:
    """The record of a successful extraction."""
    return {
        "source": source,
        "sha256": sha256,
        "task": outcome.task,
        "status": "ok",
        "backend": outcome.backend,
        "model": outcome.model,
        "cached": outcome.cached,
        "data": outcome.data.model_dump(mode="json"),
        "error": None,
        "usage": outcome.usage.as_dict(),
        "warnings": list(outcome.warnings),
        "evidence": evidence_json(outcome.evidence),
        "unsupported": list(outcome.unsupported),
        "run_key": run_key,
    }


def error_record(
    source: str,
    sha256: str | None,
    *,
    task: str,
    backend: str,
    model: str | None,
    error: BaseException,
    run_key: str,
    warnings: list[str] | None = None,
) -> dict[str, Any]:
    """The record of a failed input: a type and a one-line message, never a traceback."""
    usage = getattr(error, "usage", None)
    kind = type(error).__name__ if isinstance(error, ExtractorError) else "InternalError"
    message = " ".join(str(error).split()) or kind
    if not isinstance(error, ExtractorError):
        message = f"unexpected {type(error).__name__}: {message}"
    return {
        "source": source,
        "sha256": sha256,
        "task": task,
        "status": "error",
        "backend": backend,
        "model": model,
        "cached": False,
        "data": None,
        "error": {"type": kind, "message": message[:500]},
        "usage": (usage if isinstance(usage, Usage) else Usage()).as_dict(),
        "warnings": list(warnings or []),
        "evidence": [],
        "unsupported": [],
        "run_key": run_key,
    }
