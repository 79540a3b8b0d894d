"""One exception tree for everything extractor raises, arranged by what the caller does next.

    ExtractorError                  base: catch this to catch everything
    ├── ConfigError                 fix the configuration (flags, env, task files), then rerun
    │   ├── TaskError               a prompt or schema file is missing or broken (names the file)
    │   ├── AuthError               the endpoint refused the key (401/403) or the model (404)
    │   ├── ModeRejectedError       the server refuses the request shape of this --mode
    │   └── BackendUnavailableError an optional backend's extra or model is not installed
    ├── InputError                  fix this input: empty, binary, undecodable, unreadable, too big
    ├── TransientError              retry later: connection, timeout, 429, 5xx after our retries
    │   └── RateLimitError          still rate limited after the retry budget
    └── ExtractionError             give up on this input: the model never produced a valid answer
        ├── InvalidAnswerError      answers failed validation on every re-ask
        ├── IncompleteAnswerError   the answer was cut off (finish_reason "length")
        └── UnsupportedValueError   --strict and a value has no evidence in the source

Errors carry evidence as attributes (status code, attempts, usage) and chain the original with
``raise ... from``. Only ``extractor.llm.errors`` translates openai's and instructor's exceptions.
Messages never contain the API key or the posting text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from extractor.outcome import Usage


class ExtractorError(Exception):
    """Base of every error extractor raises."""

    usage: Usage | None = None
    """Tokens and requests spent before the failure, when known."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class ConfigError(ExtractorError):
    """The configuration is wrong: fix flags, environment or task files, then rerun."""


class TaskError(ConfigError):
    """A task's prompt or schema file is missing or broken."""


class AuthError(ConfigError):
    """The endpoint refused the credentials or does not know the model."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message, status_code=status_code)
        self.status_code = status_code


class ModeRejectedError(ConfigError):
    """The server deterministically refuses the request shape of a mode (response_format, tools):
    retrying cannot help, another ``--mode`` can."""

    def __init__(self, message: str, *, mode: str, status_code: int | None = None) -> None:
        super().__init__(message, mode=mode, status_code=status_code)
        self.mode = mode
        self.status_code = status_code


class BackendUnavailableError(ConfigError):
    """An optional backend cannot run here: its extra or its model is not installed."""


class InputError(ExtractorError):
    """This input cannot be processed as it is: fix or skip it."""


class TransientError(ExtractorError):
    """The endpoint failed in a way that may pass: retry the input later."""

    def __init__(self, message: str, *, status_code: int | None = None, attempts: int = 0) -> None:
        super().__init__(message, status_code=status_code, attempts=attempts)
        self.status_code = status_code
        self.attempts = attempts


class RateLimitError(TransientError):
    """Still rate limited after the whole retry budget."""


class ExtractionError(ExtractorError):
    """The model did not produce a valid answer for this input."""

    def __init__(self, message: str, *, attempts: int = 0, usage: Usage | None = None) -> None:
        super().__init__(message, attempts=attempts)
        self.attempts = attempts
        self.usage = usage


class InvalidAnswerError(ExtractionError):
    """Every answer failed validation, re-asks included."""


class IncompleteAnswerError(ExtractionError):
    """The answer was truncated (finish_reason "length")."""


class UnsupportedValueError(ExtractionError):
    """In strict mode, a value has no evidence in the source text."""
