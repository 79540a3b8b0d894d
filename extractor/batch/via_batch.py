"""A run through the provider's Batch API: plan, submit, poll, collect, ask the failures again.

1. **Resume.** Submissions an earlier run left open (``OUT.batches.json``) are finished first:
   never-uploaded ones are forgotten, uploaded ones without a batch are adopted or created.
2. **Plan.** One walk over the inputs, as the synchronous runner walks them: an input already in
   OUT is skipped; the rest are read, cleaned and turned into the exact request the synchronous
   path sends (:func:`extractor.llm.completions.request_body`), keyed by its cache key. A key
   already in flight is not sent again, a cached key is answered at once, identical requests
   are sent once; the rest are packed into files at the API's limits and submitted as they fill.
3. **Poll** every open batch, backing off while nothing changes, reporting through
   ``on_progress``.
4. **Collect** a finished batch: download its output and error files, join lines to inputs by
   key, read each answer as the synchronous path reads it, write one record per input (the
   cache fills as the synchronous path fills it). Answers that failed validation, error lines,
   expired lines and lines missing from both files go to a second wave (:mod:`.waves`).

Only OUT says what is done: the index of planned inputs lives in memory and is rebuilt by the
next run's walk, and a batch is marked collected only after its records are written, so a run
killed at any moment loses nothing and writes nothing twice.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel

from extractor.batch.api_options import BACKOFF, BatchApiOptions, BatchApiStats
from extractor.batch.inputs import InputItem, read_item
from extractor.batch.ledger import Ledger, Planned
from extractor.batch.lines import FileSplitter, LineResult, Part, read_lines, request_line
from extractor.batch.provider import BatchInfo, BatchProvider
from extractor.batch.record import sha256_hex
from extractor.batch.runner import BatchStats
from extractor.batch.sink import RecordSink
from extractor.batch.state import BatchState, Submission
from extractor.batch.waves import Failure, Waves
from extractor.errors import ConfigError, ExtractorError, TransientError
from extractor.evidence import quoted_schema
from extractor.extraction import Extractor, prepare
from extractor.llm.completions import read_answer, request_body
from extractor.tasks import Task

logger = logging.getLogger("extractor.batch")


class BatchApiRun:
    """One extractor's inputs through the Batch API into one sink."""

    def __init__(
        self,
        extractor: Extractor[BaseModel],
        sink: RecordSink,
        state: BatchState,
        provider: BatchProvider,
        options: BatchApiOptions,
        *,
        concurrency: int = 8,
        on_progress: Callable[[BatchStats], None] | None = None,
        sleep: Callable[[float], Any] = asyncio.sleep,
    ) -> None:
        self.extractor, self.sink, self.state = extractor, sink, state
        self.provider, self.options = provider, options
        self.on_progress, self.sleep = on_progress, sleep
        self.settings = extractor.settings
        self.asking: Task[Any] = dataclasses.replace(
            extractor.task, schema=quoted_schema(extractor.task.schema)
        )
        self.run_key = extractor.run_key
        self.as_of = extractor.as_of.isoformat()
        self.stats = BatchApiStats(
            backend=extractor.backend,
            model=extractor.model_name,
            base_url=self.settings.base_url,
            repaired_bytes=sink.existing.repaired_bytes,
        )
        self.ledger = Ledger(extractor, sink, self.stats)
        self.waves = Waves(self, concurrency)

    async def run(self, items: Iterable[InputItem]) -> BatchApiStats:
        try:
            await self._resume()
            await self._plan(items)
            await self._poll()
            self.stats.phase = "done"
            self.stats.unfinished = self.ledger.unfinished()
        finally:
            self.stats.finished = time.monotonic()
        self._progress()
        return self.stats

    def _progress(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.stats)

    # -- 1. resume -------------------------------------------------------------------------
    async def _resume(self) -> None:
        self.state.drop_unsent()
        for sub in self.state.open():
            if sub.run_key != self.run_key:
                raise ConfigError(
                    f"{self.state.path} holds batches submitted with other settings; re-run "
                    "with those settings to collect them, or move the file away to abandon "
                    "them (extractor batches cancel stops them first)"
                )
            if sub.batch_id is None:
                assert sub.input_file_id is not None
                info = await self.provider.create(
                    sub.input_file_id, self._metadata(sub), maybe_created=True
                )
                sub.batch_id, sub.status = info.id, info.status
                self.state.save()
        self.stats.resumed_batches = len(self.state.open())

    # -- 2. plan ---------------------------------------------------------------------------
    async def _plan(self, items: Iterable[InputItem]) -> None:
        in_flight = self.state.in_flight()
        splitter = FileSplitter(self.options.limits)
        for item in items:
            self.stats.found += 1
            line = self._plan_one(item, in_flight)
            if line is not None and (full := splitter.add(*line)) is not None:
                await self.submit(full, wave=1)
            self._progress()
        self.stats.walked = True
        if (last := splitter.flush()) is not None:
            await self.submit(last, wave=1)

    def _plan_one(
        self, item: InputItem, in_flight: dict[str, Submission]
    ) -> tuple[str, bytes] | None:
        """Index one input; the request line to send for it, when one must be sent."""
        ledger = self.ledger
        try:
            raw = read_item(item)
        except ExtractorError as exc:
            if not ledger.skip((item.source, "", self.run_key)):
                ledger.write(ledger.failure_record(item.source, None, exc))
            return None
        planned = Planned(item.path, item.source, sha256_hex(raw))
        if ledger.skip((planned.source, planned.sha, self.run_key)):
            return None
        try:
            doc = prepare(raw, item.path.name)
            messages, key, _ = self.extractor.request(doc)
            if key in ledger.index:
                ledger.index[key].append(planned)
                self.stats.duplicates += 1
                return None
            if key not in in_flight and (hit := self.extractor.from_cache(doc)) is not None:
                ledger.write(ledger.ok(planned, hit, first=True))
                return None
        except Exception as exc:  # never let one input end the run
            ledger.write(ledger.failure_record(planned.source, planned.sha, exc))
            return None
        ledger.index[key] = [planned]
        if key in in_flight:
            return None
        return key, request_line(key, request_body(self.settings, self.asking, messages))

    # -- submitting ------------------------------------------------------------------------
    def _metadata(self, sub: Submission) -> dict[str, str]:
        return {"extractor_state": self.state.path.name[:512], "submission": str(sub.number)}

    async def submit(
        self, part: Part, wave: int, prior: dict[str, list[int]] | None = None
    ) -> None:
        """Send ``part`` as one batch, recording each step in the state before the next."""
        sub = self.state.add(
            Submission(
                0, wave, self.run_key, self.as_of, self.settings.model, self.settings.base_url,
                part.keys, prior=prior or {},
            )
        )  # fmt: skip
        name = f"{self.state.path.name.removesuffix('.json')}.{sub.number}.jsonl"
        sub.input_file_id = await self.provider.upload(name, part.content)
        sub.status = "uploaded"
        self.state.save()
        info = await self.provider.create(sub.input_file_id, self._metadata(sub))
        sub.batch_id, sub.status = info.id, info.status
        self.state.save()
        self.stats.batches += 1
        self.stats.requests_submitted += len(part.keys)

    # -- 3. poll ---------------------------------------------------------------------------
    async def _poll(self) -> None:
        interval = self.options.poll_interval
        seen: dict[str, tuple[str, int]] = {}
        while open_ := [s for s in self.state.open() if s.batch_id]:
            self.stats.phase = "waiting"
            changed = False
            total = done = 0
            for sub in open_:
                assert sub.batch_id is not None
                try:
                    info = await self.provider.retrieve(sub.batch_id)
                except TransientError as exc:
                    logger.warning("cannot read batch %s now: %s", sub.batch_id, exc)
                    continue
                now = (info.status, info.completed + info.failed)
                changed = changed or seen.get(info.id) != now
                seen[info.id] = now
                total, done = total + info.total, done + now[1]
                if info.terminal:
                    await self._collect(sub, info)
            self.stats.open_batches = len([s for s in self.state.open() if s.batch_id])
            self.stats.lines_total, self.stats.lines_done = total, done
            self._progress()
            if self.stats.open_batches:
                ceiling = self.options.max_poll_interval
                interval = (
                    self.options.poll_interval if changed else min(interval * BACKOFF, ceiling)
                )
                await self.sleep(interval)

    # -- 4. collect ------------------------------------------------------------------------
    async def _collect(self, sub: Submission, info: BatchInfo) -> None:
        self.stats.phase = "collecting"
        if info.status == "failed":
            logger.warning("batch %s failed: %s", info.id, _missing(info))
            self.stats.failed_batches.append(f"{info.id}: {_missing(info)}")
        results: dict[str, LineResult] = {}
        for file_id in (info.output_file_id, info.error_file_id):
            if file_id is None:
                continue
            found, unreadable = read_lines(await self.provider.content(file_id))
            self.stats.unreadable_lines += unreadable
            for key, result in found.items():
                if result.kind == "answer" or key not in results:
                    results[key] = result
        failures: list[Failure] = []
        for key in sub.keys:
            if self.ledger.pending(key):
                failure = self._take(key, results.get(key), sub, info)
                if failure is not None:
                    failures.append(failure)
        await self.waves.handle(failures, sub.wave)
        sub.collected, sub.status = True, info.status
        self.state.save()

    def _take(
        self, key: str, result: LineResult | None, sub: Submission, info: BatchInfo
    ) -> Failure | None:
        """Write the records of ``key``'s answer; the failure to ask again, if any."""
        attempts, usage = sub.earlier(key)
        attempts += 1
        if result is None:
            # A whole batch failed or cancelled is not re-asked at full price: left for a re-run.
            unsent = info.status in ("cancelled", "cancelling", "failed")
            kind = "cancelled" if unsent else "missing"
            return Failure(key, kind, _missing(info), attempts, usage)
        if result.kind != "answer":
            return Failure(key, result.kind, result.message, attempts, usage)
        reading = read_answer(self.settings, self.asking, result.body)
        usage = usage + reading.usage
        if reading.answer is not None:
            self.ledger.answer(key, dataclasses.replace(reading.answer, usage=usage), batch=usage)
            return None
        assert reading.problem is not None
        message = str(reading.problem)
        if reading.reask is None:  # a refusal or a cut-off answer: never re-asked
            reading.problem.usage = usage
            self.ledger.fail(key, reading.problem, batch=usage)
            return None
        return Failure(key, "invalid", message, attempts, usage, reading.completion, reading.reask)


def _missing(info: BatchInfo) -> str:
    if info.status == "failed":
        return "the batch failed" + (f": {'; '.join(info.errors)[:300]}" if info.errors else "")
    return f"no line for this request in the output or error file (batch {info.status})"


async def run_via_batch(
    extractor: Extractor[BaseModel],
    sink: RecordSink,
    state: BatchState,
    items: Iterable[InputItem],
    options: BatchApiOptions,
    concurrency: int,
    on_progress: Callable[[BatchStats], None] | None,
) -> BatchApiStats:
    """Run ``items`` through the Batch API into ``sink`` (see the module docstring)."""
    provider = BatchProvider(extractor.settings)
    try:
        run = BatchApiRun(
            extractor, sink, state, provider, options,
            concurrency=concurrency, on_progress=on_progress,
        )  # fmt: skip
        return await run.run(items)
    finally:
        await provider.aclose()
