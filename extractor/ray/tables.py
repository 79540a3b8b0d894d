"""Parquet and JSONL in and out, resumable: what a data lake keeps.

A path's format comes from its suffix (``.parquet``; ``.jsonl``, ``.ndjson`` or ``.json``) or
``fmt``. Inputs may be a file or a folder of files, local or on any filesystem pyarrow reads
(``s3://``, ``gs://``...). Outputs are folders of files (one per block, as Ray writes them):
Parquet with the columns of :data:`~extractor.ray.dataset.RECORD_SCHEMA`, or JSONL whose every
line is a :class:`~extractor.Record` line, exactly as ``extractor run`` writes it. Writing to a
folder that holds records already adds files: :func:`extract_table` first reads the keys it
holds and skips those rows, so a re-run does only what is missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import ray.data
from pydantic import BaseModel
from ray.data.block import BlockAccessor
from ray.data.datasource import BlockBasedFileDatasink

from extractor.batch.record import DoneKey, Record
from extractor.batch.rows import row_record
from extractor.errors import ConfigError
from extractor.ray.dataset import extract_dataset
from extractor.settings import Settings
from extractor.tasks import DEFAULT_TASK, Task

SUFFIXES = {".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}
KEY_COLUMNS = ["source", "sha256", "run_key"]


def table_format(path: str, fmt: str | None = None) -> str:
    """``parquet`` or ``jsonl``: ``fmt``, else from the suffix of ``path``."""
    name = fmt or SUFFIXES.get(Path(path.rstrip("/")).suffix.lower())
    if name not in ("parquet", "jsonl"):
        raise ConfigError(f"cannot tell the format of {path}: name it .parquet or .jsonl")
    return name


def read_table(path: str, *, fmt: str | None = None) -> ray.data.Dataset:
    """A Parquet or JSONL file or folder as a Dataset."""
    if table_format(path, fmt) == "parquet":
        return ray.data.read_parquet(path)
    return ray.data.read_json(path, lines=True)


class JsonlRecords(BlockBasedFileDatasink):
    """Writes record rows as JSONL files of :meth:`Record.to_line` lines."""

    def __init__(self, path: str) -> None:
        super().__init__(path, file_format="jsonl")

    def write_block_to_file(self, block: BlockAccessor, file: Any) -> None:
        table: pa.Table = block.to_arrow()
        file.write("".join(row_record(r).to_line() for r in table.to_pylist()).encode())


def write_records(ds: ray.data.Dataset, path: str, *, fmt: str | None = None) -> None:
    """Write a Dataset of record rows to a Parquet or JSONL folder (adding to what is there)."""
    if table_format(path, fmt) == "parquet":
        ds.write_parquet(path)
    else:
        ds.write_datasink(JsonlRecords(path))


def done_keys(path: str, *, fmt: str | None = None) -> set[DoneKey]:
    """The keys (``Record.done_key``) of the records an output folder already holds."""
    if not Path(path).exists() and "://" not in path:
        return set()
    keys: set[DoneKey] = set()
    if table_format(path, fmt) == "parquet":
        ds = ray.data.read_parquet(path).select_columns(KEY_COLUMNS)
        batch: Any
        for batch in ds.iter_batches(batch_format="pyarrow", batch_size=65536):
            keys.update(_keys(batch.to_pylist()))
        return keys
    for batch in ray.data.read_text(path).iter_batches(batch_format="pyarrow"):
        for line in batch.column("text").to_pylist():
            try:
                keys.add(Record.from_line(line).done_key)
            except ValueError:
                continue  # a torn line: its input is done again
    return keys


def _keys(rows: Iterable[dict[str, Any]]) -> Iterable[DoneKey]:
    for row in rows:
        yield (str(row["source"]), row["sha256"] or "", str(row["run_key"]))


def extract_table(
    source: str,
    output: str,
    *,
    column: str = "text",
    source_column: str = "source",
    task: str | Path | Task[Any] | type[BaseModel] = DEFAULT_TASK,
    settings: Settings | None = None,
    rpm: float | None = None,
    tpm: float | None = None,
    concurrency: int = 8,
    actors: int = 2,
    input_format: str | None = None,
    output_format: str | None = None,
) -> None:
    """Extract a Parquet or JSONL table of postings into a Parquet or JSONL folder of records,
    skipping the rows whose records the folder already holds."""
    out_fmt = table_format(output, output_format)
    ds = read_table(source, fmt=input_format)
    done = done_keys(output, fmt=out_fmt)
    records = extract_dataset(
        ds,
        task=task,
        column=column,
        source=source_column,
        settings=settings,
        rpm=rpm,
        tpm=tpm,
        concurrency=concurrency,
        actors=actors,
        done=done,
    )
    write_records(records, output, fmt=out_fmt)
