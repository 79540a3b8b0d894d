"""The one module that reaches into instructor's private modules (instructor 1.17).

- a speed-up: work instructor would redo on every call, done once per model class;
- the tool definition instructor sends for a schema, counted by ``extractor estimate``.

``tests/test_llm_internals.py`` fails loudly when an instructor release moves what is used here.
"""

from __future__ import annotations

import functools
import weakref
from typing import Any, cast

from instructor.function_calls import response_schema as instructor_response_schema
from pydantic import BaseModel


def _remember_checked_models() -> None:
    """Make instructor's async-validator check run once per model class.

    instructor 1.17 walks every class of the response model's MRO up to seven times per call to
    refuse async validators (about 0.5 ms each: 3 ms of client CPU per request, as much as the
    whole target). The answer depends on the class alone, so classes that passed are remembered.
    A speed-up only: with an instructor laid out differently, nothing is patched.
    """
    try:
        from instructor.v2.core import patch
        from instructor.v2.validation import async_validators

        original = async_validators.reject_async_validators
        _ = patch.reject_async_validators  # type: ignore[attr-defined]
    except (ImportError, AttributeError):  # pragma: no cover - another instructor release
        return
    if getattr(original, "remembers", False):
        return
    passed: weakref.WeakSet[type] = weakref.WeakSet()

    def reject_async_validators(response_model: Any) -> None:
        if isinstance(response_model, type) and response_model in passed:
            return
        original(response_model)
        if isinstance(response_model, type):
            passed.add(response_model)

    reject_async_validators.remembers = True  # type: ignore[attr-defined]
    async_validators.reject_async_validators = reject_async_validators
    patch.reject_async_validators = reject_async_validators  # type: ignore[attr-defined]


_remember_checked_models()


@functools.cache
def response_schema(schema: type[BaseModel]) -> type[BaseModel]:
    """``schema`` wrapped the way instructor wants it, once per class.

    instructor wraps a plain model in a new class on every call, which defeats its own schema
    cache: building the class and its tool schema again cost about 20 ms of CPU per request.
    """
    return cast(type[BaseModel], instructor_response_schema(schema))


def tool_definition(schema: type[BaseModel]) -> dict[str, Any]:
    """The ``tools[0]`` entry instructor sends in TOOLS mode for ``schema`` (already wrapped)."""
    from instructor.v2.providers.openai.schema import generate_openai_schema

    return {"type": "function", "function": generate_openai_schema(schema)}
