"""The instructor client over the openai SDK, sync and async, for one endpoint.

The mode is settled once per client: the configured one, or with ``mode="auto"`` the one
:mod:`extractor.llm.probe` finds (``tools`` for OpenAI's API). A server that refuses the mode's
request shape (:class:`~extractor.errors.ModeRejectedError`) is not asked again: later calls
fail at once with the same error.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx2
import instructor
import openai
from pydantic import BaseModel

from extractor.errors import ExtractorError, ModeRejectedError
from extractor.llm.completions import create_kwargs
from extractor.llm.dialects import INSTRUCTOR_MODES, request_extras
from extractor.llm.errors import translate
from extractor.llm.internals import response_schema
from extractor.llm.probe import ProbeResult, aprobe, probe
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
logger = logging.getLogger("extractor.llm")


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
        self._raw_sync: openai.OpenAI | None = None
        self._raw_async: openai.AsyncOpenAI | None = None
        self._owned: list[Any] = []
        self._probe_lock = asyncio.Lock()
        self._rejected: ModeRejectedError | None = None
        self.probe_result: ProbeResult | None = None
        """What ``mode="auto"`` found, once it ran."""

    # -- clients -------------------------------------------------------------------------
    def _client_args(self) -> dict[str, Any]:
        return {
            "api_key": self.settings.api_key or PLACEHOLDER_KEY,
            "base_url": self.settings.base_url,
            "max_retries": 0,
            "timeout": self.settings.request_timeout,
        }

    def _timeout(self) -> httpx2.Timeout:
        return httpx2.Timeout(
            self.settings.request_timeout, connect=min(self.settings.request_timeout, 10.0)
        )

    def _raw_sync_client(self) -> openai.OpenAI:
        if self._raw_sync is None:
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
            self._raw_sync = raw
        return self._raw_sync

    def _raw_async_client(self) -> openai.AsyncOpenAI:
        if self._raw_async is None:
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
            self._raw_async = raw
        return self._raw_async

    @property
    def sync_client(self) -> instructor.Instructor:
        if self._sync is None:
            mode = INSTRUCTOR_MODES[self.resolve_mode()]
            self._sync = instructor.from_openai(self._raw_sync_client(), mode=mode)
        return self._sync

    @property
    def async_client(self) -> instructor.AsyncInstructor:
        if self._async is None:
            mode = INSTRUCTOR_MODES[self.resolve_mode()]
            self._async = instructor.from_openai(self._raw_async_client(), mode=mode)
        return self._async

    # -- the mode ------------------------------------------------------------------------
    @property
    def mode(self) -> str:
        """The concrete mode requests use (probing first when the setting is ``auto``)."""
        return self.resolve_mode()

    def _settled(self) -> str | None:
        if self.settings.mode != "auto":
            return self.settings.mode
        if self.settings.is_openai:
            return self._settle(ProbeResult("tools"))
        return None

    def resolve_mode(self) -> str:
        """Settle ``mode="auto"`` with a probe (once); return the concrete mode."""
        if (mode := self._settled()) is not None:
            return mode
        stats = CallStats()
        token = CALL_STATS.set(stats)
        try:
            send = self._raw_sync_client().chat.completions.create
            return self._settle(probe(send, self.settings.model))
        except openai.OpenAIError as exc:
            raise translate(exc, stats, self.settings) from exc
        finally:
            CALL_STATS.reset(token)

    async def aresolve_mode(self) -> str:
        """The async twin of :meth:`resolve_mode`; concurrent callers share one probe."""
        if (mode := self._settled()) is not None:
            return mode
        async with self._probe_lock:
            if (mode := self._settled()) is not None:
                return mode
            stats = CallStats()
            token = CALL_STATS.set(stats)
            try:
                send = self._raw_async_client().chat.completions.create
                return self._settle(await aprobe(send, self.settings.model))
            except openai.OpenAIError as exc:
                raise translate(exc, stats, self.settings) from exc
            finally:
                CALL_STATS.reset(token)

    def _settle(self, result: ProbeResult) -> str:
        self.probe_result = result
        self.settings = dataclasses.replace(self.settings, mode=result.mode)  # type: ignore[arg-type]
        if result.passed_over or not self.settings.is_openai:
            logger.info(result.describe(self.settings.base_url or "the OpenAI API"))
        return result.mode

    def _request(self, task: Task[Any], messages: list[dict[str, str]]) -> dict[str, Any]:
        schema: type[BaseModel] = task.schema
        model = response_schema(schema)
        return {
            **request_extras(self.mode, model),
            **create_kwargs(self.settings, messages),
            "response_model": model,
            "max_retries": self.settings.max_reasks,  # instructor: attempts = re-asks + 1
        }

    # -- calls ---------------------------------------------------------------------------
    def complete(self, task: Task[Any], messages: list[dict[str, str]]) -> Answer:
        """Ask for ``task``'s schema filled from ``messages``; raise ExtractorError on failure."""
        self.resolve_mode()
        self._refuse_if_rejected()
        stats = CallStats()
        token = CALL_STATS.set(stats)
        try:
            data, completion = self.sync_client.chat.completions.create_with_completion(
                **self._request(task, messages)
            )
        except Exception as exc:
            raise self._remember(translate(exc, stats, self.settings)) from exc
        finally:
            CALL_STATS.reset(token)
        return Answer(data, usage_of(completion.usage, stats))

    async def acomplete(self, task: Task[Any], messages: list[dict[str, str]]) -> Answer:
        """The async twin of :meth:`complete`."""
        await self.aresolve_mode()
        self._refuse_if_rejected()
        stats = CallStats()
        token = CALL_STATS.set(stats)
        try:
            data, completion = await self.async_client.chat.completions.create_with_completion(
                **self._request(task, messages)
            )
        except Exception as exc:
            raise self._remember(translate(exc, stats, self.settings)) from exc
        finally:
            CALL_STATS.reset(token)
        return Answer(data, usage_of(completion.usage, stats))

    def _remember(self, error: ExtractorError) -> ExtractorError:
        if isinstance(error, ModeRejectedError) and self._rejected is None:
            self._rejected = error
        return error

    def _refuse_if_rejected(self) -> None:
        """A server that refused this mode's shape refuses it again: fail without asking."""
        if self._rejected is not None:
            error = ModeRejectedError(
                self._rejected.message,
                mode=self._rejected.mode,
                status_code=self._rejected.status_code,
            )
            error.usage = Usage()
            raise error

    def close(self) -> None:
        for client in self._owned:
            if isinstance(client, openai.OpenAI):
                client.close()

    async def aclose(self) -> None:
        for client in self._owned:
            if isinstance(client, openai.AsyncOpenAI):
                await client.close()
        self.close()
