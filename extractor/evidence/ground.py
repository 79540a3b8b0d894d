"""Grounding: which values of a record the source supports, with the span that shows it.

    ground(source, data, candidates, as_of=...)  -> Grounding(evidence, unsupported)
    settle(schema, data, grounding, keep=False)  -> the record without unsupported values

``candidates`` are spans offered as evidence, whatever produced them: the LLM's quotes aligned to
the source, or the offline rules' spans. A candidate counts for a value only when the value (or
the text it was normalised from) is found inside it (:func:`extractor.evidence.derive.locate`):
a real quote attached to a made-up value proves nothing. A value no candidate supports is then
looked for in the whole source; a value derived from a nested object's text ("pay.min" from
"pay") is looked for only near that text. What is found nowhere is unsupported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError

from extractor.document import Evidence, MatchKind, Unsupported
from extractor.evidence.align import SourceIndex
from extractor.evidence.derive import HOLISTIC, Context, Found, Span, locate
from extractor.evidence.paths import Value, reindex, remove, steps, walk

WINDOW = 100
"""Characters around a nested object's text searched for the values derived from it."""

_STRENGTH: dict[str, int] = {"exact": 0, "normalized": 1, "fuzzy": 2}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A source span offered as evidence for the value at ``path``."""

    path: str
    start: int
    end: int
    match: MatchKind


@dataclass(slots=True)
class Grounding:
    evidence: list[Evidence] = field(default_factory=list)
    unsupported: list[Unsupported] = field(default_factory=list)


def ground(
    source: str,
    data: dict[str, Any],
    candidates: Iterable[Candidate],
    *,
    as_of: date,
    unaligned: Iterable[str] = (),
    index: SourceIndex | None = None,
    regions: Sequence[Span] | None = None,
) -> Grounding:
    """Evidence for every non-empty value of ``data`` (JSON, computed fields excluded).

    ``unaligned`` names paths whose quote was not found in the source (for the reason text).
    ``regions`` are the source ranges evidence may come from (default: all of it); the pipeline
    passes the text the cleaner kept plus the page facts, so a value found only in a dropped
    "similar jobs" list or ad is unsupported.
    """
    ctx = Context(index or SourceIndex(source), as_of, data)
    allowed = list(regions) if regions is not None else [(0, len(source))]
    offered: dict[str, list[Candidate]] = {}
    for c in candidates:
        offered.setdefault(c.path, []).append(c)
    lost = set(unaligned)
    result = Grounding()
    supported: dict[str, Evidence] = {}
    for value in walk(data):
        if value.parent is not None and value.parent not in supported:
            continue  # goes (or stays) with its parent
        own = _offered(value, offered)
        evidence = _support(value, _inside(own, allowed), supported, ctx, offered, allowed)
        if evidence is None:
            result.unsupported.append(
                Unsupported(value.path, value.value, _reason(value, own, lost))
            )
            continue
        supported[value.path] = evidence
        result.evidence.append(evidence)
        if value.path == "title":
            ctx.title_span = (evidence.start, evidence.end)
    return result


def _offered(value: Value, offered: dict[str, list[Candidate]]) -> list[Candidate]:
    keys = [value.path, f"{value.path}.text"]
    parts = steps(value.path)
    if isinstance(parts[-1], int):  # a list item: quotes given for the whole list help too
        keys.append(value.path.rsplit("[", 1)[0])
    found: list[Candidate] = []
    for key in keys:
        found += offered.get(key, [])
    return found


def _inside(candidates: list[Candidate], allowed: Sequence[Span]) -> list[Candidate]:
    """The candidates that start inside an allowed region."""
    return [c for c in candidates if any(s <= c.start < e for s, e in allowed)]


def _support(
    value: Value,
    own: list[Candidate],
    supported: dict[str, Evidence],
    ctx: Context,
    offered: dict[str, list[Candidate]],
    allowed: Sequence[Span],
) -> Evidence | None:
    size = len(ctx.source)
    tries: list[tuple[tuple[int, int], MatchKind]] = [((c.start, c.end), c.match) for c in own]
    if value.parent is not None:
        parent = supported[value.parent]
        near = [(parent.start, parent.end)] + [
            (c.start, c.end) for c in offered.get(value.parent, [])
        ]
        tries.insert(0, ((parent.start, parent.end), "derived"))
        tries += [((max(0, s - WINDOW), min(size, e + WINDOW)), "derived") for s, e in near]
    elif value.field not in HOLISTIC:
        tries += [(region, "exact") for region in allowed]  # the value itself, anywhere kept
    if value.field in HOLISTIC:
        tries = [((0, size), "derived")]
    ctx.parent = _parent_value(ctx.data, value.parent)
    for span, how in tries:
        found = locate(value.field, value.value, span, ctx)
        if found is not None:
            return _evidence(value.path, found, how, ctx.source)
    return None


def _parent_value(data: dict[str, Any], path: str | None) -> dict[str, Any]:
    node: Any = data
    for step in steps(path) if path else []:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return {}
    return node if isinstance(node, dict) and path else {}


def _evidence(path: str, found: Found, how: MatchKind, source: str) -> Evidence:
    """Evidence for a value found at ``found`` inside a span offered as ``how``: the weaker of
    the two matches ("derived" when the value was computed from the text)."""
    start, end, kind = found
    if kind != "derived":
        if how == "rule":
            kind = "rule" if kind in ("exact", "normalized") else kind
        elif how != "derived":
            kind = max(kind, how, key=lambda k: _STRENGTH[k])
    return Evidence(path=path, start=start, end=end, quote=source[start:end], match=kind)


def _reason(value: Value, own: list[Candidate], lost: set[str]) -> str:
    if value.parent is not None:
        return f"not found in or near the text of {value.parent}"
    if own:
        return "its quote does not contain it, and the source does not either"
    if value.path in lost or value.path.rsplit("[", 1)[0] in lost:
        return "its quote is not in the source, and the value is not either"
    return "not found in the source"


def settle(
    schema: type[BaseModel],
    data: dict[str, Any],
    grounding: Grounding,
    *,
    keep: bool = False,
) -> tuple[BaseModel, list[Evidence], list[Unsupported]]:
    """The validated record, its evidence and the unsupported-values report.

    With ``keep`` the record is unchanged and unsupported values are only listed; otherwise
    they are removed (list items deleted, other values set to null; a value the schema cannot
    do without takes the field's default). Evidence paths follow the removed list items.
    """
    unsupported = grounding.unsupported
    if keep or not unsupported:
        model = schema.model_validate(data)
        return model, grounding.evidence, list(unsupported)
    gone = {u.path for u in unsupported}
    trimmed, reset = _validated_without(schema, data, gone)
    if trimmed is None:  # cannot drop them: keep and flag
        kept = schema.model_validate(data)
        return kept, grounding.evidence, list(unsupported)
    evidence: list[Evidence] = []
    for e in grounding.evidence:
        if str(steps(e.path)[0]) in reset:
            continue
        path = reindex(e.path, gone)
        if path is not None:
            evidence.append(Evidence(path, e.start, e.end, e.quote, e.match))
    return trimmed, evidence, [replace(u, dropped=True) for u in unsupported]


def _validated_without(
    schema: type[BaseModel], data: dict[str, Any], gone: set[str]
) -> tuple[BaseModel | None, set[str]]:
    trimmed = remove(data, sorted(gone))
    reset: set[str] = set()
    for _ in range(3):
        try:
            return schema.model_validate(trimmed), reset
        except ValidationError as exc:
            names = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
            names -= reset
            fields = schema.model_fields
            if not names or any(n not in fields or fields[n].is_required() for n in names):
                return None, reset
            for name in names:
                trimmed[name] = fields[name].get_default(call_default_factory=True)
            reset |= names
    return None, reset
