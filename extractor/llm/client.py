"""The instructor client over the openai SDK, sync and async, for one endpoint."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx2
import instructor
import openai
from pydantic import BaseModel

from extractor.llm.completions import create_kwargs
from extractor.llm.errors import translate
from extractor.llm.internals import response_schema
from extractor.llm.ratelimit import RateGate
from extractor.llm.transport import (
    CALL_STATS,
    AsyncRetryingTransport,
    CallStats,
    RetryingTransport,
    RetryPolicy,
)
from extractor.llm.usage import usage_of
from extractor.outcome import Usage
from extractor.settings import PLACEHOLDER_KEY, Settings
from extractor.tasks import Task

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

    def _request(self, task: Task[Any], messages: list[dict[str, str]]) -> dict[str, Any]:
        schema: type[BaseModel] = task.schema
        return {
            **create_kwargs(self.settings, messages),
            "response_model": response_schema(schema),
            "max_retries": self.settings.max_reasks,  # instructor: attempts = re-asks + 1
        }

    # -- calls ---------------------------------------------------------------------------
    def complete(self, task: Task[Any], messages: list[dict[str, str]]) -> Answer:
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
        return Answer(data, usage_of(completion.usage, stats))

    async def acomplete(self, task: Task[Any], messages: list[dict[str, str]]) -> Answer:
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
        return Answer(data, usage_of(completion.usage, stats))

    def close(self) -> None:
        for client in self._owned:
            if isinstance(client, openai.OpenAI):
                client.close()

    async def aclose(self) -> None:
        for client in self._owned:
            if isinstance(client, openai.AsyncOpenAI):
                await client.close()
        self.close()
