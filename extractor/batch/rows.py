"""Rows of a table in, one record per row out: the batch path for engines that hand over
batches of rows (Ray Data's ``map_batches``, Spark's ``mapInPandas``).

:class:`RowRunner` holds one extractor and one event loop for its whole life (build one per
worker, not per batch) and runs :class:`~extractor.batch.runner.BatchRunner` over each batch, so
a row gets exactly what a file gets: the same cleaning, retries, rate gate, sharing of identical
texts, and :class:`~extractor.batch.record.Record`. A row's text is ``str`` or ``bytes``;
anything else, or a text that does not clean, is an error record, never an exception.

:func:`record_row` flattens a record into a row of the same fields (nested values as JSON text,
so every engine stores them as plain strings) and :func:`row_record` reads one back.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any

from pydantic import BaseModel

from extractor.batch.inputs import InputItem
from extractor.batch.record import FIELDS, DoneKey, Record, sha256_hex
from extractor.batch.runner import BatchOptions, BatchRunner
from extractor.batch.sink import RecordSink
from extractor.errors import InputError
from extractor.extraction import Extractor
from extractor.llm.ratelimit import RateGate
from extractor.settings import Settings
from extractor.tasks import DEFAULT_TASK, Task

JSON_COLUMNS: tuple[str, ...] = ("data", "error", "usage", "evidence", "unsupported")
"""Record fields that are objects or lists of objects: JSON text in a row."""
ROW_COLUMNS: tuple[str, ...] = FIELDS
"""The columns of a record row, in the record's order (``warnings`` is a list of strings)."""


def row_item(text: object, source: object = None, *, column: str = "text") -> InputItem:
    """One row as a batch input: its text (``str`` or ``bytes``) and the source to record.

    A row with no source column is named by its bytes (``sha256:<hex>``). A text of another
    type, or ``str`` that is not valid Unicode, becomes an input whose problem is the reason.
    """
    content: bytes | None = None
    problem: InputError | None = None
    if isinstance(text, bytes | bytearray | memoryview):
        content = bytes(text)
    elif isinstance(text, str):
        try:
            content = text.encode("utf-8")
        except UnicodeEncodeError:
            problem = InputError(f"the text in column {column!r} is not valid Unicode")
    elif text is None:
        problem = InputError(f"no text in column {column!r}")
    else:
        problem = InputError(f"column {column!r} holds {type(text).__name__}, not text or bytes")
    if source is not None:
        label = str(source)
    else:
        label = f"sha256:{sha256_hex(content)}" if content is not None else "row"
    name = PurePosixPath(label).name or "row"
    return InputItem(Path(name), problem=problem, content=content, label=label)


def record_row(record: Record) -> dict[str, Any]:
    """A record as one flat row: its fields, objects and lists of objects as JSON text."""
    row = record.to_dict()
    for name in JSON_COLUMNS:
        if row[name] is not None:
            row[name] = json.dumps(row[name], ensure_ascii=False, separators=(",", ":"))
    return row


def row_record(row: Mapping[str, Any]) -> Record:
    """The record a row of :func:`record_row` holds; ``ValueError`` when it holds none."""
    raw = dict(row)
    for name in JSON_COLUMNS:
        if isinstance(raw.get(name), str):
            raw[name] = json.loads(raw[name])
    if raw.get("warnings") is not None:
        raw["warnings"] = [str(w) for w in raw["warnings"]]
    return Record.from_dict(raw)


class MemorySink(RecordSink):
    """A sink that keeps records in a list; ``done`` keys (from an earlier run) are skipped."""

    def __init__(self, done: Collection[DoneKey] = ()) -> None:
        super().__init__(None)
        self.records: list[Record] = []
        self._done = done

    def is_done(self, key: DoneKey) -> bool:
        return key in self._done

    def write(self, record: Record) -> None:
        self.records.append(record)


class RowRunner:
    """One extractor and one event loop, for batch after batch of rows (one per worker).

    >>> with RowRunner("job_posting", settings, concurrency=8) as runner:   # doctest: +SKIP
    ...     records = runner.run(["Barista\\nAcme", b"..."], sources=["a", "b"])

    ``done`` holds the keys (:attr:`Record.done_key`) of rows an earlier run already wrote:
    those rows give no record. Records come in the order they finish.
    """

    def __init__(
        self,
        task: str | Path | Task[Any] | type[BaseModel] = DEFAULT_TASK,
        settings: Settings | None = None,
        *,
        gate: RateGate | None = None,
        concurrency: int = 8,
        done: Collection[DoneKey] = (),
        column: str = "text",
    ) -> None:
        self.extractor: Extractor[Any] = Extractor(task, settings, gate=gate)
        self.extractor.check_endpoint()
        self.concurrency = concurrency
        self.done = done
        self.column = column
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="extractor-rows", daemon=True
        )
        self._thread.start()

    def run(self, texts: Sequence[object], sources: Sequence[object] | None = None) -> list[Record]:
        """One record per row of ``texts`` (named by ``sources``) not already done."""
        names: Sequence[object] = sources if sources is not None else [None] * len(texts)
        items = [row_item(t, s, column=self.column) for t, s in zip(texts, names, strict=True)]
        sink = MemorySink(self.done)
        runner = BatchRunner(self.extractor, sink, BatchOptions(concurrency=self.concurrency))
        asyncio.run_coroutine_threadsafe(runner.run(items), self._loop).result()
        return sink.records

    def close(self) -> None:
        if not self._thread.is_alive():
            return
        try:
            asyncio.run_coroutine_threadsafe(self.extractor.aclose(), self._loop).result()
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
            self._loop.close()

    def __enter__(self) -> RowRunner:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
