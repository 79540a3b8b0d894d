"""``extract_dataset``: a Ray Dataset of postings in, a Dataset of records out.

Each actor of the pool holds one :class:`~extractor.batch.rows.RowRunner` (one extractor: one
HTTP client, one cache) and runs the library's batch path over every batch it is handed. Actors
ask for a fraction of a CPU: they wait on the network, and on a small machine whole-CPU actors
leave no CPU for the tasks that read the data (the job hangs).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

import pyarrow as pa
import ray.data
from pydantic import BaseModel

from extractor.batch.record import DoneKey, Record
from extractor.batch.rows import RowRunner, record_row
from extractor.errors import ConfigError
from extractor.extraction import Extractor
from extractor.ray.gate import ClusterGate
from extractor.ray.limiter import cluster_limiter
from extractor.settings import Settings
from extractor.tasks import DEFAULT_TASK, Task

RECORD_SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("sha256", pa.string()),
        ("task", pa.string()),
        ("status", pa.string()),
        ("backend", pa.string()),
        ("model", pa.string()),
        ("cached", pa.bool_()),
        ("data", pa.string()),
        ("error", pa.string()),
        ("usage", pa.string()),
        ("warnings", pa.list_(pa.string())),
        ("evidence", pa.string()),
        ("unsupported", pa.string()),
        ("run_key", pa.string()),
        ("as_of", pa.string()),
    ]
)
"""The columns of an output Dataset: a record's fields, objects as JSON text."""

DEFAULT_LIMITER = "extractor-limiter"


def missing_column(column: str, names: list[str]) -> str:
    return f"the dataset has no column {column!r} (columns: {', '.join(names)})"


def records_table(records: list[Record]) -> pa.Table:
    """Records as an Arrow table of :data:`RECORD_SCHEMA`."""
    return pa.Table.from_pylist([record_row(r) for r in records], schema=RECORD_SCHEMA)


class ExtractBatches:
    """The ``map_batches`` callable: built once per actor, called once per batch."""

    def __init__(
        self,
        task: str | Path | Task[Any] | type[BaseModel],
        settings: Settings,
        limiter: Any,
        limits: dict[str, Any],
        column: str,
        source: str,
        done: Collection[DoneKey],
    ) -> None:
        gate = ClusterGate(limiter, **limits)
        concurrency = limits["max_in_flight"]
        self.runner = RowRunner(
            task, settings, gate=gate, concurrency=concurrency, done=done, column=column
        )
        self.column, self.source = column, source

    def __call__(self, batch: pa.Table) -> pa.Table:
        if self.column not in batch.column_names:
            raise ConfigError(missing_column(self.column, batch.column_names))
        texts = batch.column(self.column).to_pylist()
        sources = (
            batch.column(self.source).to_pylist() if self.source in batch.column_names else None
        )
        return records_table(self.runner.run(texts, sources))


def extract_dataset(
    ds: ray.data.Dataset,
    *,
    task: str | Path | Task[Any] | type[BaseModel] = DEFAULT_TASK,
    column: str = "text",
    source: str = "source",
    settings: Settings | None = None,
    rpm: float | None = None,
    tpm: float | None = None,
    concurrency: int = 8,
    actors: int = 2,
    batch_size: int = 64,
    num_cpus: float = 0.25,
    done: Collection[DoneKey] = (),
    limiter: str = DEFAULT_LIMITER,
) -> ray.data.Dataset:
    """Extract the text in ``column`` of every row of ``ds``: one record row per row.

    - ``source`` names the column that identifies a row in its record (a row without one is
      named ``sha256:<hex>`` of its text); the text is ``str`` or ``bytes``.
    - ``concurrency``, ``rpm`` and ``tpm`` are limits for the whole cluster, held by one named
      limiter actor (``limiter``): jobs naming the same limiter share one budget.
    - ``actors`` workers, each with ``num_cpus`` of a CPU, get ``batch_size`` rows at a time.
    - Rows whose key (``Record.done_key``) is in ``done`` give no row (resuming a run).

    Output columns are :data:`RECORD_SCHEMA`; a bad row is an error row, never a failed job.
    Raises ``ConfigError`` before anything runs when the task, settings or column are wrong.
    """
    if concurrency < 1 or actors < 1 or batch_size < 1:
        raise ConfigError("concurrency, actors and batch_size must each be at least 1")
    settings = settings if settings is not None else Settings.from_env()
    with Extractor(task, settings) as probe:  # a wrong task or endpoint fails here, not in N actors
        probe.check_endpoint()
    schema = ds.schema(fetch_if_missing=False)  # known without reading? (else actors check)
    if schema is not None and column not in schema.names:
        raise ConfigError(missing_column(column, schema.names))
    limits = {"rpm": rpm, "tpm": tpm, "max_in_flight": concurrency}
    handle = cluster_limiter(limiter, rpm=rpm, tpm=tpm, max_in_flight=concurrency)
    return ds.map_batches(
        ExtractBatches,
        fn_constructor_kwargs={
            "task": task,
            "settings": settings,
            "limiter": handle,
            "limits": limits,
            "column": column,
            "source": source,
            "done": done,
        },
        batch_size=batch_size,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=actors),
        num_cpus=num_cpus,
    )
