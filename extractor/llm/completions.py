"""Chat requests sent, and answers read, outside instructor's call loop: the Batch API.

A Batch API line must carry exactly the request a synchronous call sends, and its answer must
be judged exactly as a synchronous answer is. Both go through instructor's own handlers for the
mode (:mod:`extractor.llm.internals`), never a hand-written copy:

- :func:`create_kwargs`: model, messages and sampling, shared with :class:`LLMClient`;
- :func:`request_body`: those plus what instructor adds for the mode (the tool and
  ``tool_choice`` in TOOLS mode, ``response_format`` or the schema in the messages otherwise);
- :func:`read_answer`: a raw ``chat.completion`` parsed and validated with instructor's parser,
  strict as ``create()`` is, into an :class:`Answer` or the reason it is not one (and whether a
  re-ask can fix it, as instructor would re-ask);
- :func:`reask_tail`: the messages instructor appends to re-ask after an invalid answer (the
  answer, then the validation error).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import openai
from instructor.core import IncompleteOutputException
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError

from extractor.errors import ExtractionError, IncompleteAnswerError, InvalidAnswerError
from extractor.llm.internals import parse_response, prepare_request, reask_request, response_schema
from extractor.outcome import Usage
from extractor.settings import Settings
from extractor.tasks import Task

MAX_DETAIL = 200


@dataclass(frozen=True, slots=True)
class LineAnswer:
    """One answer read: ``answer`` when valid; else ``problem`` (why not), with ``reask`` set
    when instructor would re-ask (the validation error to send back) and ``completion`` the
    answer as parsed."""

    usage: Usage
    answer: Any = None  # Answer (typed loosely: client.py imports this module)
    problem: ExtractionError | None = None
    reask: Exception | None = None
    completion: ChatCompletion | None = None


def create_kwargs(settings: Settings, messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The create() keywords of every chat request: model, messages and sampling."""
    return {
        "model": settings.model,
        "messages": messages,
        "temperature": settings.temperature,
        "max_tokens": settings.max_output_tokens,
    }


def _mode(settings: Settings) -> Any:
    from extractor.llm.dialects import INSTRUCTOR_MODES

    # The Batch API is OpenAI's (and Azure's): there, mode auto settles on tools.
    return INSTRUCTOR_MODES["tools" if settings.mode == "auto" else settings.mode]


def request_body(
    settings: Settings, task: Task[Any], messages: list[dict[str, Any]]
) -> dict[str, Any]:
    """The JSON body a synchronous call sends to ``/v1/chat/completions`` for ``messages``."""
    schema: type[BaseModel] = task.schema
    model = response_schema(schema)
    return prepare_request(model, _mode(settings), create_kwargs(settings, messages))


def read_answer(settings: Settings, task: Task[Any], body: Any) -> LineAnswer:
    """Read one ``chat.completion`` body as a synchronous call reads its answer."""
    from extractor.llm.client import Answer

    try:
        completion = ChatCompletion.model_validate(body)
    except ValidationError:
        return LineAnswer(
            Usage(requests=1),
            problem=InvalidAnswerError("the Batch API line is not a chat completion"),
        )
    raw = completion.usage
    usage = Usage(raw.prompt_tokens, raw.completion_tokens, 1) if raw else Usage(requests=1)
    schema: type[BaseModel] = task.schema
    model = response_schema(schema)
    try:
        data = parse_response(model, _mode(settings), completion)
    except IncompleteOutputException:
        problem: ExtractionError = IncompleteAnswerError(
            "the answer was cut off at the output token limit; raise max_output_tokens "
            "or shorten the schema",
            attempts=1,
            usage=usage,
        )
        return LineAnswer(usage, problem=problem, completion=completion)
    except AssertionError:  # instructor's refusal check: never re-asked
        problem = InvalidAnswerError("the model refused to answer", attempts=1, usage=usage)
        return LineAnswer(usage, problem=problem, completion=completion)
    except Exception as exc:  # what instructor re-asks: validation, JSON, a missing tool call
        detail = " ".join(str(exc).split())[:MAX_DETAIL]
        problem = InvalidAnswerError(
            f"the model's answer failed validation ({type(exc).__name__}: {detail})",
            attempts=1,
            usage=usage,
        )
        return LineAnswer(usage, problem=problem, reask=exc, completion=completion)
    return LineAnswer(usage, answer=Answer(data, usage), completion=completion)


def reask_tail(
    settings: Settings, body: dict[str, Any], completion: ChatCompletion, error: Exception
) -> list[dict[str, Any]]:
    """The messages instructor appends to ``body``'s to re-ask after ``completion`` failed."""
    kwargs = reask_request(_mode(settings), body, completion, error)
    messages: list[Any] = kwargs["messages"]
    return [_plain(m) for m in messages[len(body["messages"]) :]]


def _plain(message: Any) -> dict[str, Any]:
    """A message as JSON-ready data (instructor may hand back openai's message objects)."""
    if isinstance(message, openai.BaseModel):
        dumped: dict[str, Any] = message.model_dump(mode="json", exclude_none=True)
        return dumped
    return dict(message)
