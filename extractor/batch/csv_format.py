"""CSV output for ``extractor run --format csv``: one row per record, nested fields flattened.

Columns, in order: the record's own fields as :meth:`Record.columns` flattens them (``source,
sha256, task, status, backend, model, cached, error_type, error_message, prompt_tokens,
completion_tokens, requests, warnings, run_key, as_of``), then one column per field of the task's
schema, computed fields included (``pay.annual_min``), flattened so a spreadsheet can read it:

- a nested model becomes one column per subfield, dotted: ``pay.min``, ``pay.currency``,
  ``posted.date``; anything nested deeper is written as compact JSON;
- a list of models is one column, items joined with ``"; "``, each item written as its ``text``
  field when it has one (``locations``: ``"Berlin, Germany; Remote (EU)"``), else as its values
  joined with ``", "``;
- a list of plain values is one column joined with ``" | "`` (``skills``: ``"Python | SQL"``);
- ``true``/``false`` for booleans, an empty cell for null.

``evidence`` and ``unsupported`` are left out (use JSONL for them). Every record is one physical
line: line breaks inside values become spaces, so the file is resumable exactly like JSONL (torn
last line repaired, done inputs skipped, ``--retry-errors`` rewrites without error rows). The
header is checked on resume: a file written for another task's columns is refused.
"""

from __future__ import annotations

import csv
import io
import json
import types
import typing
from typing import Any

from pydantic import BaseModel

from extractor.batch.record import COLUMNS, Done, Record

__all__ = ["CsvFormat", "data_columns", "flatten"]

ITEM_SEP = "; "
VALUE_SEP = " | "


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model class of ``Model`` or ``Model | None``, else None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return _nested_model(members[0])
    return None


def data_columns(schema: type[BaseModel]) -> list[str]:
    """The data columns of ``schema``: top-level fields, nested models one level dotted."""
    columns: list[str] = []
    for name, info in schema.model_fields.items():
        nested = _nested_model(info.annotation)
        if nested is None:
            columns.append(name)
        else:
            subs = [*nested.model_fields, *nested.model_computed_fields]
            columns.extend(f"{name}.{sub}" for sub in subs)
    return columns


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        if any(isinstance(item, dict) for item in value):
            return ITEM_SEP.join(_item(item) for item in value)
        return VALUE_SEP.join(_cell(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return " ".join(str(value).splitlines())


def _item(item: Any) -> str:
    if isinstance(item, dict):
        if isinstance(item.get("text"), str):
            return _cell(item["text"])
        return ", ".join(_cell(v) for v in item.values() if v not in (None, [], ""))
    return _cell(item)


def flatten(record: Record, columns: list[str]) -> list[str]:
    """The CSV cells of one record, in ``COLUMNS + columns`` order."""
    cells = [_cell(value) for value in record.columns().values()]
    data = record.data or {}
    for column in columns:
        name, _, sub = column.partition(".")
        value = data.get(name)
        if sub:
            value = value.get(sub) if isinstance(value, dict) else None
        cells.append(_cell(value))
    return cells


class CsvFormat:
    """The CSV line format of one task's records (see the module docstring)."""

    name = "csv"

    def __init__(self, schema: type[BaseModel]) -> None:
        self.columns = data_columns(schema)
        self._header = self._line([*COLUMNS, *self.columns])

    @staticmethod
    def _line(cells: list[str]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(
            [" ".join(c.splitlines()) if "\n" in c or "\r" in c else c for c in cells]
        )
        return buffer.getvalue()

    def header(self) -> str | None:
        return self._header

    def encode(self, record: Record) -> str:
        return self._line(flatten(record, self.columns))

    def decode(self, line: bytes) -> Done | None:
        text = line.decode("utf-8")
        if text == self._header:
            return None
        rows = list(csv.reader([text]))
        if len(rows) != 1 or len(rows[0]) < len(COLUMNS):
            raise ValueError("not a record row")
        row = dict(zip(COLUMNS, rows[0], strict=False))
        return Done((row["source"], row["sha256"], row["run_key"]), row["status"] == "ok")
