"""``evaluate()``: score a predictions JSONL against a directory of gold records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import BaseModel

from extractor.errors import InputError
from extractor.evaluation.asof import check_as_of, read_set_as_of
from extractor.evaluation.fields import FieldSpec, ListSpec, ModelSpec, leaf_paths, walk_model
from extractor.evaluation.loading import load_gold, load_predictions
from extractor.evaluation.matching import DEFAULT_THRESHOLD
from extractor.evaluation.report import EvalReport, Score, default_groups, group_scores
from extractor.evaluation.scoring import Counts, DocumentScorer, Tally


def evaluate(
    gold_dir: Path,
    predictions: Path,
    model: type[BaseModel],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    fields: Sequence[str] | None = None,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> EvalReport:
    """Score ``predictions`` (``extractor run`` JSONL) against ``gold_dir/<id>.json`` files.

    ``threshold`` (0-100] is the text similarity needed for free text (``matching``);
    ``fields`` limits scoring to these dotted names (a name also selects its subfields);
    ``groups`` maps a group name to top-level fields (default: ``report.default_groups``).
    Raises ``InputError`` for a missing or empty gold dir, unreadable predictions, gold that
    fails validation, and predictions made as of another day than the set's (``asof``).
    """
    if not 0 < threshold <= 100:
        raise InputError(f"threshold must be in (0, 100], got {threshold}")
    spec = walk_model(model)
    selected = select_fields(spec, fields)
    set_day = read_set_as_of(gold_dir)
    gold = load_gold(gold_dir, model)
    found = load_predictions(predictions, model)
    days = {doc_id: day for doc_id, day in found.as_of.items() if doc_id in gold}
    as_of_warnings = check_as_of(gold_dir, set_day, gold, days)
    everything: Tally = {path: Counts() for path in leaf_paths(spec)}
    scorer = DocumentScorer(everything, threshold)
    for doc_id, gold_data in gold.items():
        scorer.score(spec, gold_data, found.data.get(doc_id))
    tally = {path: everything[path] for path in selected}
    missing = sum(doc_id not in found.data for doc_id in gold)
    warnings = [*found.warnings, *as_of_warnings]
    strays = sorted((set(found.data) | found.failed) - set(gold))
    if strays:
        warnings.append(f"{len(strays)} prediction(s) have no gold file, e.g. {strays[0]!r}")
    top_level = [child.path for child in spec.fields]
    return EvalReport(
        fields={path: Score.from_counts(counts) for path, counts in tally.items()},
        groups=group_scores(tally, groups if groups is not None else default_groups(top_level)),
        documents=len(gold),
        missing_predictions=missing,
        warnings=warnings,
        as_of=set_day.isoformat() if set_day else None,
    )


def select_fields(spec: ModelSpec, names: Sequence[str] | None) -> list[str]:
    """The scored field names selected by ``names`` (dotted; a name selects its subfields).

    Raises ``InputError`` naming any unknown field.
    """
    paths = leaf_paths(spec)
    if not names:
        return paths
    wanted = [name.strip() for name in names if name.strip()]
    known = set(paths) | _inner_paths(spec)
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise InputError(f"unknown field(s): {', '.join(unknown)} (see `extractor schema`)")
    return [p for p in paths if any(p == w or p.startswith(f"{w}.") for w in wanted)]


def _inner_paths(spec: FieldSpec) -> set[str]:
    if isinstance(spec, ListSpec):
        return {spec.path} | _inner_paths(spec.item)
    if isinstance(spec, ModelSpec):
        own = {spec.path} if spec.path else set()
        return own.union(*(_inner_paths(child) for child in spec.fields))
    return set()
