"""Recognising a server's deterministic refusal of a request's shape, whatever its status code.

OpenAI, vLLM, llama-server and Ollama answer 400 or 422 to a ``response_format`` or ``tools``
they do not take; llama-cpp-python's server answers **500** with its request-validation error in
the body::

    {"error": {"message": "1 validation error:\\n  {'type': 'literal_error', 'loc': ('body',
    'response_format', 'type'), 'msg': "Input should be 'text' or 'json_object'", ...}"}}

Such a 500 will fail the same way every time: the transport must not retry it, and the error
must say which mode to change. :func:`refusal` is the one test, shared by the transport
(:mod:`extractor.llm.transport`) and the error translation (:mod:`extractor.llm.errors`).
"""

from __future__ import annotations

import json
import re
from typing import Any

# What a request-shape refusal talks about, and how validation errors are worded.
_SHAPE = re.compile(r"response_format|json_schema|tool_choice|\btools?\b|guided_|\bformat\b", re.I)
_VALIDATION = re.compile(
    r"validation error|Input should be|literal_error|extra_forbidden|not supported|unsupported"
    r"|invalid|unknown|unrecognized|must be",
    re.I,
)
_LOC = re.compile(r"'loc':\s*\(([^)]*)\)")
_MSG = re.compile(r"'msg':\s*(\"[^\"]*\"|'[^']*')")
MAX_DETAIL = 160


def message_of(body: Any) -> str:
    """The error message in an OpenAI-style error body (dict or JSON bytes), else its text."""
    if isinstance(body, bytes | bytearray):
        try:
            body = json.loads(body)
        except ValueError:
            return bytes(body).decode("utf-8", "replace")
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict):
            return str(error.get("message") or error.get("detail") or "")
        return str(error)
    return "" if body is None else str(body)


def refusal(status: int, body: Any) -> str | None:
    """A one-line account of why the server refused the request's shape, or None when the
    response is not such a refusal (a success, an overload, a crash, another client error)."""
    if status not in (400, 422) and status < 500:
        return None
    text = message_of(body)
    if not (_SHAPE.search(text) and _VALIDATION.search(text)):
        return None
    return summary(text)


def summary(text: str) -> str:
    """``response_format.type: Input should be 'text' or 'json_object'`` from a pydantic
    validation error; otherwise the message's first line, cut short."""
    loc, msg = _LOC.search(text), _MSG.search(text)
    if loc and msg:
        parts = [p.strip(" '\"") for p in loc.group(1).split(",")]
        where = ".".join(p for p in parts if p and p != "body")
        return f"{where}: {msg.group(1)[1:-1]}"
    line = " ".join(text.strip().splitlines()[0].split()) if text.strip() else ""
    return line[:MAX_DETAIL]
