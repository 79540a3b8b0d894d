"""The pipeline: both backends end with evidence for every value; unsupported values are dropped,
kept or fail the input; the cache key follows the quotes wrapper and a hit is grounded again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from extractor import Extractor, UnsupportedValueError
from extractor.cli import app
from extractor.evidence.paths import walk
from extractor.settings import Settings
from extractor.testing.fakes import Reply, ScriptedEndpoint
from tests.conftest import AS_OF

TEXT = "Registered Nurse – Zürich 🙂\nAcme Health\nBoston, MA\n$45/hr\nSkills: EKG, BLS\nApply now."
ANSWER = {
    "data": {
        "title": "Registered Nurse",
        "company": "Acme Health",
        "pay": {"text": "$45/hr", "min": 45, "max": 45, "currency": "USD", "period": "hour"},
        "skills": ["Kubernetes", "EKG", "BLS"],  # Kubernetes is made up
        "team": "Quantum Ledger Division",  # made up, with a fake quote
    },
    "quotes": [
        {"path": "title", "quote": "registered   NURSE"},
        {"path": "skills[0]", "quote": "Skills: EKG, BLS"},  # a real quote, a made-up value
        {"path": "team", "quote": "Join our Quantum Ledger Division"},
    ],
}


def _run(settings: Settings, answer: dict[str, Any] = ANSWER, **changes: Any) -> Any:
    endpoint = ScriptedEndpoint(Reply.ok(answer))
    local = settings.with_(**changes) if changes else settings
    with Extractor(settings=local, llm=endpoint.llm(local)) as ex:
        return ex.run(TEXT)


def test_unsupported_values_are_dropped_and_reported(settings: Settings) -> None:
    outcome = _run(settings)
    data = outcome.data.model_dump()
    assert data["skills"] == ["EKG", "BLS"] and data["team"] is None
    assert {u.path for u in outcome.unsupported} == {"skills[0]", "team"}
    assert all(u.dropped and u.reason for u in outcome.unsupported)
    assert any("dropped" in w and "skills[0]" in w for w in outcome.warnings)
    by_path = {e.path: e for e in outcome.evidence}
    assert by_path["skills[0]"].quote == "EKG"  # paths follow the dropped item
    assert by_path["title"].match == "normalized"  # the quote was re-cased and re-spaced
    assert by_path["pay.currency"].quote == "$" and by_path["pay.currency"].match == "derived"
    for e in outcome.evidence:
        assert TEXT[e.start : e.end] == e.quote


def test_keep_unsupported_keeps_them_flagged(settings: Settings) -> None:
    outcome = _run(settings, keep_unsupported=True)
    assert outcome.data.model_dump()["skills"] == ["Kubernetes", "EKG", "BLS"]
    assert {u.path for u in outcome.unsupported} == {"skills[0]", "team"}
    assert not any(u.dropped for u in outcome.unsupported)


def test_strict_fails_the_input_with_its_usage(settings: Settings) -> None:
    with pytest.raises(UnsupportedValueError) as info:
        _run(settings, strict=True)
    assert "skills[0]" in str(info.value) and info.value.usage.requests == 1


def test_every_value_has_evidence_and_a_bare_record_is_accepted(settings: Settings) -> None:
    bare = {k: v for k, v in ANSWER["data"].items() if k not in ("skills", "team")}
    outcome = _run(settings, bare)
    data = outcome.data.model_dump(mode="json", exclude_computed_fields=True)
    assert {v.path for v in walk(data)} == {e.path for e in outcome.evidence}
    assert not outcome.unsupported


def test_the_request_asks_for_quotes_and_a_hit_is_grounded_again(settings: Settings) -> None:
    endpoint = ScriptedEndpoint(Reply.ok(ANSWER))
    with Extractor(settings=settings, llm=endpoint.llm(settings)) as ex:
        first = ex.run(TEXT)
        again = ex.run(TEXT)
    tools = endpoint.requests[0]["tools"]
    assert tools[0]["function"]["name"] == "JobPostingWithQuotes"
    assert "quotes" in tools[0]["function"]["parameters"]["properties"]
    assert len(endpoint.requests) == 1 and again.cached
    assert again.evidence == first.evidence and again.unsupported == first.unsupported


def test_the_cache_key_changes_with_the_quotes_wrapper(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint = ScriptedEndpoint(Reply.ok(ANSWER))
    with Extractor(settings=settings, llm=endpoint.llm(settings)) as ex:
        ex.run(TEXT)
    monkeypatch.setattr("extractor.evidence.request.QUOTES_VERSION", "test-changed")
    with Extractor(settings=settings, llm=endpoint.llm(settings)) as ex:
        assert not ex.run(TEXT).cached
    assert len(endpoint.requests) == 2


def test_the_offline_backend_grounds_every_value_too() -> None:
    with Extractor(settings=Settings(backend="offline", use_cache=False)) as ex:
        outcome = ex.run(TEXT)
    data = outcome.data.model_dump(mode="json", exclude_computed_fields=True)
    assert data["title"] and data["pay"]
    assert {v.path for v in walk(data)} <= {e.path for e in outcome.evidence}
    assert all(TEXT[e.start : e.end] == e.quote for e in outcome.evidence)


@pytest.mark.parametrize(
    ("flags", "code", "status", "skills"),
    [
        ([], 0, "ok", ["EKG", "BLS"]),
        (["--keep-unsupported"], 0, "ok", ["Kubernetes", "EKG", "BLS"]),
        (["--strict"], 1, "error", None),
    ],
)
def test_cli_flags(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    flags: list[str],
    code: int,
    status: str,
    skills: list[str] | None,
) -> None:
    from extractor.testing.simulator import Simulator, SimulatorConfig, scripted

    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with Simulator(SimulatorConfig(answerer=scripted([ANSWER]))) as sim:
        monkeypatch.setenv("OPENAI_BASE_URL", sim.base_url)
        result = CliRunner().invoke(
            app, ["run", str(tmp_path / "a.txt"), "-o", str(out), "-q", "--no-cache", *flags]
        )
    assert result.exit_code == code, result.output
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["status"] == status
    if skills is None:
        assert record["error"]["type"] == "UnsupportedValueError"
    else:
        assert record["data"]["skills"] == skills
        assert {u["path"] for u in record["unsupported"]} == {"skills[0]", "team"}


SIMILAR_JOBS_PAGE = """Registered Nurse
Acme Health
Boston, MA
Pay: $45/hr

