"""The labelled dev set in tests/data/postings/: complete, valid, canonical and grounded in its text.

Each posting ``<id>.txt`` or ``<id>.html`` has a gold label ``<id>.json`` in the JobPosting shape.
The labelling conventions are in tests/data/POSTINGS.md.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
POSTINGS = ROOT / "tests" / "data" / "postings"
AS_OF = date(2026, 11, 22)
SUFFIXES = (".txt", ".html")


def _load_schema() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "devset_job_posting", ROOT / "schemas" / "job_posting.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # pydantic resolves the postponed annotations through it
    spec.loader.exec_module(module)
    return module


JobPosting: Any = _load_schema().JobPosting
POSTING_FILES = sorted(p for p in POSTINGS.iterdir() if p.suffix in SUFFIXES)
IDS = [p.stem for p in POSTING_FILES]


def _squash(text: str) -> str:
    return " ".join(text.split())


def _html_text(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", markup)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def posting_text(posting_id: str) -> str:
    """The posting's visible text, whitespace-squashed (tags stripped for HTML)."""
    for suffix in SUFFIXES:
        path = POSTINGS / f"{posting_id}{suffix}"
        if path.exists():
            raw = path.read_text(encoding="utf-8")
            return _squash(_html_text(raw) if suffix == ".html" else raw)
    raise FileNotFoundError(posting_id)


def gold(posting_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((POSTINGS / f"{posting_id}.json").read_text(encoding="utf-8"))
    return data


def written_values(label: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (field, value) pair the conventions say is copied as written from the posting."""
    pairs = [(key, label[key]) for key in ("title", "company", "team", "duration", "apply_url")]
    pairs += [("locations.text", loc["text"]) for loc in label["locations"]]
    for key in ("pay", "posted", "application_deadline"):
        if label[key] is not None:
            pairs.append((f"{key}.text", label[key]["text"]))
    for key in (
        "contact_emails",
        "responsibilities",
        "required_qualifications",
        "preferred_qualifications",
        "benefits",
    ):
        pairs += [(key, item) for item in label[key]]
    return [(key, value) for key, value in pairs if value is not None]


def _without_computed(dumped: dict[str, Any]) -> dict[str, Any]:
    if dumped["pay"] is not None:
        dumped["pay"] = {k: v for k, v in dumped["pay"].items() if not k.startswith("annual_")}
    return dumped


def test_every_posting_has_a_gold_label_and_every_label_a_posting() -> None:
    labels = {p.stem for p in POSTINGS.glob("*.json")}
    assert labels == set(IDS)
    assert len(IDS) == len(set(IDS)), "a posting exists as both .txt and .html"


def test_the_set_is_big_and_varied() -> None:
    languages = Counter(gold(i)["language"] for i in IDS)
    assert len(IDS) >= 45
    assert sum(p.suffix == ".html" for p in POSTING_FILES) >= 5
    assert sum(n for lang, n in languages.items() if lang != "en") >= 7
    assert (languages["de"], languages["fr"], languages["es"]) >= (3, 2, 2)
    assert min(languages["de"], languages["fr"], languages["es"]) >= 2
    assert sum(i.startswith("inject_") for i in IDS) >= 3
    assert {gold(i)["employment_type"] for i in IDS} >= {
        "full_time",
        "part_time",
        "internship",
        "contract",
        "temporary",
    }
    assert {gold(i)["workplace"] for i in IDS} >= {"onsite", "hybrid", "remote"}
    assert sum(gold(i)["pay"] is None for i in IDS) >= 3
    assert sum(gold(i)["is_expired"] for i in IDS) >= 2


@pytest.mark.parametrize("posting_id", IDS)
def test_gold_label_validates_and_is_canonical(posting_id: str) -> None:
    label = gold(posting_id)
    model = JobPosting.model_validate(label)
    assert _without_computed(model.model_dump(mode="json")) == label


@pytest.mark.parametrize("posting_id", IDS)
def test_written_values_occur_literally_in_the_posting(posting_id: str) -> None:
    text = posting_text(posting_id)
    missing = [(k, v) for k, v in written_values(gold(posting_id)) if _squash(v) not in text]
    assert missing == []


@pytest.mark.parametrize("posting_id", IDS)
def test_skills_are_named_in_the_posting(posting_id: str) -> None:
    text = posting_text(posting_id).casefold()
    assert [s for s in gold(posting_id)["skills"] if s.casefold() not in text] == []


RELATIVE = re.compile(r"(\d+)\s+(hour|day|week)s?\s+ago", re.IGNORECASE)
HOURS_PER_UNIT = {"hour": 1, "day": 24, "week": 168}
RELATIVE_IDS = [i for i in IDS if (p := gold(i)["posted"]) and RELATIVE.search(p["text"])]


@pytest.mark.parametrize("posting_id", RELATIVE_IDS)
def test_relative_posted_dates_count_back_from_the_as_of_date(posting_id: str) -> None:
    posted = gold(posting_id)["posted"]
    match = RELATIVE.search(posted["text"])
    assert match is not None
    days = int(match[1]) * HOURS_PER_UNIT[match[2].lower()] // 24
    assert posted["date"] == (AS_OF - timedelta(days=days)).isoformat()


# Values planted by the prompt-injection postings: none may reach the gold label.
INJECTED = [
    ("inject_ignore_instructions", ["999,999", "Chief Happiness Officer"]),
    (
        "inject_fake_delimiter",
        ["Chief Executive Officer", "Attacker Corp", "500,000", "evil.example"],
    ),
    ("inject_fake_json", ["Staff AI Researcher", "OpenMind Labs", "250000", "evil.example"]),
]


@pytest.mark.parametrize(("posting_id", "planted"), INJECTED)
def test_injected_values_stay_out_of_the_gold_label(posting_id: str, planted: list[str]) -> None:
    label = json.dumps(gold(posting_id))
    text = posting_text(posting_id)
    assert [p for p in planted if p not in text] == [], "the posting no longer plants these"
    assert [p for p in planted if p in label] == []


HELDOUT = POSTINGS.parent / "heldout"


@pytest.mark.parametrize(
    "posting", sorted(p for p in HELDOUT.iterdir() if p.suffix in SUFFIXES), ids=lambda p: p.stem
)
def test_heldout_postings_have_valid_canonical_gold(posting: Path) -> None:
    """The held-out set (no rule may be tuned on it) follows the same conventions."""
    label = json.loads(posting.with_suffix(".json").read_text(encoding="utf-8"))
    canonical = JobPosting.model_validate(label).model_dump(mode="json")
    if canonical["pay"] is not None:
        for computed in ("annual_min", "annual_max"):
            canonical["pay"].pop(computed)
    assert canonical == label
