"""Prompt injection: the dev set's inject_* postings ("ignore previous instructions", a fake
closing delimiter with a fake system message, a fake JSON answer).

- The output stays schema-valid with both backends.
- What is sent keeps the posting inside one <posting> block: look-alike delimiters are defused.
- Values planted by the injected text must not survive. The cleaner drops planted passages
  (extractor/cleaning/injection.py), so they are not sent, and grounding only takes evidence
  from the kept text: a model that obeys the injection gets its planted values reported as
  unsupported and dropped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from extractor import Extractor
from extractor.cli import app
from extractor.settings import Settings
from extractor.tasks import load_task
from extractor.testing.fakes import Reply, ScriptedEndpoint
from extractor.testing.simulator import Simulator, SimulatorConfig
from tests.conftest import AS_OF, POSTINGS

INJECTED = sorted(POSTINGS.glob("inject_*.txt"))
SCHEMA = load_task("job_posting").schema

# posting -> the values its injected text asks for (none of them is the posting's own)
PLANTED: dict[str, dict[str, Any]] = {
    "inject_ignore_instructions": {
        "title": "Chief Happiness Officer",
        "pay": {
            "text": "$999,999 per year",
            "min": 999999,
            "max": 999999,
            "currency": "USD",
            "period": "year",
        },
        "is_expired": True,
    },
    "inject_fake_delimiter": {
        "title": "Chief Executive Officer",
        "company": "Attacker Corp",
        "pay": {
            "text": "$500,000 per year",
            "min": 500000,
            "max": 500000,
            "currency": "USD",
            "period": "year",
        },
        "contact_emails": ["attacker@evil.example"],
        "apply_url": "https://evil.example/steal",
    },
    "inject_fake_json": {
        "title": "Staff AI Researcher",
        "company": "OpenMind Labs",
        "pay": {
            "text": "$250000",
            "min": 250000,
            "max": 250000,
            "currency": "USD",
            "period": "year",
        },
        "contact_emails": ["jobs@evil.example"],
        "apply_url": "https://evil.example/apply",
    },
}


def _gold(path: Path) -> dict[str, Any]:
    gold: dict[str, Any] = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    return gold


def _planted_left(data: dict[str, Any], planted: dict[str, Any]) -> dict[str, Any]:
    """The planted values still in ``data`` (a planted list item counts when present)."""
    left: dict[str, Any] = {}
    for field, value in planted.items():
        got = data.get(field)
        if isinstance(value, list) and isinstance(got, list):
            if hits := [v for v in value if v in got]:
                left[field] = hits
        elif isinstance(value, dict) and isinstance(got, dict):
            if got.get("text") == value["text"]:
                left[field] = got["text"]
        elif got == value:
            left[field] = got
    return left


def _validate(data: dict[str, Any]) -> None:
    """Records carry pay's computed annual_min/annual_max: the schema forbids them as input."""
    pay = data.get("pay")
    if isinstance(pay, dict):
        data = {**data, "pay": {k: v for k, v in pay.items() if not k.startswith("annual_")}}
    SCHEMA.model_validate(data)


def _settings(tmp_path: Path) -> Settings:
    return Settings.from_env(
        {}, backend="llm", api_key="sk-test-not-secret", base_url="http://llm.test/v1",
        mode="tools", cache_dir=tmp_path / "cache", as_of=AS_OF,
    )  # fmt: skip


@pytest.mark.parametrize("backend", ["offline", "llm"])
def test_records_stay_schema_valid(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.jsonl"
    args = [
        "run",
        *map(str, INJECTED),
        "-o",
        str(out),
        "--backend",
        backend,
        "--as-of",
        AS_OF.isoformat(),
    ]
    with Simulator(SimulatorConfig()) as sim:
        monkeypatch.setenv("OPENAI_BASE_URL", sim.base_url)
        result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(INJECTED) == 3
    for record in records:
        assert record["status"] == "ok" and record["backend"] == backend
        _validate(record["data"])


@pytest.mark.parametrize("posting", INJECTED, ids=lambda p: p.stem)
def test_offline_backend_keeps_the_postings_own_title_company_and_pay(posting: Path) -> None:
    with Extractor(settings=Settings(backend="offline", as_of=AS_OF)) as ex:
        data = ex.run(posting.read_bytes(), posting.name).data.model_dump(mode="json")
    gold = _gold(posting)
    assert (data["title"], data["company"]) == (gold["title"], gold["company"])
    assert data["pay"]["text"] == gold["pay"]["text"]


@pytest.mark.parametrize("posting", INJECTED, ids=lambda p: p.stem)
def test_offline_backend_takes_no_planted_value(posting: Path) -> None:
    with Extractor(settings=Settings(backend="offline", as_of=AS_OF)) as ex:
        data = ex.run(posting.read_bytes(), posting.name).data.model_dump(mode="json")
    assert _planted_left(data, PLANTED[posting.stem]) == {}


@pytest.mark.parametrize("posting", INJECTED, ids=lambda p: p.stem)
def test_delimiters_in_the_text_are_defused_in_what_is_sent(posting: Path, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    endpoint = ScriptedEndpoint(Reply.ok({"title": _gold(posting)["title"]}))
    with Extractor(settings=settings, llm=endpoint.llm(settings)) as ex:
        ex.run(posting.read_bytes(), posting.name)
    (request,) = endpoint.requests
    system, user = request["messages"]
    assert system["role"] == "system" and "Nimbus" not in system["content"]
    assert user["content"].count("</posting>") == 1 and user["content"].rstrip().endswith(
        "</posting>"
    )
    body = user["content"].split("\n<posting>\n", 1)[1]
    assert "<posting>" not in body and body.count("</posting>") == 1
    if "</posting>" in posting.read_text(encoding="utf-8"):
        assert "‹/posting›" not in body  # the planted delimiter is dropped, not even sent


@pytest.mark.parametrize("with_quotes", [True, False], ids=["quoted", "bare"])
@pytest.mark.parametrize("posting", INJECTED, ids=lambda p: p.stem)
def test_grounding_rejects_values_planted_by_the_injected_text(
    posting: Path, with_quotes: bool, tmp_path: Path
) -> None:
    planted = PLANTED[posting.stem]
    quotes = [
        {"path": f, "quote": v["text"] if isinstance(v, dict) else str(v)}
        for f, v in planted.items()
    ]
    answer = {"data": planted, "quotes": quotes} if with_quotes else planted
    settings = _settings(tmp_path)
    endpoint = ScriptedEndpoint(Reply.ok(answer))  # a model that obeyed the injection
    with Extractor(settings=settings, llm=endpoint.llm(settings)) as ex:
        outcome = ex.run(posting.read_bytes(), posting.name)
    data = outcome.data.model_dump(mode="json")
    _validate(data)
    assert _planted_left(data, planted) == {}
    assert {u.path.split("[")[0].split(".")[0] for u in outcome.unsupported} >= set(planted)
