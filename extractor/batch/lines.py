"""Batch API files: request lines in, split at the API's limits; output and error lines out.

A request line is ``{"custom_id", "method": "POST", "url": "/v1/chat/completions", "body"}``
with ``custom_id`` the cache key of the request's messages
(:meth:`extractor.Extractor.answer_key`), so an answer joins back to its inputs by key whatever
the order of the output, and one key is asked once however many inputs share it.

Output and error lines are read alike (``{"custom_id", "response": {"status_code", "body"},
"error"}``): a 200 with a body is an answer; anything else is an error line, ``batch_expired``
and ``batch_cancelled`` told apart. A line that is not JSON, or has no ``custom_id``, cannot be
joined: it is counted, and its request is treated as never answered.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final, Literal

ENDPOINT: Final = "/v1/chat/completions"
MAX_REQUESTS = 50_000
MAX_BYTES = 200 * 1000 * 1000  # "up to 200 MB" (read as the smaller, decimal megabytes)

MAX_DETAIL = 200

LineKind = Literal["answer", "error", "expired", "cancelled"]


@dataclass(frozen=True, slots=True)
class BatchLimits:
    """The most requests and bytes one input file may hold (the API's, or lower for tests)."""

    max_requests: int = MAX_REQUESTS
    max_bytes: int = MAX_BYTES


def request_line(custom_id: str, body: dict[str, Any]) -> bytes:
    """One line of an input file, newline included."""
    line = {"custom_id": custom_id, "method": "POST", "url": ENDPOINT, "body": body}
    return (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


@dataclass(slots=True)
class Part:
    """The requests of one input file: their keys, in order, and the file's bytes."""

    keys: list[str] = field(default_factory=list)
    lines: list[bytes] = field(default_factory=list)
    size: int = 0

    @property
    def content(self) -> bytes:
        return b"".join(self.lines)


class FileSplitter:
    """Packs lines into parts of at most ``limits`` requests and bytes (a line larger than the
    byte limit on its own is a part alone)."""

    def __init__(self, limits: BatchLimits) -> None:
        self.limits = limits
        self._part = Part()

    def add(self, key: str, line: bytes) -> Part | None:
        """Add one line; the part it closed, when the line did not fit in it."""
        part, closed = self._part, None
        full = len(part.keys) >= self.limits.max_requests
        if part.keys and (full or part.size + len(line) > self.limits.max_bytes):
            closed, part = part, Part()
            self._part = part
        part.keys.append(key)
        part.lines.append(line)
        part.size += len(line)
        return closed

    def flush(self) -> Part | None:
        """The last part, if it holds any line."""
        part, self._part = self._part, Part()
        return part if part.keys else None


def split(lines: Iterator[tuple[str, bytes]], limits: BatchLimits) -> Iterator[Part]:
    """All ``(key, line)`` pairs packed into parts."""
    splitter = FileSplitter(limits)
    for key, line in lines:
        if (closed := splitter.add(key, line)) is not None:
            yield closed
    if (last := splitter.flush()) is not None:
        yield last


@dataclass(frozen=True, slots=True)
class LineResult:
    """One output or error line: an answer body (``kind == "answer"``) or why there is none."""

    custom_id: str
    kind: LineKind
    body: dict[str, Any] | None = None
    message: str = ""


def read_lines(content: bytes) -> tuple[dict[str, LineResult], int]:
    """The lines of an output or error file by ``custom_id``, and how many could not be read."""
    results: dict[str, LineResult] = {}
    unreadable = 0
    for raw in content.splitlines():
        if not raw.strip():
            continue
        result = _line(raw)
        if result is None:
            unreadable += 1
        elif result.kind == "answer" or result.custom_id not in results:
            results[result.custom_id] = result
    return results, unreadable


def _line(raw: bytes) -> LineResult | None:
    try:
        line = json.loads(raw)
        custom_id = line["custom_id"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(custom_id, str):
        return None
    response = line.get("response") if isinstance(line.get("response"), dict) else {}
    error = line.get("error") if isinstance(line.get("error"), dict) else {}
    status, body = response.get("status_code"), response.get("body")
    if status == 200 and isinstance(body, dict) and not error:
        return LineResult(custom_id, "answer", body)
    code = str(error.get("code") or "")
    if code == "batch_expired":
        return LineResult(custom_id, "expired", message="the batch expired before it ran")
    if code == "batch_cancelled":
        return LineResult(custom_id, "cancelled", message="the batch was cancelled before it ran")
    said = body.get("error") if isinstance(body, dict) else None
    said = said if isinstance(said, dict) else error
    detail = " ".join(str(said.get("message") or "").split())[:MAX_DETAIL]
    where = f"HTTP {status}" if status else (code or "no response")
    return LineResult(custom_id, "error", message=where + (f": {detail}" if detail else ""))
