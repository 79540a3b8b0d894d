"""The aiohttp application: admits, delays, faults and answers chat-completion requests.

Per request: pick the fault (scripted, else one seeded draw), refuse 401/429 at once, otherwise
count the request in flight, sleep ``latency``, then answer or misbehave. Work per request is
kept small (stdlib json, no validation, no logging) so benchmarks measure the client, not us.
The Files and Batch API endpoints live in :mod:`extractor.testing.simulator.batches`.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from extractor.testing import responses
from extractor.testing.simulator.answerers import INVALID_ANSWER
from extractor.testing.simulator.batches import BatchEndpoints
from extractor.testing.simulator.config import FAULT_RATES, SimulatorConfig

MAX_BODY = 256 * 1024 * 1024  # a Batch API input file may be 200 MB


@dataclass
class Stats:
    """Counters since start; read them as attributes or as ``GET /_stats`` JSON."""

    received: int = 0
    in_flight: int = 0
    max_in_flight_seen: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    """Requests by outcome: "ok", a fault name, "429_in_flight", "429_rpm", "bad_request", and
    "answerer_error" (counted on top of the request's fault, usually "ok")."""

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    def snapshot(self) -> dict[str, Any]:
        return {
            "received": self.received,
            "in_flight": self.in_flight,
            "max_in_flight_seen": self.max_in_flight_seen,
            "outcomes": dict(self.outcomes),
        }


def format_seconds(seconds: float) -> str:
    """ "1" for whole seconds, else up to three decimals ("0.05")."""
    return f"{seconds:.3f}".rstrip("0").rstrip(".") or "0"


def json_response(
    status: int, payload: Any, headers: Mapping[str, str] | None = None
) -> web.Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return web.Response(body=body, status=status, headers=headers, content_type="application/json")


class SimulatorServer:
    """State and handlers of one simulator; ``app()`` builds the aiohttp application."""

    def __init__(
        self, config: SimulatorConfig, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.config = config
        self.stats = Stats()
        self._clock = clock
        self._rng = random.Random(config.seed)
        self._thresholds: list[tuple[float, str]] = []
        total = 0.0
        for name, rate in config.fault_rates().items():
            if rate > 0:
                total += rate
                self._thresholds.append((total, FAULT_RATES[name]))
        self._window_start = clock()
        self._window_used = 0
        self.batch_api = BatchEndpoints(config, self.stats.count, clock)

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post("/v1/chat/completions", self.chat)
        app.router.add_post("/chat/completions", self.chat)
        app.router.add_get("/v1/models", self.models)
        app.router.add_get("/models", self.models)
        app.router.add_get("/_stats", self.stats_view)
        self.batch_api.add_routes(app)
        return app

    def pick_fault(self, number: int) -> str:
        """The scripted fault for request ``number``, else one seeded draw ("ok" for none)."""
        scripted = self.config.scripted_faults
        if number < len(scripted):
            return scripted[number]
        if not self._thresholds:
            return "ok"
        draw = self._rng.random()
        for threshold, name in self._thresholds:
            if draw < threshold:
                return name
        return "ok"

    async def chat(self, request: web.Request) -> web.StreamResponse:
        stats = self.stats
        number = stats.received
        stats.received += 1
        fault = self.pick_fault(number)
        if self.config.status_401 or fault == "401":
            stats.count("401")
            return json_response(401, responses.INVALID_KEY)
        if fault == "429":
            stats.count("429")
            retry = {"Retry-After": format_seconds(self.config.retry_after)}
            return json_response(429, responses.rate_limited("scripted"), retry)
        refusal, headers = self.admit()
        if refusal is not None:
            return refusal
        stats.in_flight += 1
        stats.max_in_flight_seen = max(stats.max_in_flight_seen, stats.in_flight)
        try:
            return await self.answer(request, number, fault, headers)
        finally:
            stats.in_flight -= 1

    def admit(self) -> tuple[web.Response | None, dict[str, str]]:
        """A 429 when over ``max_in_flight`` or the ``rpm`` budget, else the headers to send."""
        config, stats = self.config, self.stats
        if config.max_in_flight is not None and stats.in_flight >= config.max_in_flight:
            stats.count("429_in_flight")
            retry = {"Retry-After": format_seconds(config.retry_after)}
            return json_response(429, responses.rate_limited("in flight"), retry), {}
        if config.rpm is None:
            return None, {}
        now = self._clock()
        if now - self._window_start >= config.rpm_window:
            self._window_start, self._window_used = now, 0
        reset = max(0.0, self._window_start + config.rpm_window - now)
        remaining = config.rpm - self._window_used
        headers = {
            "x-ratelimit-limit-requests": str(config.rpm),
            "x-ratelimit-remaining-requests": str(max(0, remaining - 1)),
            "x-ratelimit-reset-requests": f"{format_seconds(reset)}s",
        }
        if remaining <= 0:
            stats.count("429_rpm")
            headers["retry-after"] = format_seconds(reset)
            return json_response(429, responses.rate_limited("rpm"), headers), {}
        self._window_used += 1
        return None, headers

    async def answer(
        self, request: web.Request, number: int, fault: str, headers: dict[str, str]
    ) -> web.StreamResponse:
        raw = await request.read()
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        problem = request_problem(body)
        if problem:
            self.stats.count("bad_request")
            return json_response(400, responses.error(problem, "invalid_request_error"))
        self.stats.count(fault)
        if self.config.latency:
            await asyncio.sleep(self.config.latency)
        if fault == "hang":
            await asyncio.sleep(self.config.hang_seconds)
        if fault in responses.SERVER_ERRORS:
            error = responses.error(responses.SERVER_ERRORS[fault], "server_error")
            return json_response(int(fault), error)
        if fault == "reset":
            return await reset_connection(request)
        if fault == "malformed":
            return web.Response(body=b"{not json", content_type="application/json")
        try:
            answer = INVALID_ANSWER if fault == "invalid" else self.config.answerer(body)
            payload = responses.completion(
                body, answer, fault=fault, request_number=number, prompt_chars=len(raw)
            )
        except Exception as exc:  # an answerer bug must reach the client, not kill the server
            self.stats.count("answerer_error")
            error = responses.error(f"simulator answerer failed: {exc!r}", "server_error")
            return json_response(500, error)
        return json_response(200, payload, headers)

    async def models(self, request: web.Request) -> web.Response:
        model = {"id": "simulator", "object": "model", "created": 0, "owned_by": "simulator"}
        return json_response(200, {"object": "list", "data": [model]})

    async def stats_view(self, request: web.Request) -> web.Response:
        return json_response(200, self.stats.snapshot())


def request_problem(body: Any) -> str:
    """Why the simulator cannot answer this request body ("" when it can)."""
    if not isinstance(body, dict):
        return "The body is not a JSON object."
    if body.get("stream"):
        return "The simulator does not stream: send stream=false."
    return ""


async def reset_connection(request: web.Request) -> web.StreamResponse:
    """Close the connection without a byte of response."""
    transport = request.transport
    if transport is not None:
        transport.close()
    raise asyncio.CancelledError
