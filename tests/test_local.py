"""The local and hybrid backends without a model: availability errors, the merge of the model's
fields into the rules' record, salvage of invalid values, the cache, and ``auto``'s choice.

The model itself is exercised by the live tier (tests/test_live.py); here a scripted stand-in
answers, so these tests run anywhere.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from extractor import Extractor
from extractor.cli import app
from extractor.errors import BackendUnavailableError, IncompleteAnswerError
from extractor.local import LocalEngine, availability
from extractor.local.engine import merge, occurs, salvage
from extractor.local.model import Completion
from extractor.outcome import Usage
from extractor.settings import Settings
from extractor.tasks import load_task
from tests.conftest import AS_OF

POSTING = (
    "Warehouse Associate\n"
    "Northwind Logistics - Reno, NV\n"
    "Pay: $19.50/hr, full time.\n"
    "Pick, pack and ship orders.\n"
    "Apply: jobs@northwind.example\n"
)


class ScriptedModel:
    """Stands in for LocalModel: returns the scripted answers in order, counts calls."""

    def __init__(self, tmp_path: Path, *answers: dict[str, Any] | Exception) -> None:
        self.path = tmp_path / "model.gguf"
        self.path.write_bytes(b"GGUF")
        self.answers = list(answers)
        self.prompts: list[str] = []

    @property
    def name(self) -> str:
        return self.path.name

    def cut(self, text: str) -> str:
        return text

    def complete(self, prompt: str, schema: dict[str, Any], *, max_tokens: int) -> Completion:
        self.prompts.append(prompt)
        answer = self.answers[min(len(self.prompts), len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return Completion(answer, Usage(100, 20, 1))


def _extractor(tmp_path: Path, backend: str, model: ScriptedModel, **kw: Any) -> Extractor:
    settings = Settings.from_env({}, backend=backend, cache_dir=tmp_path / "cache", as_of=AS_OF)
    ex = Extractor(settings=settings.with_(**kw))
    ex._local_engine = LocalEngine(backend, ex.task, model, ex.cache)  # type: ignore[arg-type]
    return ex


def test_hybrid_takes_the_models_header_fields_and_the_rules_for_the_rest(
    tmp_path: Path,
) -> None:
    answer = {
        "title": "Warehouse Associate",
        "company": "Northwind Logistics",
        "locations": ["Reno, NV"],
    }
    model = ScriptedModel(tmp_path, answer)
    with _extractor(tmp_path, "hybrid", model) as ex:
        outcome = ex.run(POSTING)
        again = ex.run(POSTING)
    data = outcome.data.model_dump()
    assert data["title"] == "Warehouse Associate" and data["company"] == "Northwind Logistics"
    assert data["locations"][0]["text"] == "Reno, NV" and data["locations"][0]["region"] == "NV"
    assert data["pay"]["min"] == 19.5 and data["contact_emails"] == ["jobs@northwind.example"]
    assert {"title", "company", "locations[0]", "pay"} <= {e.path for e in outcome.evidence}
    assert outcome.backend == "hybrid" and outcome.model == "model.gguf"
    assert again.cached and again.data.model_dump() == data and len(model.prompts) == 1
    assert model.prompts[0].rstrip().endswith("as JSON:")  # a plain completion prompt


def test_hybrid_keeps_the_rules_value_when_the_model_invents_one(tmp_path: Path) -> None:
    model = ScriptedModel(tmp_path, {"title": "Chief Astronaut", "company": "", "locations": []})
    with _extractor(tmp_path, "hybrid", model) as ex:
        data = ex.run(POSTING).data.model_dump()
    assert data["title"] != "Chief Astronaut"


def test_local_fills_the_schema_and_grounding_drops_what_the_page_lacks(tmp_path: Path) -> None:
    answer = {"title": "Warehouse Associate", "company": "Acme Rockets", "degree_levels": ["phd"]}
    model = ScriptedModel(tmp_path, answer)
    with _extractor(tmp_path, "local", model) as ex:
        outcome = ex.run(POSTING)
    data = outcome.data.model_dump()
    assert data["title"] == "Warehouse Associate" and data["company"] is None
    assert {u.path for u in outcome.unsupported} >= {"company"}


def test_a_cut_off_local_answer_is_an_incomplete_answer(tmp_path: Path) -> None:
    model = ScriptedModel(tmp_path, IncompleteAnswerError("cut off", attempts=1))
    with _extractor(tmp_path, "local", model) as ex, pytest.raises(IncompleteAnswerError):
        ex.run(POSTING)


@pytest.mark.parametrize(
    ("value", "text", "found"),
    [
        ("Northwind  logistics", "Northwind Logistics - Reno", True),
        ("Acme", "Northwind Logistics", False),
        ("a", "a b c", False),  # too short to mean anything
    ],
)
def test_occurs(value: str, text: str, found: bool) -> None:
    assert occurs(value, text) is found


def test_merge_skips_model_values_the_page_does_not_have() -> None:
    data: dict[str, Any] = {"title": "Rules Title", "company": None, "locations": []}
    replaced = merge(
        data,
        {"title": "Made Up", "company": "Northwind", "locations": ["Reno, NV", "Mars"]},
        POSTING,
    )
    assert replaced == {"company", "locations"} and data["title"] == "Rules Title"
    assert [p["text"] for p in data["locations"]] == ["Reno, NV"]


def test_salvage_drops_only_the_fields_that_fail() -> None:
    schema = load_task("job_posting").schema
    record, dropped = salvage(schema, {"title": "Nurse", "language": "not a language code!"})
    assert dropped == ["language"] and record.model_dump()["title"] == "Nurse"


def test_missing_extra_is_one_clear_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "llama_cpp" else real(name, *a),
    )
    with pytest.raises(BackendUnavailableError, match=r"extractor\[local\]"):
        availability.model_file(None)
    posting = tmp_path / "a.txt"
    posting.write_text(POSTING)
    result = CliRunner().invoke(app, ["run", str(posting), "--backend", "local"])
    assert result.exit_code == 2
    assert "pip install 'extractor[local]'" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_missing_model_file_names_the_flag(tmp_path: Path) -> None:
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed: the extra's message is tested above")
    with pytest.raises(BackendUnavailableError, match="--model-path"):
        availability.model_file(tmp_path / "nope.gguf")


def test_auto_picks_hybrid_only_with_the_extra_and_no_endpoint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(availability, "local_available", lambda *_: True)
    assert Settings.from_env({}).resolved_backend == "hybrid"
    assert Settings.from_env({"OPENAI_BASE_URL": "http://h/v1"}).resolved_backend == "llm"
    monkeypatch.setattr(availability, "local_available", lambda *_: False)
    assert Settings.from_env({}).resolved_backend == "offline"
