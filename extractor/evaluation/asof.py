"""The day a labelled set was labelled as of, and the check that predictions were made as of it.

Relative dates ("Posted 3 days ago", "vor 1 Tag", "12 March" with no year) mean a different day
depending on when they are read, so a gold label and a prediction agree only if both were
resolved against the same day. A gold folder states that day in ``SET.yaml``::

    as_of: 2026-11-22  # the day relative dates in these labels were resolved against

and each ``extractor run`` record states the day it used in its ``as_of`` field (older records
may lack it). ``check_as_of`` refuses (``InputError``) to score when a record's day differs from
the set's, or when the set has relative dates and no ``SET.yaml`` day; it only warns when the
records do not say their day. A gold value counts as relative when it is a dated text (an
object with ``text`` and a non-null ISO ``date``) whose text does not write the date's year in
four digits: "Posted 3 days ago" and "12 March" are relative, "Sep 15, 2025" is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from extractor.errors import InputError

SET_FILE = "SET.yaml"


def read_set_as_of(gold_dir: Path) -> date | None:
    """The ``as_of`` day in ``gold_dir/SET.yaml``; None when there is no such file or key."""
    path = gold_dir / SET_FILE
    if not path.is_file():
        return None
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: cannot read: {' '.join(str(exc).split())}") from exc
    if content is None:
        return None
    if not isinstance(content, dict):
        raise InputError(f"{path}: expected a mapping such as 'as_of: 2026-11-22'")
    value = content.get("as_of")
    if value is None:
        return None
    day = parse_day(value)
    if day is None:
        raise InputError(f"{path}: as_of must be a date like 2026-11-22, not {value!r}")
    return day


def parse_day(value: Any) -> date | None:
    """An ISO day from a string (or a date); None for anything else (a date with a time too)."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def relative_dates(gold: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """``(doc_id, text)`` of each gold dated text whose text does not write its year."""
    for doc_id, data in gold.items():
        for text, day in _dated_texts(data):
            if not re.search(rf"(?<!\d){day.year}(?!\d)", text):
                yield doc_id, text


def check_as_of(
    gold_dir: Path,
    set_day: date | None,
    gold: Mapping[str, Any],
    prediction_days: Mapping[str, date | None],
) -> list[str]:
    """Raise ``InputError`` when the predictions cannot be scored against this set's dates;
    return warnings otherwise. ``prediction_days`` maps a document id to its record's day."""
    if set_day is None:
        relative = next(relative_dates(gold), None)
        if relative is None:
            return []
        doc_id, text = relative
        raise InputError(
            f"{gold_dir} has relative dates (e.g. {doc_id}: {text!r}) but no as-of date: add "
            f"{gold_dir / SET_FILE} with 'as_of: YYYY-MM-DD' (the day they were labelled) and "
            "re-run `extractor run` with that --as-of"
        )
    others = sorted({day for day in prediction_days.values() if day and day != set_day})
    if others:
        days = ", ".join(day.isoformat() for day in others)
        raise InputError(
            f"predictions were made as of {days} but {gold_dir} is labelled as of "
            f"{set_day.isoformat()}: re-run `extractor run` with --as-of {set_day.isoformat()}"
        )
    unknown = sum(day is None for day in prediction_days.values())
    if unknown:
        return [
            f"{unknown} prediction(s) do not say their as-of date; scored as if made with "
            f"--as-of {set_day.isoformat()}, the day {gold_dir} is labelled as of"
        ]
    return []


def _dated_texts(value: Any) -> Iterator[tuple[str, date]]:
    if isinstance(value, dict):
        text, day = value.get("text"), parse_day(value.get("date"))
        if isinstance(text, str) and day is not None:
            yield text, day
        for child in value.values():
            yield from _dated_texts(child)
    elif isinstance(value, list):
        for child in value:
            yield from _dated_texts(child)
