"""``--mode auto``: find, once per run, which structured-output dialect a server enforces.

OpenAI's own API gets ``tools`` without a probe. For any other base URL each candidate in
:data:`CANDIDATES` is tried with a tiny request whose schema allows one exact answer,
``{"probe": "ok"}``, in a key the prompt never mentions. A server that enforces the schema
returns it; a server that ignores the field returns prose; a server that refuses the shape
answers 4xx or a validation 5xx (:mod:`extractor.llm.rejection`). The first mode whose answer
is exactly that object wins; ``md_json`` (no constraint at all) is the fallback. Errors that no
mode can fix (a wrong URL, key or model, a timeout) are raised at once.

Each probe costs a few prompt tokens and up to :data:`PROBE_TOKENS` output tokens.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import openai

from extractor.llm.rejection import refusal

logger = logging.getLogger("extractor.llm")

CANDIDATES: tuple[str, ...] = ("json_schema", "json_object_schema", "tools")
FALLBACK = "md_json"
PROBE_TOKENS = 16
EXPECTED = {"probe": "ok"}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"probe": {"type": "string", "enum": ["ok"]}},
    "required": ["probe"],
    "additionalProperties": False,
}
MESSAGES = [{"role": "user", "content": "Say hello."}]


@dataclass(slots=True)
class ProbeResult:
    """The chosen mode and, for each candidate tried before it, why it was not chosen."""

    mode: str
    passed_over: list[tuple[str, str]] = field(default_factory=list)

    def describe(self, where: str) -> str:
        """One line for the user: ``mode auto: using json_object_schema at URL (...)``."""
        tried = "; ".join(f"{m}: {why}" for m, why in self.passed_over)
        return f"mode auto: using {self.mode} at {where}" + (f" ({tried})" if tried else "")


def request(mode: str, model: str) -> dict[str, Any]:
    """The probe request for ``mode`` as ``chat.completions.create`` keyword arguments."""
    body: dict[str, Any]
    if mode == "json_schema":
        body = {"response_format": {"type": "json_schema", "json_schema": _named()}}
    elif mode == "json_object_schema":
        body = {"response_format": {"type": "json_object", "schema": SCHEMA}}
    elif mode == "tools":
        function = {"name": "probe", "parameters": SCHEMA}
        body = {
            "tools": [{"type": "function", "function": function}],
            "tool_choice": {"type": "function", "function": {"name": "probe"}},
        }
    else:
        raise ValueError(f"no probe for mode {mode!r}")
    return {
        "model": model,
        "messages": MESSAGES,
        "max_tokens": PROBE_TOKENS,
        "temperature": 0.0,
        "extra_body": body,
    }


def _named() -> dict[str, Any]:
    return {"name": "probe", "schema": SCHEMA}


def verdict(mode: str, completion: Any) -> str | None:
    """None when ``completion`` is the one answer the schema allows, else why it is not."""
    try:
        message = completion.choices[0].message
        if mode == "tools":
            calls = message.tool_calls or []
            text = calls[0].function.arguments if calls else ""
        else:
            text = message.content or ""
    except (AttributeError, IndexError, TypeError):
        return "no usable answer"
    try:
        value = json.loads(text)
    except ValueError:
        return "accepted but not enforced (answered free text)"
    return None if value == EXPECTED else "accepted but not enforced"


def refused(exc: openai.APIStatusError) -> str | None:
    """Why the server refused the probe's shape, or None when the failure is not about it."""
    if exc.status_code in (400, 422):
        return f"refused (HTTP {exc.status_code})"
    detail = refusal(exc.status_code, exc.body)
    return f"refused (HTTP {exc.status_code}: {detail})" if detail else None


def probe(send: Callable[..., Any], model: str) -> ProbeResult:
    """Try each candidate through ``send`` (a sync ``chat.completions.create``)."""
    result = ProbeResult(FALLBACK)
    for mode in CANDIDATES:
        try:
            why = verdict(mode, send(**request(mode, model)))
        except openai.APIStatusError as exc:
            if (why := refused(exc)) is None:
                raise
        if why is None:
            result.mode = mode
            break
        result.passed_over.append((mode, why))
    return result


async def aprobe(send: Callable[..., Awaitable[Any]], model: str) -> ProbeResult:
    """The async twin of :func:`probe`."""
    result = ProbeResult(FALLBACK)
    for mode in CANDIDATES:
        try:
            why = verdict(mode, await send(**request(mode, model)))
        except openai.APIStatusError as exc:
            if (why := refused(exc)) is None:
                raise
        if why is None:
            result.mode = mode
            break
        result.passed_over.append((mode, why))
    return result
