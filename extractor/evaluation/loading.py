"""Read the gold directory and the predictions JSONL into plain JSON values keyed by document id.

A document id is a file stem: ``gold/abc.json`` is the gold for the input ``gold/abc.txt``, and a
prediction record belongs to it when ``Path(record["source"]).stem == "abc"``. Both sides are
validated with the task's model and dumped in JSON mode, so they are compared in the same
normalised shape (country codes, ISO dates...). Bad gold is fatal (``InputError``); bad
prediction lines are skipped and reported as warnings with their line number.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from extractor.batch.record import Record
from extractor.errors import InputError
from extractor.evaluation.asof import parse_day


@dataclass
class Predictions:
    """Usable predictions by document id, plus what could not be used."""

    data: dict[str, dict[str, Any]] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    as_of: dict[str, date | None] = field(default_factory=dict)  # each record's as-of day


def load_gold(gold_dir: Path, model: type[BaseModel]) -> dict[str, dict[str, Any]]:
    """Validate every ``<id>.json`` in ``gold_dir``; raise ``InputError`` on the first bad one."""
    if not gold_dir.is_dir():
        raise InputError(f"gold directory not found: {gold_dir}")
    paths = sorted(gold_dir.glob("*.json"))
    if not paths:
        raise InputError(f"no gold files (*.json) in {gold_dir}")
    gold: dict[str, dict[str, Any]] = {}
    for path in paths:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"{path}: cannot read gold JSON: {_one_line(exc)}") from exc
        try:
            gold[path.stem] = _validated(raw, model)
        except ValidationError as exc:
            raise InputError(f"{path}: gold does not fit {model.__name__}: {_first(exc)}") from exc
    return gold


def load_predictions(path: Path, model: type[BaseModel]) -> Predictions:
    """Read ``extractor run`` JSONL records; skip bad lines with a warning naming the line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read predictions {path}: {_one_line(exc)}") from exc
    found = Predictions()
    for number, line in enumerate(lines, start=1):
        if line.strip():
            _read_record(found, f"{path}:{number}", line, model)
    return found


def _read_record(found: Predictions, where: str, line: str, model: type[BaseModel]) -> None:
    try:
        record = Record.from_line(line)
    except ValueError as exc:
        found.warnings.append(f"{where}: skipped, {_one_line(exc)}")
        return
    doc_id = Path(record.source).stem
    if doc_id in found.data or doc_id in found.failed:
        found.warnings.append(f"{where}: a later record for {doc_id!r} replaces an earlier one")
        found.data.pop(doc_id, None)
        found.failed.discard(doc_id)
    found.as_of[doc_id] = parse_day(record.as_of)
    if record.as_of is not None and found.as_of[doc_id] is None:
        found.warnings.append(f"{where}: as_of is not a date like 2026-11-22")
    if record.status != "ok" or record.data is None:
        found.failed.add(doc_id)
        return
    try:
        found.data[doc_id] = _validated(record.data, model)
    except ValidationError as exc:
        found.failed.add(doc_id)
        found.warnings.append(f"{where}: data does not fit {model.__name__}: {_first(exc)}")


def _validated(raw: Any, model: type[BaseModel]) -> dict[str, Any]:
    """Validate ``raw`` (computed fields such as ``annual_min`` dropped) and dump it as JSON."""
    return model.model_validate(_drop_computed(raw, model)).model_dump(mode="json")


def _drop_computed(raw: Any, model: type[BaseModel]) -> Any:
    if not isinstance(raw, dict):
        return raw
    kept = {k: v for k, v in raw.items() if k not in model.model_computed_fields}
    for name, info in model.model_fields.items():
        nested = _nested_model(info.annotation)
        if nested is not None and name in kept:
            value = kept[name]
            kept[name] = (
                [_drop_computed(item, nested) for item in value]
                if isinstance(value, list)
                else _drop_computed(value, nested)
            )
    return kept


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside ``M``, ``M | None`` or ``list[M]``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _nested_model(arg)
        if found is not None:
            return found
    return None


def _first(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"]) or "(root)"
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where}: {error['msg']}{more}"


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
