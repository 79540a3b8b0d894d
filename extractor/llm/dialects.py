"""Structured-output dialects: how one request asks a server for the task's schema.

============================  ==============================================  =====================
mode                          what the request carries                        servers that take it
============================  ==============================================  =====================
``tools``                     ``tools`` + a forced ``tool_choice``            OpenAI, Azure, vLLM,
                                                                              llama-cpp-python
``json_schema``               ``response_format: {"type": "json_schema",``    OpenAI, vLLM,
                              ``"json_schema": {"name", "schema"}}``          llama-server,
                                                                              Ollama's ``/v1``
``json_object_schema``        ``response_format: {"type": "json_object",``    llama-cpp-python,
                              ``"schema": {...}}`` (a grammar enforces it)    llama-server
``json``                      ``response_format: {"type": "json_object"}``,   most; the schema is
                              the schema written into the system message      not enforced
``md_json``                   the schema in the system message, the answer    any chat server
                              in a fenced block
============================  ==============================================  =====================

``json_object_schema`` is instructor's ``JSON_SCHEMA`` mode (messages untouched, answer read from
the message text, re-asks as a user turn) with the ``response_format`` replaced, through the SDK's
``extra_body``, by llama.cpp's form. The schema sent there is :func:`bounded_schema`: the task's
schema with every string given a ``maxLength`` and every list a ``maxItems``, because a grammar
without bounds lets a small model repeat itself until the token limit, and with every property
required, because a grammar with optional keys lets it close the object at once: Gemma 3 270M
answered ``{"data": {}}`` to every posting until it had to write each key (nullable fields still
take ``null``). The bounds constrain only decoding; answers are validated against the task's own
schema.

vLLM's older ``guided_json`` and Ollama's native ``format`` field are not separate modes: both
servers take ``json_schema`` on their OpenAI-compatible endpoints.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import instructor
from pydantic import BaseModel

INSTRUCTOR_MODES: dict[str, instructor.Mode] = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json_object_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}

MAX_STRING = 300
"""Characters per string value under a grammar: the longest labelled list item on the dev sets
is under 300 characters."""
MAX_ITEMS = 25
"""Items per list under a grammar."""


def request_extras(mode: str, response_model: type[BaseModel]) -> dict[str, Any]:
    """Keyword arguments a mode adds to instructor's ``create`` call (``extra_body``)."""
    if mode != "json_object_schema":
        return {}
    schema = bounded_schema(response_model)
    return {"extra_body": {"response_format": {"type": "json_object", "schema": schema}}}


@functools.cache
def bounded_schema(model: type[BaseModel]) -> dict[str, Any]:
    """``model``'s JSON schema with bounds on every string and list (see the module docstring).
    Built once per class; callers get a deep copy."""
    return bound(model.model_json_schema())


def bound(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of a JSON schema with ``maxLength``/``maxItems`` added where missing and every
    object property required."""
    result = copy.deepcopy(schema)
    _bound_in_place(result)
    return result


def _bound_in_place(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _bound_in_place(item)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if kind == "string" and "enum" not in node and "format" not in node:
        node.setdefault("maxLength", MAX_STRING)
    if kind == "array":
        node.setdefault("maxItems", MAX_ITEMS)
    if kind == "object" and isinstance(node.get("properties"), dict):
        node["required"] = list(node["properties"])
    for value in node.values():
        _bound_in_place(value)
