"""Batch runs over files and folders: concurrent, resumable, one record per input.

``BatchRunner`` streams inputs from one walk through a bounded queue to ``concurrency`` workers,
so memory stays flat whatever the number of files (``BatchStats.found`` counts the walk as it
goes; ``walked`` says when it is complete). Each input ends as exactly one record in the
sink (ok or error); inputs the sink already holds for the same settings are skipped; identical
texts (after cleaning) in flight at once are extracted once; an input whose finished record is
cached (same bytes, settings and code) is neither cleaned nor grounded again. The runner never prints: it reports
through ``on_progress`` and returns :class:`BatchStats`.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pydantic import BaseModel

from extractor.batch.inputs import MAX_INPUT_BYTES, InputItem, read_item
from extractor.batch.record import DoneKey, Record, sha256_hex
from extractor.batch.sink import RecordSink
from extractor.document import Document
from extractor.errors import ExtractorError, InputError
from extractor.extraction import Extractor, prepare
from extractor.outcome import Outcome, Usage

logger = logging.getLogger("extractor.batch")

RECENT_OUTCOMES = 1024


@dataclass(slots=True)
class BatchOptions:
    concurrency: int = 8
    max_bytes: int = MAX_INPUT_BYTES


@dataclass(slots=True)
class BatchStats:
    """Counters of one run; ``usage`` sums requests and tokens of this run's extractions."""

    ok: int = 0
    failed: int = 0
    cached: int = 0
    skipped: int = 0
    skipped_errors: int = 0
    duplicates: int = 0
    found: int = 0
    walked: bool = False
    usage: Usage = field(default_factory=Usage)
    backend: str = ""
    model: str | None = None
    base_url: str | None = None
    repaired_bytes: int = 0
    notices: list[str] = field(default_factory=list)
    """Facts about the run said once, before any input (e.g. which mode a probe chose)."""
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None

    @property
    def done(self) -> int:
        return self.ok + self.failed + self.skipped

    @property
    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    @property
    def all_ok(self) -> bool:
        return self.failed == 0 and self.skipped_errors == 0

    def add(self, record: Record) -> None:
        """Count one record written."""
        if record.status == "ok":
            self.ok += 1
            self.cached += record.cached
        else:
            self.failed += 1
        self.usage = self.usage + record.usage


def skip_done(sink: RecordSink, stats: BatchStats, key: DoneKey) -> bool:
    """True (and counted in ``stats``) when ``sink`` already holds a record for ``key``."""
    if not sink.is_done(key):
        return False
    stats.skipped += 1
    if key not in sink.existing.ok:
        stats.skipped_errors += 1
    return True


