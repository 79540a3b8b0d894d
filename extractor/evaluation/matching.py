"""Compare two values of one kind, and pair up two lists one to one.

Strict by design: these counts back published figures, so a near miss is a miss.

- Text is normalised first: case-folded, whitespace collapsed, punctuation and symbols stripped
  at both ends (so "• Python;" equals "python").
- ``exact``: equal after normalisation. ``date``: equal as ISO strings. ``bool``: equal.
- ``number``: equal (to within float rounding, 1e-9 relative): 45000 != 45100.
- ``text`` (free text: titles, names, places, list items): the normalised Levenshtein similarity
  ``100 * (1 - distance / max(len(a), len(b)))`` of the normalised strings, at least
  ``threshold`` (default 90). 90 lets a long value differ by about one character in ten (a
  typo, a dropped accent, "data-warehouse" for "data warehouse") and nothing more. Containment
  never matches: when one normalised string is a proper part of the other ("Data Engineer" in
  "Data Engineer - Berlin", or a bullet cut short), the score is 0 however long they are, since
  a value with something glued on (or cut off) is a different value. Word order counts (no
  token sorting): "Engineer, Data" is not "Data Engineer".
- Lists are paired greedily best-first on the score matrix: the highest-scoring pair is taken,
  both items leave the pool, and so on; an item is never paired twice.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from rapidfuzz.distance import Levenshtein

from extractor.evaluation.fields import Kind

DEFAULT_THRESHOLD = 90.0
NUMBER_TOLERANCE = 1e-9  # float rounding only

T = TypeVar("T")
U = TypeVar("U")

_SPACE = re.compile(r"\s+")


def normalize_text(value: Any) -> str:
    """Case-fold, collapse whitespace and strip punctuation/symbols at both ends."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    text = _SPACE.sub(" ", text.casefold()).strip()
    start, end = 0, len(text)
    while start < end and _is_edge_junk(text[start]):
        start += 1
    while end > start and _is_edge_junk(text[end - 1]):
        end -= 1
    return text[start:end]


def _is_edge_junk(char: str) -> bool:
    return char.isspace() or unicodedata.category(char)[0] in "PS"


def is_blank(value: Any) -> bool:
    """True for values that count as absent: None, empty or punctuation-only text, empty lists."""
    if value is None:
        return True
    if isinstance(value, str):
        return normalize_text(value) == ""
    return isinstance(value, list | dict) and not value


def similarity(kind: Kind, gold: Any, pred: Any) -> float:
    """Score 0-100 of how well ``pred`` matches ``gold``; non-text kinds score 0 or 100."""
    if kind == "text":
        return text_similarity(normalize_text(gold), normalize_text(pred))
    return 100.0 if values_equal(kind, gold, pred) else 0.0


def text_similarity(a: str, b: str) -> float:
    """Normalised Levenshtein similarity (0-100) of two normalised strings; 0 when one is a
    proper part of the other."""
    if a == b:
        return 100.0
    if a in b or b in a:
        return 0.0
    return 100.0 * Levenshtein.normalized_similarity(a, b)


def values_equal(kind: Kind, gold: Any, pred: Any) -> bool:
    """Equality for the non-fuzzy kinds (``text`` here means equal after normalisation)."""
    if kind == "number":
        number_gold, number_pred = _as_number(gold), _as_number(pred)
        if number_gold is not None and number_pred is not None:
            scale = max(abs(number_gold), abs(number_pred))
            return abs(number_gold - number_pred) <= NUMBER_TOLERANCE * scale
    if kind == "bool" and isinstance(gold, bool) and isinstance(pred, bool):
        return gold is pred
    return normalize_text(gold) == normalize_text(pred)


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    try:
        number = float(str(value).replace(",", ""))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def match_one_to_one(
    gold: Sequence[T],
    pred: Sequence[U],
    score: Callable[[T, U], float],
    threshold: float,
) -> list[tuple[int, int]]:
    """Pair indices of ``gold`` and ``pred`` best-first; only pairs scoring >= ``threshold``."""
    candidates = [
        (value, g, p)
        for g, gold_item in enumerate(gold)
        for p, pred_item in enumerate(pred)
        if (value := score(gold_item, pred_item)) >= threshold
    ]
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, g, p in candidates:
        if g not in used_gold and p not in used_pred:
            used_gold.add(g)
            used_pred.add(p)
            pairs.append((g, p))
    return sorted(pairs)
