"""The evaluation result: per-field and per-group scores, as dataclasses and as JSON.

Precision is TP / (TP + FP), recall TP / (TP + FN), F1 their harmonic mean 2TP / (2TP + FP + FN);
each is ``None`` when its denominator is 0 (precision: nothing predicted; recall: nothing in gold;
F1: neither). Support is TP + FN, the number of
gold values. Groups add up the counts of their fields (micro-average).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from extractor.evaluation.scoring import Counts

# The job_posting groups that quality figures are quoted in (used when the schema has every
# field they name; each member covers its subfields, ``pay`` covers ``pay.min``...):
# - structured: values with one right answer once read (codes, numbers, dates, flags, e-mails,
#   URLs): pay, dates and duration, employment type, workplace, seniority, degree levels,
#   expiry, language, contact e-mails, apply URL;
# - entities: names copied as written: title, company, team, locations (text and their parts);
# - bullets: lists of phrases copied as written: responsibilities, required and preferred
#   qualifications, benefits, skills.
JOB_POSTING_GROUPS: dict[str, tuple[str, ...]] = {
    "structured": (
        "workplace",
        "employment_type",
        "seniority",
        "pay",
        "degree_levels",
        "posted",
        "application_deadline",
        "start_dates",
        "duration",
        "contact_emails",
        "apply_url",
        "is_expired",
        "language",
    ),
    "entities": ("title", "company", "team", "locations"),
    "bullets": (
        "skills",
        "responsibilities",
        "required_qualifications",
        "preferred_qualifications",
        "benefits",
    ),
}


@dataclass(frozen=True)
class Score:
    """Counts and rates for one field or group."""

    tp: int
    fp: int
    fn: int
    precision: float | None
    recall: float | None
    f1: float | None
    support: int
    accuracy: float | None = None

    @classmethod
    def from_counts(cls, counts: Counts) -> Score:
        precision = _ratio(counts.tp, counts.tp + counts.fp)
        recall = _ratio(counts.tp, counts.tp + counts.fn)
        f1 = _ratio(2 * counts.tp, 2 * counts.tp + counts.fp + counts.fn)
        return cls(
            tp=counts.tp,
            fp=counts.fp,
            fn=counts.fn,
            precision=precision,
            recall=recall,
            f1=f1,
            support=counts.tp + counts.fn,
            accuracy=_ratio(counts.agree, counts.compared),
        )


@dataclass(frozen=True)
class EvalReport:
    """Scores per field (schema order) and per group, how many documents were scored, and the
    set's as-of day."""

    fields: dict[str, Score]
    groups: dict[str, Score]
    documents: int
    missing_predictions: int
    warnings: list[str] = field(default_factory=list)
    as_of: str | None = None  # the set's as-of day (SET.yaml), ISO

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape printed by ``extractor eval --json``."""
        return {
            "fields": {name: _score_dict(score) for name, score in self.fields.items()},
            "groups": {name: _score_dict(score) for name, score in self.groups.items()},
            "documents": self.documents,
            "missing_predictions": self.missing_predictions,
            "warnings": list(self.warnings),
            "as_of": self.as_of,
        }


def default_groups(top_level: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Named job_posting groups when the schema has all their fields, else one per field."""
    named = {name for members in JOB_POSTING_GROUPS.values() for name in members}
    if named <= set(top_level):
        groups = dict(JOB_POSTING_GROUPS)
        rest = tuple(name for name in top_level if name not in named)
        return {**groups, "other": rest} if rest else groups
    return {name: (name,) for name in top_level}


def group_scores(
    tally: Mapping[str, Counts], groups: Mapping[str, Sequence[str]]
) -> dict[str, Score]:
    """Sum each group's field counts (a member ``pay`` covers ``pay.*``), plus ``all``."""
    scores: dict[str, Score] = {}
    for name, members in groups.items():
        total = Counts()
        matched = False
        for path, counts in tally.items():
            if any(path == m or path.startswith(f"{m}.") for m in members):
                total.add(counts)
                matched = True
        if matched:
            scores[name] = Score.from_counts(total)
    overall = Counts()
    for counts in tally.values():
        overall.add(counts)
    scores["all"] = Score.from_counts(overall)
    return scores


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _score_dict(score: Score) -> dict[str, Any]:
    data = asdict(score)
    if data["accuracy"] is None:
        del data["accuracy"]
    return data
