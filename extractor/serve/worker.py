"""The worker inside each server process: claims inputs from the job store and runs them
through the library's :class:`~extractor.batch.runner.BatchRunner`, writing each record back
to the store.

Backends, cache, grounding and records are exactly those of ``extractor run``: one
:class:`~extractor.extraction.Extractor` per (task, job settings), all sharing one LLM client
and one rate gate (shared with the other workers through the store when ``rpm``/``tpm`` are
set). A worker holds no job state of its own: what it has claimed is written in the store with
a lease it renews (its heartbeat); if it dies, the lease runs out and any worker takes over.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
import socket
import warnings
from collections import OrderedDict
from collections.abc import Coroutine
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from extractor.batch.inputs import InputItem
from extractor.batch.record import DoneKey, Record
from extractor.batch.runner import BatchOptions, BatchRunner
from extractor.batch.sink import RecordSink
from extractor.errors import ConfigError
from extractor.extraction import Extractor, OfflineBackendWarning
from extractor.llm.ratelimit import RateGate
from extractor.serve.config import ServeConfig
from extractor.serve.shared_gate import SharedGate
from extractor.serve.store import Claim, Item, JobStore
from extractor.serve.webhooks import WebhookSender
from extractor.settings import Settings
from extractor.tasks import DEFAULT_TASK, list_tasks

logger = logging.getLogger("extractor.serve")
MAX_EXTRACTORS = 32
WARM_UP = "Warm-up Posting\nAcme Corp\nBerlin, Germany\nWe pay $20/hour.\n"


class StoreSink(RecordSink):
    """The batch runner's sink for one claim: each record goes to its input's row."""

    def __init__(self, worker: Worker, claim: Claim) -> None:
        super().__init__(None)
        self.worker = worker
        self.job_id = claim.job.id
        self.seqs = {item.source: item.seq for item in claim.items}
        self.writes: list[asyncio.Future[bool]] = []

    def is_done(self, key: DoneKey) -> bool:
        return False  # every input of a job gets its record, duplicates included

    def write(self, record: Record) -> None:
        seq = self.seqs[record.source]
        self.writes.append(asyncio.ensure_future(self.worker.save(self.job_id, seq, record)))

    async def flush(self) -> None:
        await asyncio.gather(*self.writes)


class Worker:
    def __init__(self, store: JobStore, config: ServeConfig, settings: Settings) -> None:
        self.id = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self.store = store
        self.config = config
        self.settings = settings
        self.tasks = frozenset(list_tasks())
        self.gate: RateGate = (
            SharedGate(store, config.rpm, config.tpm, config.concurrency)
            if config.rpm or config.tpm
            else RateGate(concurrency=config.concurrency)
        )
        self.llm: Any = None
        if settings.resolved_backend == "llm":
            from extractor.llm import LLMClient

            self.llm = LLMClient(settings, gate=self.gate)
        self.webhooks = WebhookSender(store, config)
        self.busy = 0
        self._extractors: OrderedDict[str, Extractor[BaseModel]] = OrderedDict()
        self._running: set[asyncio.Task[Any]] = set()
        self._loops: list[asyncio.Task[None]] = []
        self._wake = asyncio.Event()
        self._tick = asyncio.Event()

    # -- extractors --------------------------------------------------------------------
    def extractor_for(self, task: str, job_settings: dict[str, Any]) -> Extractor[BaseModel]:
        """The extractor for a task and a job's settings; ConfigError when they cannot run."""
        if task not in self.tasks:
            raise ConfigError(f"unknown task {task!r}; known: {', '.join(sorted(self.tasks))}")
        key = json.dumps([task, job_settings], sort_keys=True)
        if (found := self._extractors.get(key)) is not None:
            self._extractors.move_to_end(key)
            return found
        changes = dict(job_settings)
        if changes.get("as_of"):
            changes["as_of"] = date.fromisoformat(changes["as_of"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OfflineBackendWarning)
            extractor: Extractor[Any] = Extractor(
                task, self.settings.with_(**changes), llm=self.llm, gate=self.gate
            )
        self._extractors[key] = extractor
        if len(self._extractors) > MAX_EXTRACTORS:
            self._extractors.popitem(last=False)  # its cache closes when it is collected
        return extractor

    # -- running -----------------------------------------------------------------------
    async def run(self, claim: Claim) -> None:
        """Extract every input of ``claim`` and store its record (its inputs already count in
        ``busy``)."""
        try:
            extractor = self.extractor_for(claim.job.task, claim.job.settings)
            sink = StoreSink(self, claim)
            options = BatchOptions(
                concurrency=len(claim.items), max_bytes=self.config.max_item_bytes
            )
            runner = BatchRunner(extractor, sink, options)
            await runner.run(_inputs(claim.items))
            await sink.flush()
        except Exception:  # the claims run out and another attempt is made
            logger.exception("job %s: a batch of %d inputs failed", claim.job.id, len(claim.items))
        finally:
            self.busy -= len(claim.items)
            self._wake.set()

    async def save(self, job_id: str, seq: int, record: Record) -> bool:
        line = record.to_line()
        saved = await asyncio.to_thread(
            self.store.complete, job_id, seq, self.id, record.status, line
        )
        self.notify()
        return saved

    def start_now(self, claim: Claim) -> asyncio.Task[None]:
        """Run inputs this worker claimed when it created their job (the synchronous path)."""
        self.busy += len(claim.items)
        return self._spawn(self.run(claim))

    def claim_for_me(self) -> tuple[str, float]:
        """A claim for inputs stored right now: this worker's id and a fresh lease."""
        return self.id, self.config.lease_seconds

    def wake(self) -> None:
        """New work was stored: poll now rather than at the next interval."""
        self._wake.set()

    # -- waiting -----------------------------------------------------------------------
    def notify(self) -> None:
        """A record was written or a job changed: wake whoever waits in this process."""
        tick, self._tick = self._tick, asyncio.Event()
        tick.set()

    async def changed(self, timeout: float) -> None:
        """Return when this process writes a record, or after ``timeout`` (other workers'
        writes are seen by polling the store)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._tick.wait(), timeout)

    # -- lifecycle ---------------------------------------------------------------------
    def warm_up(self) -> None:
        """Load what the first extraction would (the task, the cleaner, the offline rules or
        the LLM client), so that no request waits on imports."""
        extractor = self.extractor_for(DEFAULT_TASK, {})
        with contextlib.suppress(Exception):  # a warm-up is best effort
            if self.llm is None:
                extractor.run(WARM_UP)
            else:
                assert self.llm.async_client is not None

    async def start(self) -> None:
        self.warm_up()
        self._loops = [
            asyncio.create_task(self._poll()),
            asyncio.create_task(self._heartbeat()),
            asyncio.create_task(self._deliver()),
        ]

    async def stop(self) -> None:
        for loop in self._loops:
            loop.cancel()
        for running in list(self._running):
            running.cancel()
        await asyncio.gather(*self._loops, *self._running, return_exceptions=True)
        await asyncio.to_thread(self.store.release, self.id)
        await self.webhooks.aclose()
        if self.llm is not None:
            await self.llm.aclose()
        for extractor in self._extractors.values():
            if extractor.cache is not None:
                extractor.cache.close()

    def _spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.create_task(work)
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        return task

    async def _poll(self) -> None:
        while True:
            free = self.config.concurrency - self.busy
            if free > 0:
                claim = await _guarded(self.store.claim, self.id, free, self.config.lease_seconds)
                if claim is not None:
                    self.start_now(claim)
                    continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.config.poll_seconds)

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(self.config.lease_seconds / 3)
            await _guarded(self.store.renew, self.id, self.config.lease_seconds)

    async def _deliver(self) -> None:
        while True:
            try:
                sent = await self.webhooks.send_one()
            except Exception:  # never let one delivery stop the others
                logger.exception("webhook delivery failed")
                sent = False
            if not sent:
                await asyncio.sleep(self.config.poll_seconds)


def _inputs(items: tuple[Item, ...]) -> list[InputItem]:
    return [InputItem(Path("input"), content=item.body, label=item.source) for item in items]


async def _guarded(fn: Any, *args: Any) -> Any:
    """Run a store call in a thread; a store error is logged and retried by the caller's loop."""
    try:
        return await asyncio.to_thread(fn, *args)
    except Exception:
        logger.exception("job store call %s failed", getattr(fn, "__name__", fn))
        await asyncio.sleep(1.0)
        return None
