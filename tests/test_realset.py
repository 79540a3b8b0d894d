"""The real labelled set in tests/data/real/: every posting labelled, canonical, split as written.

Real postings (copied verbatim; sources in tests/data/real/SOURCES.md) are where every quality
figure comes from; tests/data/real/LABELS.md holds the conventions and the fixed split.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from extractor import JobPosting

REAL = Path(__file__).resolve().parent / "data" / "real"
SPLITS = ("dev", "heldout")
POSTINGS = sorted(
    p for split in SPLITS for p in (REAL / split).iterdir() if p.suffix not in (".json", ".yaml")
)


def _canonical(label: dict[str, Any]) -> dict[str, Any]:
    data = JobPosting.model_validate(label).model_dump(mode="json")
    if data["pay"] is not None:
        data["pay"].pop("annual_min", None)
        data["pay"].pop("annual_max", None)
    return data


def test_sixty_postings_each_listed_in_sources() -> None:
    sources = (REAL / "SOURCES.md").read_text(encoding="utf-8")
    assert len(POSTINGS) == 60
    for path in POSTINGS:
        assert re.search(rf"^{path.stem} — ", sources, re.M), path.stem


@pytest.mark.parametrize("path", POSTINGS, ids=[p.stem for p in POSTINGS])
def test_each_posting_has_a_canonical_label(path: Path) -> None:
    label = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert label == _canonical(label)
    assert list(label) == list(_canonical(label))  # schema order


@pytest.mark.parametrize("path", POSTINGS, ids=[p.stem for p in POSTINGS])
def test_the_split_is_the_fixed_one(path: Path) -> None:
    held_out = int(path.stem[1:]) % 3 == 0
    assert path.parent.name == ("heldout" if held_out else "dev")


@pytest.mark.parametrize("split", SPLITS)
def test_each_split_carries_its_as_of_date(split: str) -> None:
    meta = yaml.safe_load((REAL / split / "SET.yaml").read_text(encoding="utf-8"))
    assert str(meta["as_of"]) == "2026-12-04"
