"""Paths to values in a record ("title", "pay.min", "skills[2]", "locations[0].country"):
walking a record's JSON data into the values that need evidence, and removing values.

A nested object with a ``text`` field (``pay``, ``posted``, ``locations[0]``) is one value, the
text it was written as; its other fields are values derived from that text, with their own
paths. ``text`` itself has no separate path. Empty values (None, "", [], {}, False) need no
evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
TEXT_KEY = "text"


@dataclass(frozen=True, slots=True)
class Value:
    """One value of a record that needs evidence.

    ``field`` is the path without list indices ("locations.country"); ``parent`` is the path of
    the object a derived value belongs to ("locations[0]" for "locations[0].country").
    """

    path: str
    field: str
    value: Any
    parent: str | None = None


def is_empty(value: Any) -> bool:
    return value is None or value is False or value == "" or value == [] or value == {}


def walk(data: dict[str, Any]) -> Iterator[Value]:
    """Every non-empty value of ``data`` (a record dumped to JSON), parents before children."""
    for name, value in data.items():
        yield from _walk(name, name, value, None)


def _walk(path: str, field: str, value: Any, parent: str | None) -> Iterator[Value]:
    if is_empty(value):
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(f"{path}[{i}]", field, item, parent)
        return
    if isinstance(value, dict):
        anchor = value.get(TEXT_KEY)
        if isinstance(anchor, str) and anchor.strip():
            yield Value(path, field, anchor, parent)
            parent = path
        for key, sub in value.items():
            if key != TEXT_KEY:
                yield from _walk(f"{path}.{key}", f"{field}.{key}", sub, parent)
        return
    yield Value(path, field, value, parent)


def steps(path: str) -> list[str | int]:
    """``"locations[0].city"`` -> ``["locations", 0, "city"]``."""
    return [int(index) if index else name for name, index in _STEP.findall(path)]


def remove(data: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    """A copy of ``data`` without the values at ``paths``: list items are removed, other values
    set to None (a nested object's path removes the whole object)."""
    import copy

    out = copy.deepcopy(data)
    # Deepest and highest indices first, so removing one never shifts another still to remove.
    for path in sorted(set(paths), key=_removal_order, reverse=True):
        _remove_one(out, steps(path))
    return out


def _removal_order(path: str) -> tuple[Any, ...]:
    return tuple((1, s) if isinstance(s, int) else (0, s) for s in steps(path))


def _remove_one(data: Any, path: list[str | int]) -> None:
    container = data
    for step in path[:-1]:
        try:
            container = container[step]
        except (KeyError, IndexError, TypeError):
            return  # already gone with its parent
    last = path[-1]
    if isinstance(container, list) and isinstance(last, int) and last < len(container):
        del container[last]
    elif isinstance(container, dict) and isinstance(last, str) and last in container:
        container[last] = None


def reindex(path: str, removed: set[str]) -> str | None:
    """Where ``path`` is after the list items in ``removed`` are gone (None if it went too)."""
    parts = steps(path)
    out: list[str | int] = []
    for i, step in enumerate(parts):
        if isinstance(step, int):
            prefix = render(out)
            if render([*out, step]) in removed:
                return None
            gone = sum(1 for j in range(step) if f"{prefix}[{j}]" in removed)
            out.append(step - gone)
        else:
            if render(parts[: i + 1]) in removed and i == len(parts) - 1:
                return None
            out.append(step)
    return render(out)


def render(parts: list[str | int]) -> str:
    text = ""
    for step in parts:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text
