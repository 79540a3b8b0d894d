"""The LLM path against a real server: llama-cpp-python's OpenAI-compatible server running
Gemma 3 270M (pretrained, Q4_K_M), replayed from cassettes recorded from it.

Model, quantisation, server version and the command to re-record are in
cassettes/test_real_server/README.md. The answers are a tiny model's: the assertions check what
the pipeline does with them (modes, refusal, re-ask, cut-off, grounding), not their quality.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest

from extractor import Extractor, ExtractorError, IncompleteAnswerError
from extractor.errors import ModeRejectedError
from extractor.settings import Settings
from tests.conftest import AS_OF, RECORD_BASE_URL

MODEL = "gemma-3-270m-q4_k_m"
POSTING = (
    "Warehouse Associate\n"
    "Northwind Logistics - Reno, NV\n"
    "Pay: $19.50/hr, full time.\n"
    "Pick, pack and ship orders. Forklift certification preferred.\n"
    "Apply: jobs@northwind.example\n"
)
UNNAMED = "Night nurse wanted for a busy hospital ward. $40/hr. Apply in person.\n"  # live tier


@pytest.fixture
def real(request: pytest.FixtureRequest, record_mode: str, tmp_path: Path) -> Any:
    """Settings for a cassette of this module; recording needs EXTRACTOR_RECORD_BASE_URL (the
    real server), replaying needs nothing."""
    if record_mode != "none" and not RECORD_BASE_URL:
        pytest.skip("set EXTRACTOR_RECORD_BASE_URL to a llama_cpp.server to record these")
    base_url = RECORD_BASE_URL or "http://127.0.0.1:8000/v1"

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "backend": "llm",
            "base_url": base_url,
            "model": MODEL,
            "cache_dir": tmp_path / "cache",
            "as_of": AS_OF,
            "max_output_tokens": 256,
            "max_reasks": 1,
        }
        values.update(overrides)
        return Settings.from_env({}, **values)

    return make


def _played(cassette: Any, expected: int) -> None:
    assert cassette is not None
    if str(cassette.record_mode).endswith("none"):
        assert cassette.play_count == expected and cassette.all_played
    else:
        assert len(cassette) == expected


def _grounded(outcome: Any) -> None:
    """Every value kept has evidence in the source; every dropped one is listed."""
    kept = {e.path.split("[")[0].split(".")[0] for e in outcome.evidence}
    data = outcome.data.model_dump(mode="json", exclude_computed_fields=True)
    filled = {k for k, v in data.items() if v not in (None, [], "", False)}
    assert filled - {"language", "is_expired"} <= kept | {"is_expired"}
    for item in outcome.unsupported:
        assert item.dropped


@pytest.mark.vcr
@pytest.mark.parametrize("mode", ["tools", "json_object_schema"])
def test_happy_path_in_each_enforced_mode(real: Any, vcr: Any, mode: str) -> None:
    with Extractor(settings=real(mode=mode)) as ex:
        outcome = ex.run(POSTING, name="posting.txt")
    assert outcome.backend == "llm" and outcome.usage.requests == 1
    assert outcome.usage.prompt_tokens > 0 and outcome.usage.completion_tokens > 0
    _grounded(outcome)
    _played(vcr, 1)


@pytest.mark.vcr
def test_json_schema_is_refused_once_with_a_clear_error(real: Any, vcr: Any) -> None:
    with Extractor(settings=real(mode="json_schema")) as ex:
        with pytest.raises(ModeRejectedError) as info:
            ex.run(POSTING)
        with pytest.raises(ModeRejectedError):
            ex.run(UNNAMED)  # not asked again
    message = str(info.value)
    assert "HTTP 500" in message and "json_object" in message and "--mode" in message
    _played(vcr, 1)


@pytest.mark.vcr
def test_auto_probes_the_server_and_picks_json_object_schema(real: Any, vcr: Any) -> None:
    with Extractor(settings=real(mode="auto")) as ex:
        assert ex.llm.resolve_mode() == "json_object_schema"
        assert ex.llm.probe_result is not None
        assert ex.llm.probe_result.passed_over[0][0] == "json_schema"
    _played(vcr, 2)  # json_schema refused (HTTP 500), json_object + schema enforced


@pytest.mark.vcr
def test_a_cut_off_answer_is_an_incomplete_answer(real: Any, vcr: Any) -> None:
    with (
        Extractor(settings=real(mode="json_object_schema", max_output_tokens=12)) as ex,
        pytest.raises(IncompleteAnswerError) as info,
    ):
        ex.run(POSTING)
    assert "cut off" in str(info.value)
    _played(vcr, 1)  # raising the limit is the fix: no re-ask


@pytest.mark.skip(
    reason="no real-server re-ask cassette yet: llama-cpp-python's fallback chat format drops "
    "tool messages, and a json-mode re-ask does not fit the 4,096-token context "
    "(cassettes/test_real_server/README.md)"
)
@pytest.mark.vcr
def test_an_invalid_answer_is_reasked(real: Any, vcr: Any) -> None:
    # json mode: a JSON grammar but no schema enforced, so the tiny model's first answer fails
    # validation and instructor re-asks once, sending the errors back.
    settings = real(mode="json", max_output_tokens=200)
    with Extractor(settings=settings) as ex, contextlib.suppress(ExtractorError):
        ex.run(POSTING)
    first, second = (json.loads(r.body) for r in vcr.requests)
    assert len(second["messages"]) == len(first["messages"]) + 2  # the answer and the errors
    assert "Correct your JSON" in second["messages"][-1]["content"]
    _played(vcr, 2)


@pytest.mark.vcr
@pytest.mark.default_cassette("test_happy_path_in_each_enforced_mode[json_object_schema].yaml")
def test_fabricated_values_are_dropped_by_grounding(real: Any, vcr: Any) -> None:
    # Made to write every key, the model fills fields the posting never states (a team, a
    # seniority, a degree, dates): grounding drops each one and lists it.
    with Extractor(settings=real(mode="json_object_schema")) as ex:
        outcome = ex.run(POSTING, name="posting.txt")
    dropped = {item.path.split("[")[0].split(".")[0] for item in outcome.unsupported}
    assert {"team", "seniority"} <= dropped, "the model invented nothing this time: re-record"
    data = outcome.data.model_dump(mode="json")
    assert data["team"] is None and data["seniority"] is None
    assert data["title"] == "Warehouse Associate"  # what the page does say stays
    _grounded(outcome)
    _played(vcr, 1)


@pytest.mark.vcr
@pytest.mark.default_cassette("test_happy_path_in_each_enforced_mode[tools].yaml")
async def test_the_same_exchange_replays_for_the_async_client(real: Any, vcr: Any) -> None:
    async with Extractor(settings=real(mode="tools")) as ex:
        outcome = await ex.arun(POSTING, name="posting.txt")
    assert outcome.usage.requests == 1
    _played(vcr, 1)
