"""What a Batch API run has planned and written: the inputs waiting for each request key, and
the records written for them (each once, counted into the run's stats).

An input is planned under the cache key of its request (identical requests share a key and are
sent once); when the key's answer comes, every input waiting for it gets its record, the first
carrying the cost, the others marked as sharing it. Documents are not kept: an input is read and
cleaned again when its answer comes, and skipped when its bytes changed meanwhile (the next run
plans it anew).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from extractor.batch.api_options import BatchApiStats
from extractor.batch.inputs import read_input
from extractor.batch.record import DoneKey, Record, sha256_hex
from extractor.batch.runner import skip_done
from extractor.batch.sink import RecordSink
from extractor.document import Document
from extractor.errors import ExtractorError
from extractor.extraction import Extractor, prepare
from extractor.outcome import Outcome, Usage

SHARED = "same text as another input of this run: extracted once"


@dataclasses.dataclass(frozen=True, slots=True)
class Planned:
    """An input waiting for its key's answer."""

    path: Path
    source: str
    sha: str


class Ledger:
    """The planned inputs by request key and the records written for them."""

    def __init__(
        self, extractor: Extractor[BaseModel], sink: RecordSink, stats: BatchApiStats
    ) -> None:
        self.extractor, self.sink, self.stats = extractor, sink, stats
        self.run_key = extractor.run_key
        self.as_of = extractor.as_of.isoformat()
        self.index: dict[str, list[Planned]] = {}
        self.written: set[DoneKey] = set()

    def skip(self, key: DoneKey) -> bool:
        """True (and counted) when OUT already holds a record for ``key``."""
        return skip_done(self.sink, self.stats, key)

    def unfinished(self) -> int:
        """Planned inputs with no record yet."""
        return sum(len(self.pending(key)) for key in self.index)

    def pending(self, key: str) -> list[Planned]:
        """The inputs waiting for ``key``'s answer (none once their records are written)."""
        return [
            p
            for p in self.index.get(key, ())
            if (p.source, p.sha, self.run_key) not in self.written
        ]

    def load(self, planned: Planned) -> Document | None:
        """``planned``'s document again (None when the file changed or went away since the
        walk: the next run plans it anew)."""
        try:
            raw = read_input(planned.path)
        except ExtractorError:
            return None
        return prepare(raw, planned.path.name) if sha256_hex(raw) == planned.sha else None

    def answer(self, key: str, answer: Any, batch: Usage) -> None:
        """Write the record of every input waiting for ``key`` from one answer."""
        first = True
        for planned in self.pending(key):
            doc = self.load(planned)
            if doc is None:
                continue
            usage = batch if first else Usage()
            try:
                outcome = self.extractor.finish_answer(answer, doc)
            except Exception as exc:
                self.write(self.failure_record(planned.source, planned.sha, exc, doc), batch=usage)
            else:
                self.write(self.ok(planned, outcome, first), batch=usage)
            first = False

    def ok(self, planned: Planned, outcome: Outcome[BaseModel], first: bool) -> Record:
        if not first:  # an identical request: answered once, its cost on the first record
            warnings = (*outcome.warnings, SHARED)
            outcome = dataclasses.replace(outcome, usage=Usage(), cached=True, warnings=warnings)
        return Record.ok(planned.source, planned.sha, outcome, **self._keys())

    def fail(self, key: str, exc: BaseException, batch: Usage) -> None:
        """Write an error record for every input waiting for ``key``."""
        for number, planned in enumerate(self.pending(key)):
            record = self.failure_record(planned.source, planned.sha, exc)
            if number:
                record = dataclasses.replace(record, usage=Usage())
            self.write(record, batch=Usage() if number else batch)

    def _keys(self) -> dict[str, Any]:
        return {"run_key": self.run_key, "as_of": self.as_of}

    def failure_record(
        self, source: str, sha: str | None, exc: BaseException, doc: Document | None = None
    ) -> Record:
        ex = self.extractor
        return Record.failure(
            source, sha, exc, task=ex.task.name, backend=ex.backend, model=ex.model_name,
            warnings=doc.warnings if doc is not None else (), **self._keys(),
        )  # fmt: skip

    def write(self, record: Record, batch: Usage | None = None) -> None:
        """Write ``record`` once; ``batch`` is the part of its usage billed at the batch price."""
        if record.done_key in self.written:
            return
        self.sink.write(record)
        self.written.add(record.done_key)
        stats = self.stats
        if record.status == "ok":
            stats.ok += 1
            stats.cached += record.cached
        else:
            stats.failed += 1
        stats.usage = stats.usage + record.usage
        if batch is not None:
            stats.batch_usage = stats.batch_usage + batch