About the role
You will care for patients on a busy surgical ward and work with a friendly team of nurses.

Requirements
- Active RN license

Similar jobs
Travel Nurse
Beta Corp
$99/hr
"""


@pytest.mark.parametrize(
    ("pay", "supported"),
    [
        ({"text": "$45/hr", "min": 45, "max": 45, "currency": "USD", "period": "hour"}, True),
        ({"text": "$99/hr", "min": 99, "max": 99, "currency": "USD", "period": "hour"}, False),
    ],
)
def test_text_the_cleaner_dropped_supports_nothing(
    settings: Settings, pay: dict[str, Any], supported: bool
) -> None:
    """$99/hr is on the page, but only in another job's listing: it is not this job's pay."""
    answer = {
        "data": {"title": "Registered Nurse", "pay": pay},
        "quotes": [{"path": "pay", "quote": pay["text"]}],
    }
    endpoint = ScriptedEndpoint(Reply.ok(answer))
    with Extractor(settings=settings, llm=endpoint.llm(settings)) as ex:
        outcome = ex.run(SIMILAR_JOBS_PAGE)
    assert (outcome.data.model_dump()["pay"] is not None) is supported
    assert ("pay" in {u.path for u in outcome.unsupported}) is not supported


# --- the library's own surface ----------------------------------------------------------------


def test_the_library_says_when_the_offline_backend_answers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import logging

    from extractor import JobPosting, OfflineBackendWarning, extract

    with caplog.at_level(logging.INFO, logger="extractor"), pytest.warns(OfflineBackendWarning):
        posting = extract("Senior Nurse\nAcme Health\nPay: $45/hr\n")
    assert isinstance(posting, JobPosting) and posting.title == "Senior Nurse"
    assert any("offline backend" in r.getMessage() for r in caplog.records)


def test_an_outcome_shows_backend_and_evidence_and_is_immutable() -> None:
    import dataclasses

    from extractor.document import Document

    doc = Document.plain("Senior Nurse\nAcme Health\nPay: $45/hr\n")
    before = list(doc.warnings)
    with Extractor(settings=Settings(backend="offline", as_of=AS_OF)) as ex:
        outcome = ex.run(doc)
    assert outcome.backend == "offline" and outcome.model is None
    assert any(e.path == "title" for e in outcome.evidence)
    assert doc.warnings == before  # warnings are returned, never written into the input
    with pytest.raises(dataclasses.FrozenInstanceError):
        outcome.cached = True  # type: ignore[misc]


def test_a_misspelt_keyword_is_a_type_error() -> None:
    from extractor import extract

    with pytest.raises(TypeError, match="modle"):
        extract("Nurse", modle="gpt-4o")
    with pytest.raises(TypeError):
        Extractor("job_posting", backend="offline")  # type: ignore[call-arg]


def test_a_schema_class_in_hand_needs_no_task_files(settings: Settings) -> None:
    from pydantic import BaseModel

    from extractor import extract

    class Role(BaseModel):
        """The job's title."""

        title: str | None = None

    endpoint = ScriptedEndpoint(Reply.ok({"data": {"title": "Nurse"}, "quotes": []}))
    with Extractor(Role, settings, instructions="Titles only.", llm=endpoint.llm(settings)) as ex:
        outcome = ex.run("Nurse wanted at Acme.")
    assert isinstance(outcome.data, Role) and outcome.data.title == "Nurse"
    system = endpoint.requests[0]["messages"][0]["content"]
    assert "Titles only." in system
    with pytest.raises(TypeError, match="schema class"):
        extract("x", task="job_posting", instructions="nope")
