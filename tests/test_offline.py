"""The offline backend end to end: every seed and dev-set posting gives valid, grounded data."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from extractor.cleaning import clean
from extractor.document import Document
from extractor.offline import OfflineResult, extract_posting
from extractor.tasks import load_task
from tests.conftest import AS_OF, POSTINGS

JobPosting: Any = load_task("job_posting").schema
FILES = sorted(p for p in POSTINGS.iterdir() if p.suffix in (".txt", ".html"))


def _run(path: Path) -> tuple[Document, OfflineResult]:
    doc = clean(path.read_bytes(), name=path.name)
    return doc, extract_posting(doc, as_of=AS_OF)


def _paths(data: dict[str, Any]) -> set[str]:
    """The evidence path every non-empty value needs ("title", "skills[2]", ...)."""
    paths: set[str] = set()
    for name, value in data.items():
        if isinstance(value, list):
            paths.update(f"{name}[{i}]" for i in range(len(value)))
        elif value not in (None, False):
            paths.add(name)
    return paths


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)  # the five seeds among them
def test_every_posting_validates_and_is_grounded(path: Path) -> None:
    doc, result = _run(path)
    JobPosting.model_validate(result.data)
    for evidence in result.evidence:
        assert evidence.quote == doc.source[evidence.start : evidence.end]
        assert evidence.quote.strip()
    assert {e.path for e in result.evidence} == _paths(result.data)


def test_dev_set_is_not_empty() -> None:
    assert len(FILES) >= 5


SEED = POSTINGS / "000_9d968cc98fb2ac48.txt"


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("title", "Machine Learning Engineer Intern (USDS) - 2026 Summer (BS/MS)"),
        ("company", "TikTok"),
        ("team", "USDS"),
        ("employment_type", "internship"),
        ("seniority", "intern"),
        ("pay", {"text": "$45/hr", "min": 45, "max": 45, "currency": "USD", "period": "hour"}),
        ("posted", {"text": "Posted Sep 15, 2025", "date": date(2025, 9, 15)}),
        ("start_dates", [date(2026, 5, 18), date(2026, 6, 1), date(2026, 6, 15)]),
        ("duration", "12 weeks"),
        ("skills", ["Java", "Go", "Python"]),
        ("apply_url", None),
        ("is_expired", False),
        ("language", "en"),
    ],
)
def test_first_seed_fields(field: str, expected: Any) -> None:
    _, result = _run(SEED)
    assert result.data[field] == expected


def test_expired_seed_is_flagged_from_the_page() -> None:
    _doc, result = _run(POSTINGS / "003_a3aa56c4a46f2870.txt")
    assert result.data["is_expired"] is True
    quote = next(e.quote for e in result.evidence if e.path == "is_expired")
    assert "expired" in quote


def test_plain_document_without_facts_stays_empty() -> None:
    result = extract_posting(Document.plain("hello there"), as_of=AS_OF)
    assert result.evidence == []
    assert JobPosting.model_validate(result.data).model_dump(exclude_defaults=True) == {}
