"""What every route works with: the config, the job store and this process's worker."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import Request

from extractor.serve.config import ServeConfig
from extractor.serve.models import CountsView, JobView, WebhookView
from extractor.serve.store import Counts, Job, JobStore
from extractor.serve.worker import Worker
from extractor.settings import Settings

POLL = 0.25
"""Seconds between looks at the store while waiting on another process's work."""


@dataclass(slots=True)
class Service:
    config: ServeConfig
    settings: Settings
    store: JobStore
    worker: Worker

    async def job(self, job_id: str) -> Job | None:
        return await asyncio.to_thread(self.store.job, job_id)

    async def view(self, job: Job) -> JobView:
        counts = await asyncio.to_thread(self.store.counts, job.id)
        return job_view(job, counts)

    async def wait_for_end(self, job: Job, wait: float) -> Job:
        """``job`` as it is once it ended, or after ``wait`` seconds."""
        deadline = time.monotonic() + min(wait, self.config.max_wait)
        while not job.ended and (left := deadline - time.monotonic()) > 0:
            await self.worker.changed(min(left, POLL))
            job = await self.job(job.id) or job
        return job


def service(request: Request) -> Service:
    svc: Service = request.app.state.service
    return svc


def job_view(job: Job, counts: Counts) -> JobView:
    started = counts.done or counts.running
    status = job.status if job.ended else "running" if started else "queued"
    webhook = None
    if job.webhook is not None:
        webhook = WebhookView(url=job.webhook, state=job.webhook_state or "waiting")
    return JobView(
        id=job.id,
        status=status,
        task=job.task,
        created=_time(job.created),
        finished=_time(job.finished) if job.finished is not None else None,
        counts=CountsView(
            total=counts.total,
            done=counts.done,
            ok=counts.ok,
            failed=counts.failed,
            pending=counts.pending,
            running=counts.running,
            cancelled=counts.cancelled,
        ),
        webhook=webhook,
        records_url=f"/v1/jobs/{job.id}/records",
    )


def _time(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
