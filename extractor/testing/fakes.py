"""A scripted fake endpoint for tests: no sockets, no sleeping, every request recorded.

    endpoint = ScriptedEndpoint(Reply.status(429, retry_after="7"), Reply.ok({"title": "Nurse"}))
    with Extractor(settings=settings, llm=endpoint.llm(settings)) as ex:
        ex.run("...")
    assert endpoint.sleeps == [7.0] and len(endpoint.requests) == 2

It sits *under* extractor's retry transport (as a real endpoint would), so retries, Retry-After,
re-asks, usage and error translation are all exercised. Answers come in OpenAI's shapes from
:mod:`extractor.testing.responses`, the same code the local simulator serves.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx2

from extractor.llm import LLMClient
from extractor.llm.ratelimit import RateGate
from extractor.settings import Settings
from extractor.testing import responses


@dataclass(frozen=True, slots=True)
class Reply:
    """One scripted response: an answer (200) or an HTTP status with headers and body."""

    status_code: int = 200
    answer: dict[str, Any] | str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    fault: str = "ok"

    @classmethod
    def ok(cls, answer: dict[str, Any] | str, fault: str = "ok") -> Reply:
        return cls(answer=answer, fault=fault)

    @classmethod
    def status(
        cls, code: int, *, retry_after: str | None = None, body: dict[str, Any] | None = None
    ) -> Reply:
        headers = {"retry-after": retry_after} if retry_after is not None else {}
        return cls(
            status_code=code, headers=headers, body=body or responses.error("scripted", "error")
        )


class ScriptedEndpoint:
    """Serves the scripted replies in order (the last one repeats) and records requests."""

    def __init__(self, *replies: Reply | dict[str, Any]) -> None:
        if not replies:
            raise ValueError("script at least one reply")
        self.replies: Sequence[Reply] = [
            r if isinstance(r, Reply) else Reply.ok(r) for r in replies
        ]
        self.requests: list[dict[str, Any]] = []
        self.sleeps: list[float] = []

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content or b"{}")
        self.requests.append(body)
        reply = self.replies[min(len(self.requests), len(self.replies)) - 1]
        if reply.status_code != 200:
            return httpx2.Response(reply.status_code, headers=reply.headers, json=reply.body)
        assert reply.answer is not None
        payload = responses.completion(
            body,
            reply.answer,
            fault=reply.fault,
            request_number=len(self.requests),
            prompt_chars=len(request.content),
        )
        return httpx2.Response(200, headers=reply.headers, json=payload)

    def transport(self) -> httpx2.MockTransport:
        return httpx2.MockTransport(self.handle)

    def _sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    async def _async_sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def llm(self, settings: Settings, gate: RateGate | None = None) -> LLMClient:
        """An LLM client whose HTTP goes to this endpoint and whose back-off never sleeps."""
        return LLMClient(
            settings,
            transport=self.transport(),
            async_transport=self.transport(),
            gate=gate,
            sleep=self._sleep,
            async_sleep=self._async_sleep,
        )
