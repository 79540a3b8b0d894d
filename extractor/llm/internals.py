"""The one module that reaches into instructor's private modules (instructor 1.17).

- a speed-up: work instructor would redo on every call, done once per model class;
- the tool definition instructor sends for a schema, counted by ``extractor estimate``;
- instructor's own request, parse and re-ask steps for one mode, so a request sent outside its
  call loop (the Batch API, :mod:`extractor.llm.completions`) is built and read exactly as a
  synchronous call's.

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


def _handlers(mode: Any) -> Any:
    """instructor's request, parse and re-ask handlers for OpenAI in ``mode``."""
    import instructor.v2  # noqa: F401  # registers the mode handlers
    from instructor.v2.core.providers import Provider
    from instructor.v2.core.registry import mode_registry

    return mode_registry.get_handlers(Provider.OPENAI, mode)


def prepare_request(
    response_model: type[BaseModel], mode: Any, kwargs: dict[str, Any]
) -> dict[str, Any]:
    """The create() keywords instructor sends for ``response_model`` in ``mode``: ``kwargs``
    with the tools and tool_choice (TOOLS), the response_format (JSON modes) or the schema added
    to the messages (JSON, MD_JSON), prepared by the steps ``create_with_completion`` takes
    (instructor 1.17 ``v2/core/patch.py``; no templating context is ever passed)."""
    from instructor.v2.core.response_model import prepare_response_model

    handlers = _handlers(mode)
    model = prepare_response_model(response_model)
    prepared: dict[str, Any] = handlers.request_handler(response_model=model, kwargs=kwargs)[1]
    prepared.pop("autodetect_images", None)
    if handlers.message_converter and "messages" in prepared:
        prepared["messages"] = handlers.message_converter(
            prepared["messages"], autodetect_images=False
        )
    return prepared


def parse_response(response_model: type[BaseModel], mode: Any, completion: Any) -> BaseModel:
    """``completion`` (an openai ``ChatCompletion``) read as instructor reads it: the same
    extraction of the tool call or content, the same strict validation. Raises what instructor's
    parser raises (pydantic ``ValidationError``, ``IncompleteOutputException``...)."""
    parsed = _handlers(mode).response_parser(
        response=completion,
        response_model=response_model,
        validation_context=None,
        strict=True,  # instructor's default for create(), which LLMClient uses
        stream=False,
        is_async=False,
    )
    return cast(BaseModel, parsed)


def reask_request(
    mode: Any, kwargs: dict[str, Any], completion: Any, error: Exception
) -> dict[str, Any]:
    """The create() keywords of instructor's re-ask after ``completion`` failed with ``error``:
    the messages grow by the answer and the validation error."""
    kwargs = {**kwargs, "messages": list(kwargs["messages"])}
    return cast(
        dict[str, Any],
        _handlers(mode).reask_handler(kwargs=kwargs, response=completion, exception=error),
    )
