"""Webhooks: when a job ends (done or cancelled), POST its status to the caller's URL.

The URL is the caller's, given with the job (http or https only); the server sends to it from
its own network, so an operator who does not want that runs ``extractor serve --no-webhooks``.
Delivery is queued in the job store when the job ends, so it survives a restart: any worker
takes a due delivery (with a lease, so only one sends it at a time), POSTs JSON

    {"job_id": ..., "status": "done"|"cancelled", "counts": {...}}

with header ``X-Extractor-Job``, follows no redirect, and retries a failure (no answer or a
non-2xx status) with a growing delay up to ``webhook_attempts`` times, then marks it failed.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import sqlite3
import time
from typing import Any

import httpx2

from extractor.serve.config import ServeConfig
from extractor.serve.store import JobStore

logger = logging.getLogger("extractor.serve")


class WebhookSender:
    def __init__(self, store: JobStore, config: ServeConfig) -> None:
        self.store = store
        self.config = config
        self._client: httpx2.AsyncClient | None = None

    def _take(self) -> tuple[str, str, str, int] | None:
        """Lease one due delivery: (job id, url, status, attempt number)."""
        now = time.time()
        hold = self.config.webhook_timeout * 2 + 5.0

        def take(c: sqlite3.Connection) -> tuple[str, str, str, int] | None:
            row = c.execute(
                "UPDATE jobs SET webhook_due = ?, webhook_attempts = webhook_attempts + 1"
                " WHERE id = (SELECT id FROM jobs WHERE webhook_state = 'pending'"
                "  AND webhook_due < ? LIMIT 1)"
                " RETURNING id, webhook, status, webhook_attempts",
                (now + hold, now),
            ).fetchone()
            return None if row is None else (row[0], row[1], row[2], row[3])

        return self.store.write(take)

    def _settle(self, job_id: str, sent: bool, attempt: int) -> None:
        if sent or attempt >= self.config.webhook_attempts:
            state = "sent" if sent else "failed"
            self.store.write(
                lambda c: c.execute(
                    "UPDATE jobs SET webhook_state = ? WHERE id = ?", (state, job_id)
                )
            )
            return
        due = time.time() + self.config.webhook_backoff * 2 ** (attempt - 1)
        self.store.write(
            lambda c: c.execute("UPDATE jobs SET webhook_due = ? WHERE id = ?", (due, job_id))
        )

    async def send_one(self) -> bool:
        """Deliver one due webhook; False when none was due (or the store was busy)."""
        try:
            taken = await asyncio.to_thread(self._take)
        except sqlite3.Error:
            logger.warning("webhooks: the job store is busy; trying again")
            return False
        if taken is None:
            return False
        job_id, url, status, attempt = taken
        counts = await asyncio.to_thread(self.store.counts, job_id)
        payload: dict[str, Any] = {
            "job_id": job_id,
            "status": status,
            "counts": {**dataclasses.asdict(counts), "done": counts.done},
        }
        sent = await self._post(url, job_id, payload)
        await asyncio.to_thread(self._settle, job_id, sent, attempt)
        return True

    async def _post(self, url: str, job_id: str, payload: dict[str, Any]) -> bool:
        if self._client is None:
            self._client = httpx2.AsyncClient(
                timeout=self.config.webhook_timeout, follow_redirects=False
            )
        try:
            response = await self._client.post(
                url, json=payload, headers={"X-Extractor-Job": job_id}
            )
        except httpx2.HTTPError as exc:
            logger.warning("webhook for job %s: %s", job_id, type(exc).__name__)
            return False
        if not response.is_success:
            logger.warning("webhook for job %s: HTTP %d", job_id, response.status_code)
        return response.is_success

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
