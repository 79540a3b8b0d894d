"""The LLM backend: instructor over the openai SDK, sync and async, against any
OpenAI-compatible endpoint.

One owner per failure kind: transport failures are retried by :mod:`extractor.transport` (the SDK's
own retries are off), invalid answers are re-asked by instructor ``max_reasks`` times, and
everything else fails at once. This is the only module that translates openai's and instructor's
exceptions into :mod:`extractor.errors`.
"""

from __future__ import annotations

import functools
import logging
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, cast

import httpx2
import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from instructor.function_calls import response_schema as instructor_response_schema
from pydantic import BaseModel

from extractor.errors import (
    AuthError,
    ConfigError,
    ExtractorError,
    IncompleteAnswerError,
    InvalidAnswerError,
    RateLimitError,
    TransientError,
)
from extractor.outcome import Usage
from extractor.ratelimit import RateGate
from extractor.settings import PLACEHOLDER_KEY, Settings
from extractor.tasks import Task
from extractor.transport import (
    CALL_STATS,
    AsyncRetryingTransport,
    CallStats,
    RetryingTransport,
    RetryPolicy,
)

# instructor logs failed validations, extracted values included, at ERROR level.
logging.getLogger("instructor").setLevel(logging.CRITICAL)

INSTRUCTOR_MODES: dict[str, instructor.Mode] = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}


@dataclass(slots=True)
class Answer:
    """A validated answer and what it cost."""

    data: BaseModel
    usage: Usage


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


def _usage(completion_usage: Any, stats: CallStats, attempts: int = 1) -> Usage:
    prompt = getattr(completion_usage, "prompt_tokens", 0) or 0
    completion = getattr(completion_usage, "completion_tokens", 0) or 0
    # With an injected client our transport may not be in the path: count answers then.
    return Usage(int(prompt), int(completion), stats.requests or attempts)


class LLMClient:
    """Sync and async instructor clients for one endpoint; create once, use for many calls.

    Pass ``openai_client``/``async_openai_client`` to use your own (then your client owns its
    transport and retries), or ``transport``/``async_transport`` to put a fake or a recorder
    under our retry layer.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        openai_client: openai.OpenAI | None = None,
        async_openai_client: openai.AsyncOpenAI | None = None,
        transport: httpx2.BaseTransport | None = None,
        async_transport: httpx2.AsyncBaseTransport | None = None,
        gate: RateGate | None = None,
        sleep: Callable[[float], None] | None = None,
        async_sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        self.settings = settings
        self.gate = gate
        self.policy = RetryPolicy(
            max_attempts=settings.max_attempts, max_total_wait=settings.max_retry_wait
        )
        self._openai = openai_client
        self._async_openai = async_openai_client
        self._transport = transport
        self._async_transport = async_transport
        self._sleep = sleep
        self._async_sleep = async_sleep
        self._sync: instructor.Instructor | None = None
        self._async: instructor.AsyncInstructor | None = None
        self._owned: list[Any] = []

    # -- clients -------------------------------------------------------------------------
    def _client_args(self) -> dict[str, Any]:
        return {
            "api_key": self.settings.api_key or PLACEHOLDER_KEY,
            "base_url": self.settings.base_url,
            "max_retries": 0,
            "timeout": self.settings.timeout,
        }

    def _timeout(self) -> httpx2.Timeout:
        return httpx2.Timeout(self.settings.timeout, connect=min(self.settings.timeout, 10.0))

    @property
    def sync_client(self) -> instructor.Instructor:
        if self._sync is None:
            raw = self._openai
            if raw is None:
                inner = self._transport or httpx2.HTTPTransport()
                kwargs: dict[str, Any] = {"sleep": self._sleep} if self._sleep else {}
                http = httpx2.Client(
                    transport=RetryingTransport(inner, self.policy, self.gate, **kwargs),
                    timeout=self._timeout(),
                )
                raw = openai.OpenAI(http_client=http, **self._client_args())
                self._owned.append(raw)
            self._sync = instructor.from_openai(raw, mode=INSTRUCTOR_MODES[self.settings.mode])
        return self._sync

    @property
    def async_client(self) -> instructor.AsyncInstructor:
        if self._async is None:
            raw = self._async_openai
            if raw is None:
                limits = httpx2.Limits(max_connections=None, max_keepalive_connections=256)
                inner = self._async_transport or httpx2.AsyncHTTPTransport(limits=limits)
                kwargs: dict[str, Any] = {"sleep": self._async_sleep} if self._async_sleep else {}
                http = httpx2.AsyncClient(
                    transport=AsyncRetryingTransport(inner, self.policy, self.gate, **kwargs),
                    timeout=self._timeout(),
                    limits=limits,
                )
                raw = openai.AsyncOpenAI(http_client=http, **self._client_args())
                self._owned.append(raw)
            self._async = instructor.from_openai(raw, mode=INSTRUCTOR_MODES[self.settings.mode])
        return self._async

    def _request(self, task: Task, messages: list[dict[str, str]]) -> dict[str, Any]:
        return {
            "model": self.settings.model,
            "messages": messages,
            "response_model": response_schema(task.schema),
            "max_retries": self.settings.max_reasks,  # instructor: attempts = re-asks + 1
            "temperature": self.settings.temperature,
            "max_tokens": self.settings.max_output_tokens,
        }

    # -- calls ---------------------------------------------------------------------------
    def complete(self, task: Task, messages: list[dict[str, str]]) -> Answer:
        """Ask for ``task``'s schema filled from ``messages``; raise ExtractorError on failure."""
        stats = CallStats()
        token = CALL_STATS.set(stats)
        try:
            data, completion = self.sync_client.chat.completions.create_with_completion(
                **self._request(task, messages)
            )
        except Exception as exc:
            raise translate(exc, stats, self.settings) from exc
        finally:
            CALL_STATS.reset(token)
        return Answer(data, _usage(completion.usage, stats))

    async def acomplete(self, task: Task, messages: list[dict[str, str]]) -> Answer:
        """The async twin of :meth:`complete`."""
        stats = CallStats()
        token = CALL_STATS.set(stats)
        try:
            data, completion = await self.async_client.chat.completions.create_with_completion(
                **self._request(task, messages)
            )
        except Exception as exc:
            raise translate(exc, stats, self.settings) from exc
        finally:
            CALL_STATS.reset(token)
        return Answer(data, _usage(completion.usage, stats))

    def close(self) -> None:
        for client in self._owned:
            if isinstance(client, openai.OpenAI):
                client.close()

    async def aclose(self) -> None:
        for client in self._owned:
            if isinstance(client, openai.AsyncOpenAI):
                await client.close()
        self.close()


