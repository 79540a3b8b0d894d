"""No labelled value is lost by cleaning: the seed pages and the gold-labelled postings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from extractor.cleaning import clean
from extractor.cost.tokens import count_tokens
from extractor.document import Document

DATA = Path(__file__).parent / "data"
SEEDS = DATA / "cleaning" / "seeds"
FACTS: dict[str, dict[str, Any]] = json.loads((DATA / "cleaning" / "seed_facts.json").read_text())
GOLD = sorted((DATA / "postings").glob("*.json"))


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _findable(doc: Document) -> str:
    """Everything the extractor sees: the cleaned text and the signals."""
    return " || ".join([_norm(doc.text), *(_norm(s.text) for s in doc.signals)])


@pytest.mark.parametrize("name", sorted(FACTS))
def test_seed_facts_survive(name: str) -> None:
    facts = FACTS[name]
    doc = clean((SEEDS / name).read_bytes(), name=name)
    for value in facts["text"]:
        assert value in doc.text, value
    assert sorted(map(tuple, facts["signals"])) == sorted((s.kind, s.text) for s in doc.signals)
    for value in facts["dropped"]:
        assert value not in doc.text, value
    for value, copies in facts.get("copies", {}).items():
        assert doc.text.count(value) == copies, value


@pytest.mark.parametrize(
    ("name", "min_saved"),
    [("002_e5bbb905bcf7e51e.txt", 0.5), ("003_a3aa56c4a46f2870.txt", 0.5), ("000_9d968cc98fb2ac48.txt", 0.05)],
)  # fmt: skip
def test_cleaning_saves_tokens(name: str, min_saved: float) -> None:
    doc = clean((SEEDS / name).read_bytes())
    before, after = count_tokens(doc.source), count_tokens(doc.text)
    assert after <= before * (1 - min_saved)


def _gold_values(gold: dict[str, Any]) -> list[tuple[str, str]]:
    values = [(key, gold[key]) for key in ("title", "company") if gold.get(key)]
    for key in ("pay", "posted"):
        if (gold.get(key) or {}).get("text"):
            values.append((key, gold[key]["text"]))
    for key in (
        "responsibilities",
        "required_qualifications",
        "preferred_qualifications",
        "benefits",
    ):
        values += [(key, item) for item in gold.get(key) or []]
    values += [("contact_emails", email) for email in gold.get("contact_emails") or []]
    return values


@pytest.mark.skipif(not GOLD, reason="no gold-labelled postings in tests/data/postings")
@pytest.mark.parametrize("label", GOLD, ids=[p.stem for p in GOLD])
def test_gold_values_survive(label: Path) -> None:
    source = next(p for p in label.parent.glob(f"{label.stem}.*") if p.suffix != ".json")
    doc = clean(source.read_bytes(), name=source.name)
    findable = _findable(doc)
    values = _gold_values(json.loads(label.read_text()))
    lost = [(key, value) for key, value in values if _norm(value) not in findable]
    # a value the labeller normalised (not verbatim in the page) is not the cleaner's loss
    lost = [(key, value) for key, value in lost if _norm(value) in _norm(doc.source)]
    assert lost == []
