"""HTTP transports that own transport failures: one tenacity policy per HTTP call.

Connection errors, timeouts, 429 and 5xx are retried here, honouring ``Retry-After``
(``retry-after-ms``, seconds or an HTTP date), with capped attempts and a capped total wait. The
openai SDK's own retries are turned off (``max_retries=0``) so the layers do not multiply.
A 429 that means "quota exhausted" is not retried: waiting does not fix it, and neither is a
5xx whose body refuses the request's shape (llama-cpp-python's 500 on an unknown
``response_format``, :mod:`extractor.llm.rejection`): the same request fails the same way.

Every HTTP attempt is counted in the caller's :class:`CallStats` (a context variable), so usage
reports real requests whatever the concurrency. A shared :class:`~extractor.llm.ratelimit.RateGate`
makes every request of a client wait out a server's ``Retry-After`` and the client-side
requests/tokens-per-minute budgets together.
"""

from __future__ import annotations

import asyncio
import contextvars
import email.utils
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception_type,
)
from tenacity.stop import stop_base

from extractor.llm.ratelimit import RateGate
from extractor.llm.rejection import refusal

RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
MAX_SINGLE_WAIT = 60.0


@dataclass(slots=True)
class CallStats:
    """HTTP attempts made on behalf of one extraction."""

    requests: int = 0


CALL_STATS: contextvars.ContextVar[CallStats | None] = contextvars.ContextVar(
    "extractor_call_stats", default=None
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How transport failures are retried."""

    max_attempts: int = 6
    max_total_wait: float = 120.0
    initial_backoff: float = 0.5
    max_backoff: float = 20.0
    max_rate_limited: int = 20  # 429s are counted apart: waiting them out is the fix


class RetryableStatus(Exception):
    """A response whose status says "try again"; carries the (already read) response."""

    def __init__(self, response: httpx2.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


def retry_after(response: httpx2.Response, now: float | None = None) -> float | None:
    """Seconds the server asks us to wait, from ``retry-after-ms`` or ``retry-after``."""
    headers = response.headers
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return max(float(ms) / 1000.0, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


def _is_quota_error(response: httpx2.Response) -> bool:
    return response.status_code == 429 and b"insufficient_quota" in response.content


@dataclass
class _Waiter:
    """The wait strategy: the server's Retry-After when given, else exponential jitter."""

    policy: RetryPolicy
    rng: random.Random = field(default_factory=random.Random)

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RetryableStatus) and (after := retry_after(exc.response)) is not None:
            return min(after, MAX_SINGLE_WAIT)
        backoff = self.policy.initial_backoff * 2 ** (state.attempt_number - 1)
        return float(self.rng.uniform(0, min(backoff, self.policy.max_backoff)))


class _Stop(stop_base):
    """When to give up on one HTTP call: after ``max_attempts`` failures other than 429, after
    ``max_rate_limited`` 429s, or when the next wait would take the total waited past
    ``max_total_wait``. Rate limiting is counted apart because waiting it out is the fix: a
    posting should not fail because of rate limiting alone.

    Waits are summed from tenacity's ``idle_for``, not read off the clock, so the cap holds with
    any sleep function and one more long wait never overshoots it. One instance per HTTP call.
    """

    def __init__(self, policy: RetryPolicy) -> None:
        self.policy = policy
        self.rate_limited = 0

    def __call__(self, state: RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RetryableStatus) and exc.response.status_code == 429:
            self.rate_limited += 1
            if self.rate_limited >= self.policy.max_rate_limited:
                return True
        elif state.attempt_number - self.rate_limited >= self.policy.max_attempts:
            return True
        return bool(state.idle_for + (state.upcoming_sleep or 0.0) > self.policy.max_total_wait)


def _estimate_tokens(request: httpx2.Request) -> int:
    # A cheap, deterministic estimate for the tokens-per-minute budget: ~4 bytes a token.
    return max(len(request.content) // 4, 1)


class _RetryMixin:
    def __init__(self, policy: RetryPolicy, gate: RateGate | None) -> None:
        self.policy = policy
        self.gate = gate
        self._waiter = _Waiter(policy)

    def _controller_args(self) -> dict[str, Any]:
        return {
            "stop": _Stop(self.policy),
            "wait": self._waiter,
            "retry": retry_if_exception_type((RetryableStatus, httpx2.TransportError)),
            "reraise": True,
        }

    def _on_response(self, response: httpx2.Response) -> None:
        if (
            response.status_code in RETRY_STATUSES
            and not _is_quota_error(response)
            and refusal(response.status_code, response.content) is None
        ):
            after = retry_after(response)
            if self.gate is not None and response.status_code == 429:
                self.gate.note_rate_limited(after, response.headers)
            raise RetryableStatus(response)
        if self.gate is not None and response.status_code < 400:
            self.gate.note_success(response.headers)


class RetryingTransport(_RetryMixin, httpx2.BaseTransport):
    """A sync transport that retries transport failures around an inner transport."""

    def __init__(
        self,
        inner: httpx2.BaseTransport,
        policy: RetryPolicy | None = None,
        gate: RateGate | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(policy or RetryPolicy(), gate)
        self.inner = inner
        self.sleep = sleep

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        stats = CALL_STATS.get()
        try:
            for attempt in Retrying(sleep=self.sleep, **self._controller_args()):
                with attempt:
                    if self.gate is not None:
                        self.sleep(self.gate.reserve(_estimate_tokens(request)))
                    if stats is not None:
                        stats.requests += 1
                    response = self.inner.handle_request(request)
                    if response.status_code >= 400:
                        response.read()
                    self._on_response(response)
                    return response
        except RetryableStatus as exc:
            return exc.response
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        self.inner.close()


class AsyncRetryingTransport(_RetryMixin, httpx2.AsyncBaseTransport):
    """The async twin of :class:`RetryingTransport`; shares its policy and gate logic."""

    def __init__(
        self,
        inner: httpx2.AsyncBaseTransport,
        policy: RetryPolicy | None = None,
        gate: RateGate | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(policy or RetryPolicy(), gate)
        self.inner = inner
        self.sleep = sleep

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        stats = CALL_STATS.get()
        try:
            async for attempt in AsyncRetrying(sleep=self.sleep, **self._controller_args()):
                with attempt:
                    if self.gate is not None:
                        delay = await self.gate.areserve(_estimate_tokens(request))
                        if delay > 0:
                            await self.sleep(delay)
                    if stats is not None:
                        stats.requests += 1
                    response = await self._send(request)
                    self._on_response(response)
                    return response
        except RetryableStatus as exc:
            return exc.response
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send(self, request: httpx2.Request) -> httpx2.Response:
        if self.gate is None:
            response = await self.inner.handle_async_request(request)
        else:
            async with self.gate.slot():
                response = await self.inner.handle_async_request(request)
        if response.status_code >= 400:
            await response.aread()
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()
