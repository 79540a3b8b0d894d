"""The disk cache: hits make no request, any change to what decides the answer misses, and a
broken cache never stops a run."""

from __future__ import annotations

import pickle
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import diskcache
import pytest

from extractor import Extractor, extraction
from extractor.cache import JSONOnlyDisk, KeyMaker, ResultCache, cache_key, code_version
from extractor.settings import Settings
from extractor.tasks import load_task
from extractor.testing.fakes import Reply, ScriptedEndpoint
from tests.conftest import REPO, TEST_KEY

TEXT = "Registered Nurse\nAcme Health\nBoston, MA\n$45/hr\nApply now."
ANSWER = {"title": "Registered Nurse", "company": "Acme Health"}


def _run(settings: Settings, endpoint: ScriptedEndpoint, task: object = "job_posting") -> object:
    with Extractor(task, settings, llm=endpoint.llm(settings)) as ex:  # type: ignore[arg-type]
        return ex.run(TEXT)


def test_a_hit_makes_no_request_and_says_cached(settings: Settings) -> None:
    endpoint = ScriptedEndpoint(Reply.ok(ANSWER))
    first = _run(settings, endpoint)
    second = _run(settings, endpoint)
    assert len(endpoint.requests) == 1
    assert not first.cached and second.cached  # type: ignore[attr-defined]
    assert second.usage.requests == 0  # type: ignore[attr-defined]
    assert second.data.model_dump() == first.data.model_dump()  # type: ignore[attr-defined]


def test_no_cache_bypasses_it(settings: Settings) -> None:
    endpoint = ScriptedEndpoint(Reply.ok(ANSWER))
    off = settings.with_(use_cache=False)
    _run(off, endpoint)
    _run(off, endpoint)
    assert len(endpoint.requests) == 2


@pytest.mark.parametrize(
    "change",
    [
        {"model": "gpt-4.1"},
        {"mode": "json_schema"},
        {"temperature": 0.7},
        {"max_output_tokens": 999},
    ],
)
def test_changed_settings_miss(settings: Settings, change: dict[str, object]) -> None:
    endpoint = ScriptedEndpoint(Reply.ok(ANSWER))
    _run(settings, endpoint)
    _run(settings.with_(**change), endpoint)
    assert len(endpoint.requests) == 2


def _task_copy(tmp_path: Path, prompt_edit: str = "", schema_edit: str = "") -> Path:
    (tmp_path / "prompts").mkdir(parents=True)
    (tmp_path / "schemas").mkdir()
    prompt = (REPO / "prompts" / "job_posting.yaml").read_text() + prompt_edit
    schema = (REPO / "schemas" / "job_posting.py").read_text() + schema_edit
    (tmp_path / "prompts" / "job_posting.yaml").write_text(prompt)
    (tmp_path / "schemas" / "job_posting.py").write_text(schema)
    return tmp_path / "prompts" / "job_posting.yaml"


@pytest.mark.parametrize(
    ("prompt_edit", "schema_edit"),
    [
        ("", ""),  # control: an identical copy hits
        ("  Be brief.\n", ""),  # the user template changed
        ("", "\nVALIDATOR_VERSION = '2'\n"),  # the validator rules changed
        (
            "",
            "\nJobPosting.model_fields['title'].description = 'x'\nJobPosting.model_rebuild(force=True)\n",
        ),
    ],
)
def test_changed_prompt_or_schema_misses(
    settings: Settings, tmp_path: Path, prompt_edit: str, schema_edit: str
) -> None:
    endpoint = ScriptedEndpoint(Reply.ok(ANSWER))
    _run(settings, endpoint)
    prompt = _task_copy(tmp_path / "task", prompt_edit, schema_edit)
    task = load_task(prompt)
    _run(settings, endpoint, task)
    expected = 1 if not (prompt_edit or schema_edit) else 2
    assert len(endpoint.requests) == expected


def test_corrupt_cache_degrades_to_no_cache_with_a_warning(settings: Settings) -> None:
    settings.cache_dir.mkdir(parents=True)
    (settings.cache_dir / "cache.db").write_bytes(b"this is not a sqlite database" * 100)
    endpoint = ScriptedEndpoint(Reply.ok(ANSWER))
    outcome = _run(settings, endpoint)
    assert outcome.data.model_dump()["title"] == "Registered Nurse"  # type: ignore[attr-defined]
    assert any("without the cache" in w for w in outcome.warnings)  # type: ignore[attr-defined]


def test_cache_dir_removed_mid_run_keeps_going(settings: Settings) -> None:
    endpoint = ScriptedEndpoint(Reply.ok(ANSWER))
    with Extractor(settings=settings, llm=endpoint.llm(settings)) as ex:
        ex.run(TEXT)
        shutil.rmtree(settings.cache_dir)
        outcome = ex.run(TEXT + "\nmore")
    assert outcome.data.model_dump()["company"] == "Acme Health"


def test_a_planted_pickle_is_refused(tmp_path: Path) -> None:
    class Boom:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (print, ("pwned",))

    raw = diskcache.Cache(str(tmp_path))
    raw.set("k", Boom())  # stored with pickle, as an attacker with disk access could
    raw.close()
    cache = ResultCache(tmp_path)
    assert cache.get("k") is None
    assert any("unsafe" in w for w in cache.warnings)
    cache.close()