class BatchRunner:
    """Runs one extractor over many inputs into one sink."""

    def __init__(
        self,
        extractor: Extractor[BaseModel],
        sink: RecordSink,
        options: BatchOptions | None = None,
        on_progress: Callable[[BatchStats], None] | None = None,
    ) -> None:
        self.extractor = extractor
        self.sink = sink
        self.options = options or BatchOptions()
        self.on_progress = on_progress
        self.stats = BatchStats(
            backend=extractor.backend,
            model=extractor.model_name,
            base_url=extractor.settings.base_url if extractor.backend == "llm" else None,
            repaired_bytes=sink.existing.repaired_bytes,
        )
        self.run_key = extractor.run_key
        self.as_of = extractor.as_of.isoformat()
        self._in_flight: dict[str, asyncio.Future[tuple[str, Outcome[BaseModel]]]] = {}
        self._recent: OrderedDict[str, tuple[str, Outcome[BaseModel]]] = OrderedDict()

    async def run(self, items: Iterable[InputItem]) -> BatchStats:
        queue: asyncio.Queue[InputItem | None] = asyncio.Queue(maxsize=self.options.concurrency * 2)
        workers = [
            asyncio.create_task(self._worker(queue))
            for _ in range(max(self.options.concurrency, 1))
        ]
        try:
            for item in items:
                self.stats.found += 1
                await queue.put(item)
            self.stats.walked = True
            for _ in workers:
                await queue.put(None)
            await asyncio.gather(*workers)
        finally:
            for worker in workers:
                worker.cancel()
            self.stats.finished = time.monotonic()
        return self.stats

    async def _worker(self, queue: asyncio.Queue[InputItem | None]) -> None:
        while (item := await queue.get()) is not None:
            record = await self._process(item)
            if record is not None:
                self.sink.write(record)
                self.stats.add(record)
            if self.on_progress is not None:
                self.on_progress(self.stats)

    async def _process(self, item: InputItem) -> Record | None:
        try:
            raw = read_item(item, self.options.max_bytes)
        except InputError as exc:
            # Unreadable: keyed without a hash, so a re-run does not add a second error record.
            return (
                None
                if self._skip((item.source, "", self.run_key))
                else self._error(item, None, exc)
            )
        sha = sha256_hex(raw)
        if self._skip((item.source, sha, self.run_key)):
            return None
        doc: Document | None = None
        try:
            if (outcome := self.extractor.recall(raw)) is None:  # a finished record: no cleaning
                doc = prepare(raw, item.path.name)
                outcome = await self._extract_once(doc, raw)
            return Record.ok(item.source, sha, outcome, run_key=self.run_key, as_of=self.as_of)
        except Exception as exc:  # never let one input end the run
            if not isinstance(exc, ExtractorError):
                logger.debug("unexpected error on %s", item.source, exc_info=True)
            return self._error(item, sha, exc, doc)

    def _skip(self, key: DoneKey) -> bool:
        return skip_done(self.sink, self.stats, key)

    def _error(
        self, item: InputItem, sha: str | None, exc: BaseException, doc: Document | None = None
    ) -> Record:
        return Record.failure(
            item.source,
            sha,
            exc,
            task=self.extractor.task.name,
            backend=self.extractor.backend,
            model=self.extractor.model_name,
            run_key=self.run_key,
            warnings=doc.warnings if doc is not None else (),
            as_of=self.as_of,
        )

    async def _extract_once(self, doc: Document, raw: bytes) -> Outcome[BaseModel]:
        """Extract ``doc``, sharing the answer with an identical text in flight or just done.

        The same page gets a copy of the first outcome. The same cleaned text on another page
        (other ads, other whitespace) is asked again once the first is done: the cache answers
        it with no request, and its evidence is found on its own page.
        """
        if self.extractor.backend == "offline":  # cheaper to redo than to share
            return await self.extractor.arun(doc)
        text_key = hashlib.sha256(doc.text.encode()).hexdigest()
        page_key = hashlib.sha256(doc.source.encode()).hexdigest()
        shared = self._recent.get(text_key)
        if shared is None and (pending := self._in_flight.get(text_key)) is not None:
            shared = await asyncio.shield(pending)
        if shared is not None:
            self.stats.duplicates += 1
            first_page, outcome = shared
            if first_page == page_key:
                return _copy(outcome)
            return self.extractor.remember(raw, await self.extractor.arun(doc))
        future: asyncio.Future[tuple[str, Outcome[BaseModel]]]
        future = asyncio.get_running_loop().create_future()
        self._in_flight[text_key] = future
        try:
            outcome = self.extractor.remember(raw, await self.extractor.arun(doc))
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: copies re-raise it themselves
            raise
        finally:
            self._in_flight.pop(text_key, None)
        future.set_result((page_key, outcome))
        self._recent[text_key] = (page_key, outcome)
        if len(self._recent) > RECENT_OUTCOMES:
            self._recent.popitem(last=False)
        return outcome


def _copy(outcome: Outcome[BaseModel]) -> Outcome[BaseModel]:
    """The outcome of an identical text: same data, no cost, marked as shared."""
    return Outcome(
        data=outcome.data,
        task=outcome.task,
        backend=outcome.backend,
        model=outcome.model,
        cached=True,
        usage=Usage(),
        warnings=(*outcome.warnings, "same text as another input of this run: extracted once"),
        evidence=outcome.evidence,
        unsupported=outcome.unsupported,
    )
