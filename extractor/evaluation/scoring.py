"""Count true/false positives and negatives for one document, field by field.

Scalars: absent on both sides counts nothing; predicted but absent in gold is a FP; in gold but
not predicted is a FN; both present and equal is a TP; both present and different is a FP and a
FN. Booleans count only True: TP when both are True, FP when only the prediction is True, FN when
only gold is True; their accuracy (equal values over documents whose gold has a value) is kept too.
Lists: items are paired one to one (``matching.match_one_to_one``); each pair is a TP, each
unpaired predicted item a FP, each unpaired gold item a FN. Lists of models are paired on their
key field (``ModelSpec.key``); then every subfield of a pair is compared as above, and the
subfields of unpaired items count as FP (predicted) or FN (gold).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from extractor.evaluation.fields import FieldSpec, ListSpec, ModelSpec, ScalarSpec
from extractor.evaluation.matching import is_blank, match_one_to_one, similarity, values_equal


@dataclass
class Counts:
    """Running totals for one field (or a group of fields)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    agree: int = 0
    compared: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.agree += other.agree
        self.compared += other.compared


Tally = dict[str, Counts]


class DocumentScorer:
    """Adds one document's counts into a tally, following a spec tree."""

    def __init__(self, tally: Tally, threshold: float) -> None:
        self.tally = tally
        self.threshold = threshold

    def score(self, spec: FieldSpec, gold: Any, pred: Any) -> None:
        """Compare ``gold`` and ``pred`` (JSON values, None when absent) under ``spec``."""
        if isinstance(spec, ScalarSpec):
            self._scalar(spec, gold, pred)
        elif isinstance(spec, ModelSpec):
            for child in spec.fields:
                name = child.path.rsplit(".", 1)[-1]
                self.score(child, _get(gold, name), _get(pred, name))
        elif isinstance(spec.item, ModelSpec):
            self._model_list(spec, _as_list(gold), _as_list(pred))
        else:
            self._scalar_list(spec, _as_list(gold), _as_list(pred))

    def _counts(self, path: str) -> Counts:
        return self.tally.setdefault(path, Counts())

    def _scalar(self, spec: ScalarSpec, gold: Any, pred: Any) -> None:
        counts = self._counts(spec.path)
        if spec.kind == "bool":
            self._boolean(counts, gold, pred)
            return
        has_gold, has_pred = not is_blank(gold), not is_blank(pred)
        if has_gold and has_pred and self._same(spec, gold, pred):
            counts.tp += 1
            return
        counts.fp += has_pred
        counts.fn += has_gold

    def _boolean(self, counts: Counts, gold: Any, pred: Any) -> None:
        gold_true, pred_true = gold is True, pred is True
        counts.tp += gold_true and pred_true
        counts.fp += pred_true and not gold_true
        counts.fn += gold_true and not pred_true
        if isinstance(gold, bool):
            counts.compared += 1
            counts.agree += gold is pred

    def _same(self, spec: ScalarSpec, gold: Any, pred: Any) -> bool:
        if spec.kind == "text":
            return similarity("text", gold, pred) >= self.threshold
        return values_equal(spec.kind, gold, pred)

    def _threshold(self, spec: ScalarSpec) -> float:
        return self.threshold if spec.kind == "text" else 100.0

    def _scalar_list(self, spec: ListSpec, gold: list[Any], pred: list[Any]) -> None:
        assert isinstance(spec.item, ScalarSpec)
        kind = spec.item.kind
        pairs = match_one_to_one(
            gold, pred, lambda g, p: similarity(kind, g, p), self._threshold(spec.item)
        )
        counts = self._counts(spec.path)
        counts.tp += len(pairs)
        counts.fp += len(pred) - len(pairs)
        counts.fn += len(gold) - len(pairs)

    def _model_list(self, spec: ListSpec, gold: list[Any], pred: list[Any]) -> None:
        item = spec.item
        assert isinstance(item, ModelSpec)
        key = item.key
        name = key.path.rsplit(".", 1)[-1]
        pairs = match_one_to_one(
            gold,
            pred,
            lambda g, p: _key_score(key, _get(g, name), _get(p, name)),
            self._threshold(key),
        )
        for g, p in pairs:
            self.score(item, gold[g], pred[p])
        paired_gold = {g for g, _ in pairs}
        paired_pred = {p for _, p in pairs}
        for index, value in enumerate(gold):
            if index not in paired_gold:
                self.score(item, value, None)
        for index, value in enumerate(pred):
            if index not in paired_pred:
                self.score(item, None, value)


def _key_score(key: ScalarSpec, gold: Any, pred: Any) -> float:
    if is_blank(gold) or is_blank(pred):
        return 0.0
    return similarity(key.kind, gold, pred)


def _get(value: Any, name: str) -> Any:
    return value.get(name) if isinstance(value, Mapping) else None


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return [item for item in value if not is_blank(item)]
    return [] if is_blank(value) else [value]