def test_values_are_stored_as_json_text(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cache.set("k", {"data": {"title": "x"}})
    assert cache.get("k") == {"data": {"title": "x"}}
    cache.close()
    with sqlite3.connect(tmp_path / "cache.db") as db:
        modes = {row[0] for row in db.execute("select mode from Cache")}
    assert diskcache.core.MODE_PICKLE not in modes
    assert JSONOnlyDisk is not diskcache.Disk
    assert pickle.dumps is not None


def test_cache_key_ignores_order_and_never_needs_the_key() -> None:
    assert cache_key(a=1, b=2) == cache_key(b=2, a=1)
    assert cache_key(a=1) != cache_key(a=2)


def test_the_api_key_is_not_in_the_cache(settings: Settings) -> None:
    endpoint = ScriptedEndpoint(Reply.ok(ANSWER))
    _run(settings, endpoint)
    blobs = b"".join(p.read_bytes() for p in settings.cache_dir.rglob("*") if p.is_file())
    assert TEST_KEY.encode() not in blobs
    assert b"Registered Nurse" in blobs  # the answer really is in there


# -- finished records ---------------------------------------------------------------------------
def _refuse(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """Make ``extractor.extraction.<name>`` fail the test when called."""
    for name in names:

        def refuse(*args: object, _name: str = name, **kwargs: object) -> object:
            raise AssertionError(f"a finished-record hit called {_name} again")

        monkeypatch.setattr(f"extractor.extraction.{name}", refuse)


def test_a_rerun_is_served_from_the_finished_record_without_cleaning_or_grounding(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint = ScriptedEndpoint(Reply.ok(ANSWER))
    first = _run(settings, endpoint)
    _refuse(monkeypatch, "prepare", "ground", "fill")
    second = _run(settings, endpoint)
    assert len(endpoint.requests) == 1
    assert second.cached and second.usage.requests == 0  # type: ignore[attr-defined]
    assert second.data.model_dump() == first.data.model_dump()  # type: ignore[attr-defined]
    assert second.evidence == first.evidence  # type: ignore[attr-defined]
    assert second.unsupported == first.unsupported  # type: ignore[attr-defined]
    assert second.warnings == first.warnings  # type: ignore[attr-defined]


def test_new_code_misses_the_record_but_reuses_the_answer(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint = ScriptedEndpoint(Reply.ok(ANSWER))
    first = _run(settings, endpoint)
    monkeypatch.setattr("extractor.extraction.code_version", lambda: "a later release")
    cleaned: list[object] = []
    real = extraction.prepare
    monkeypatch.setattr(
        "extractor.extraction.prepare", lambda *a, **k: cleaned.append(a) or real(*a, **k)
    )
    second = _run(settings, endpoint)
    assert cleaned and len(endpoint.requests) == 1  # cleaned and grounded again, not asked again
    assert second.cached and second.evidence == first.evidence  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "change", [{"keep_unsupported": True}, {"strict": True}, {"as_of": date(2027, 1, 1)}]
)
def test_a_setting_that_changes_the_record_misses_it_but_reuses_the_answer(
    settings: Settings, change: dict[str, object]
) -> None:
    endpoint = ScriptedEndpoint(Reply.ok(ANSWER))
    with Extractor(settings=settings, llm=endpoint.llm(settings)) as ex:
        ex.run(TEXT)
        key = ex.record_key(TEXT)
    with Extractor(settings=settings.with_(**change), llm=endpoint.llm(settings)) as ex:
        assert ex.record_key(TEXT) != key
    if "as_of" not in change:  # as_of is in the prompt: a new answer
        _run(settings.with_(**change), endpoint)
        assert len(endpoint.requests) == 1


def test_bytes_and_text_of_the_same_characters_are_different_inputs(settings: Settings) -> None:
    with Extractor(settings=settings) as ex:
        assert ex.record_key(TEXT) != ex.record_key(TEXT.encode())
        assert ex.record_key(TEXT) == ex.record_key(TEXT)


def test_code_version_is_stable_and_covers_the_package() -> None:
    assert code_version() == code_version()
    assert len(code_version()) == 64


def test_a_damaged_finished_record_is_ignored(settings: Settings) -> None:
    endpoint = ScriptedEndpoint(Reply.ok(ANSWER))
    with Extractor(settings=settings, llm=endpoint.llm(settings)) as ex:
        first = ex.run(TEXT)
        assert ex.cache is not None
        ex.cache.set(ex.record_key(TEXT), {"data": {"title": 5, "nope": 1}})
        again = ex.run(TEXT)  # falls back to the answer, grounded again
    assert len(endpoint.requests) == 1
    assert again.data.model_dump() == first.data.model_dump()


@pytest.mark.parametrize(
    ("fixed", "varying"),
    [
        (
            {"model": "m", "temperature": 0.0, "quotes": {"b": [1, "é"], "a": None}},
            {"messages": []},
        ),
        ({}, {"messages": [{"role": "user", "content": 'ü \u2028 "x"'}]}),
        ({"z": 1, "a": {"nested": {"y": 2, "x": 1}}}, {"m": "text", "b": 2.5}),
    ],
)
def test_key_maker_makes_cache_keys(fixed: dict[str, object], varying: dict[str, object]) -> None:
    assert KeyMaker(**fixed).key(**varying) == cache_key(**fixed, **varying)
