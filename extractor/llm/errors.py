"""Translating openai's and instructor's exceptions into :mod:`extractor.errors`: the only place
that does. Messages say what to fix, in one line, and never carry the API key."""

from __future__ import annotations

import openai
from instructor.core import IncompleteOutputException, InstructorRetryException

from extractor.errors import (
    AuthError,
    ConfigError,
    ExtractorError,
    IncompleteAnswerError,
    InvalidAnswerError,
    ModeRejectedError,
    RateLimitError,
    TransientError,
)
from extractor.llm.rejection import refusal
from extractor.llm.transport import CallStats
from extractor.llm.usage import usage_of
from extractor.outcome import Usage
from extractor.settings import Settings


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
        usage = usage_of(total, stats, attempts)
        cause = exc.__cause__
        if isinstance(cause, openai.OpenAIError | IncompleteOutputException):
            exc = cause
        else:
            reason = _unusable_answer(cause)
            return InvalidAnswerError(
                f"{reason} ({attempts} attempt(s))"
                if reason
                else f"the model's answer failed validation {attempts} time(s); "
                f"try a stronger model or more re-asks (max_reasks)",
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
            f"check the model name and the endpoint URL (base_url; it usually ends in /v1)",
            status_code=404,
        )
    if isinstance(exc, openai.RateLimitError):
        if _body_code(exc) == "insufficient_quota":
            return ConfigError(
                f"{where} says the account's quota is exhausted: add credit or use another key"
            )
        return RateLimitError(
            f"still rate limited (HTTP 429) after {stats.requests} attempt(s); lower the concurrency or the requests per minute (rpm)",
            status_code=429,
            attempts=stats.requests,
        )
    if isinstance(exc, openai.APIStatusError) and (detail := refusal(exc.status_code, exc.body)):
        return mode_rejected(settings.mode, where, exc.status_code, detail, settings.api_key)
    if isinstance(exc, openai.BadRequestError | openai.UnprocessableEntityError):
        return ConfigError(
            f"{where} rejected the request (HTTP {exc.status_code}){_server_message(exc, settings.api_key)}; "
            f"check the model name and the instructor mode (mode)"
        )
    if isinstance(exc, openai.APITimeoutError):
        return TransientError(
            f"no answer within {settings.request_timeout:g} s after {stats.requests} attempt(s); "
            f"raise the timeout or retry later",
            attempts=stats.requests,
        )
    if isinstance(exc, openai.APIConnectionError):
        return TransientError(
            f"cannot connect to {where} after {stats.requests} attempt(s); check the endpoint URL (base_url) "
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


def mode_rejected(
    mode: str, where: str, status: int | None, detail: str, api_key: str | None = None
) -> ModeRejectedError:
    """The one-line error for a server that refuses ``mode``'s request shape."""
    if api_key:
        detail = detail.replace(api_key, "[the API key]")
    hint = (
        "try --mode json_object_schema (llama-cpp-python's form) or --mode auto"
        if "json_object" in detail and mode != "json_object_schema"
        else "try --mode auto (it probes what the server accepts) or another --mode"
    )
    return ModeRejectedError(
        f"{where} refuses --mode {mode} (HTTP {status}: {detail}); {hint}",
        mode=mode,
        status_code=status,
    )