def _body_code(exc: openai.APIStatusError) -> str:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error", body) if isinstance(body, dict) else {}
    code = error.get("code") or error.get("type") if isinstance(error, dict) else None
    return str(code or "")


def _server_message(exc: openai.APIStatusError, api_key: str | None) -> str:
    """The server's error message, one line, with the API key blanked (servers echo it)."""
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error", body) if isinstance(body, dict) else {}
    message = error.get("message") if isinstance(error, dict) else None
    text = " ".join(str(message or "").split())
    if api_key:
        text = text.replace(api_key, "[the API key]")
    text = text[:200]
    return f" (server said: {text})" if text else ""


def _unusable_answer(exc: BaseException | None) -> str:
    """Why an answer was never a candidate (a refusal, no choices), else "" (it failed validation)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        text = str(exc)
        if isinstance(exc, AssertionError) and "Unable to generate a response due to" in text:
            return "the model refused to answer"
        if "No choices in" in text:
            return "the endpoint answered with no choices"
        exc = exc.__cause__ or exc.__context__
    return ""


def translate(exc: BaseException, stats: CallStats, settings: Settings) -> ExtractorError:
    """Turn an openai/instructor exception into the matching ExtractorError, carrying the
    requests and tokens spent (``.usage``) so error records count them too."""
    error = _translate(exc, stats, settings)
    if error.usage is None:
        error.usage = Usage(requests=stats.requests)
    return error


def _translate(exc: BaseException, stats: CallStats, settings: Settings) -> ExtractorError:
    attempts = 1
    usage = Usage(requests=stats.requests)
    if isinstance(exc, InstructorRetryException):
        attempts = int(getattr(exc, "n_attempts", 1) or 1)
        total = getattr(exc, "total_usage", None)
        usage = _usage(total, stats, attempts)
        cause = exc.__cause__
        if isinstance(cause, openai.OpenAIError | IncompleteOutputException):
            exc = cause
        else:
            reason = _unusable_answer(cause)
            return InvalidAnswerError(
                f"{reason} ({attempts} attempt(s))"
                if reason
                else f"the model's answer failed validation {attempts} time(s); "
                f"try a stronger model or a higher --max-reasks",
                attempts=attempts,
                usage=usage,
            )
    if isinstance(exc, IncompleteOutputException | openai.LengthFinishReasonError):
        return IncompleteAnswerError(
            "the answer was cut off at the output token limit; raise max_output_tokens "
            "or shorten the schema",
            attempts=attempts,
            usage=usage,
        )
    where = settings.base_url or "the OpenAI API"
    if isinstance(exc, openai.AuthenticationError):
        return AuthError(
            f"{where} rejected the API key (HTTP 401): set a valid OPENAI_API_KEY",
            status_code=401,
        )
    if isinstance(exc, openai.PermissionDeniedError):
        return AuthError(
            f"{where} refused access (HTTP 403): check the key's permissions{_server_message(exc, settings.api_key)}",
            status_code=403,
        )
    if isinstance(exc, openai.NotFoundError):
        return AuthError(
            f"model {settings.model!r} or the endpoint path was not found at {where} (HTTP 404): "
            f"check --model and --base-url (it usually ends in /v1)",
            status_code=404,
        )
    if isinstance(exc, openai.RateLimitError):
        if _body_code(exc) == "insufficient_quota":
            return ConfigError(
                f"{where} says the account's quota is exhausted: add credit or use another key"
            )
        return RateLimitError(
            f"still rate limited (HTTP 429) after {stats.requests} attempt(s); lower --concurrency or --rpm",
            status_code=429,
            attempts=stats.requests,
        )
    if isinstance(exc, openai.BadRequestError | openai.UnprocessableEntityError):
        return ConfigError(
            f"{where} rejected the request (HTTP {exc.status_code}){_server_message(exc, settings.api_key)}; "
            f"check --model and --mode"
        )
    if isinstance(exc, openai.APITimeoutError):
        return TransientError(
            f"no answer within {settings.timeout:g} s after {stats.requests} attempt(s); "
            f"raise --timeout or retry later",
            attempts=stats.requests,
        )
    if isinstance(exc, openai.APIConnectionError):
        return TransientError(
            f"cannot connect to {where} after {stats.requests} attempt(s); check --base-url "
            f"or retry later",
            attempts=stats.requests,
        )
    if isinstance(exc, openai.APIStatusError):
        return TransientError(
            f"{where} failed with HTTP {exc.status_code} after {stats.requests} attempt(s); retry later",
            status_code=exc.status_code,
            attempts=stats.requests,
        )
    if isinstance(exc, ExtractorError):
        return exc
    return InvalidAnswerError(
        f"the model's answer could not be used ({type(exc).__name__}: "
        f"{' '.join(str(exc).split())[:200]})",
        attempts=attempts,
        usage=usage,
    )
