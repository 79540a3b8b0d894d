"""Batch runs: one record per input, errors as records, resume, identical texts sent once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.batch.inputs import DEFAULT_GLOBS, iter_inputs
from extractor.batch.record import FIELDS
from extractor.batch.runner import BatchOptions, BatchRunner
from extractor.batch.sink import RecordSink
from extractor.extraction import Extractor
from extractor.settings import Settings
from extractor.testing.fakes import Reply, ScriptedEndpoint
from tests.conftest import AS_OF

ANSWER = {"title": "Warehouse Associate", "company": "Acme"}


def _folder(root: Path, n: int = 5) -> Path:
    root.mkdir()
    for i in range(n):
        (root / f"p{i}.txt").write_text(f"Warehouse Associate {i}\nAcme\n$18/hr\n")
    return root


async def _run(
    settings: Settings, endpoint: ScriptedEndpoint, paths: list[Path], out: Path, **kw: object
) -> object:
    extractor = Extractor(settings=settings, llm=endpoint.llm(settings))
    globs = kw.pop("globs", DEFAULT_GLOBS)
    with RecordSink(out, retry_errors=bool(kw.pop("retry_errors", False))) as sink:
        runner = BatchRunner(extractor, sink, BatchOptions(**kw))  # type: ignore[arg-type]
        stats = await runner.run(iter_inputs(paths, globs))  # type: ignore[arg-type]
    await extractor.aclose()
    return stats


def _records(out: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.read_text().splitlines()]


async def test_one_record_per_input_in_the_contract_shape(
    settings: Settings, tmp_path: Path
) -> None:
    folder = _folder(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    endpoint = ScriptedEndpoint(Reply.ok(ANSWER))
    stats = await _run(settings, endpoint, [folder], out, concurrency=3)
    records = _records(out)
    assert sorted(r["source"] for r in records) == sorted(str(p) for p in folder.iterdir())
    assert all(set(r) == set(FIELDS) for r in records)  # the whole contract, no more
    assert all(
        r["status"] == "ok" and r["backend"] == "llm" and r["model"] == settings.model
        for r in records
    )
    assert stats.ok == 5 and stats.usage.requests == 5  # type: ignore[attr-defined]


async def test_bad_inputs_become_error_records_and_the_rest_runs(
    settings: Settings, tmp_path: Path
) -> None:
    folder = _folder(tmp_path / "in", 2)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    (folder / "dir.txt").mkdir()
    (folder / "dir.txt" / "inner.md").write_text("Nurse\nHospital\n")
    out = tmp_path / "out.jsonl"
    stats = await _run(settings, ScriptedEndpoint(Reply.ok(ANSWER)), [folder], out)
    by_name = {Path(str(r["source"])).name: r for r in _records(out)}
    assert by_name["empty.txt"]["status"] == "error"
    assert by_name["image.txt"]["status"] == "error"
    assert by_name["inner.md"]["status"] == "ok"  # a folder named like a file is walked
    for name in ("empty.txt", "image.txt"):
        error = by_name[name]["error"]
        assert (
            isinstance(error, dict)
            and error["type"] == "InputError"
            and "\n" not in error["message"]
        )
    assert stats.failed == 2 and stats.ok == 3  # type: ignore[attr-defined]


async def test_a_rerun_skips_what_is_done_and_redoes_errors_only_when_asked(
    settings: Settings, tmp_path: Path
) -> None:
    folder = _folder(tmp_path / "in", 3)
    out = tmp_path / "out.jsonl"
    failing = ScriptedEndpoint(Reply.ok(ANSWER), Reply.status(400))
    off = settings.with_(use_cache=False)
    await _run(off, failing, [folder], out, concurrency=1)
    assert [r["status"] for r in _records(out)] == ["ok", "error", "error"]

    again = ScriptedEndpoint(Reply.ok(ANSWER))
    stats = await _run(off, again, [folder], out)
    assert len(again.requests) == 0 and stats.skipped == 3 and not stats.all_ok  # type: ignore[attr-defined]

    stats = await _run(off, again, [folder], out, retry_errors=True)
    assert len(again.requests) == 2 and stats.ok == 2  # type: ignore[attr-defined]
    records = _records(out)
    assert len(records) == 3 and all(r["status"] == "ok" for r in records)


async def test_identical_texts_are_sent_once(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        (folder / f"copy{i}.txt").write_text("Same posting\nAcme\n")
    out = tmp_path / "out.jsonl"
    endpoint = ScriptedEndpoint(Reply.ok(ANSWER))
    stats = await _run(settings.with_(use_cache=False), endpoint, [folder], out, concurrency=4)
    assert len(endpoint.requests) == 1
    assert stats.ok == 4 and stats.duplicates == 3  # type: ignore[attr-defined]
    assert len(_records(out)) == 4


async def test_globs_filter_folder_files_but_named_files_are_always_taken(
    settings: Settings, tmp_path: Path
) -> None:
    folder = _folder(tmp_path / "in", 1)
    (folder / "notes.json").write_text("{}\n")
    named = tmp_path / "named.data"
    named.write_text("Cook\nDiner\n")
    out = tmp_path / "out.jsonl"
    await _run(settings, ScriptedEndpoint(Reply.ok(ANSWER)), [folder, named], out)
    names = sorted(Path(str(r["source"])).name for r in _records(out))
    assert names == ["named.data", "p0.txt"]


async def test_symlink_loops_are_reported_not_followed(settings: Settings, tmp_path: Path) -> None:
    folder = _folder(tmp_path / "in", 1)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    out = tmp_path / "out.jsonl"
    await _run(settings, ScriptedEndpoint(Reply.ok(ANSWER)), [folder], out)
    records = _records(out)
    assert [r["status"] for r in records].count("ok") == 1
    loops = [r for r in records if r["status"] == "error"]
    assert len(loops) == 1 and "symlink loop" in str(loops[0]["error"])


async def test_no_posting_fails_because_of_rate_limiting_alone(
    settings: Settings, tmp_path: Path
) -> None:
    from extractor.llm import LLMClient
    from extractor.llm.ratelimit import RateGate
    from extractor.testing.simulator import Simulator, SimulatorConfig

    folder = _folder(tmp_path / "in", 36)
    out = tmp_path / "out.jsonl"
    config = SimulatorConfig(latency=0.01, max_in_flight=3, retry_after=0.02)
    with Simulator(config) as sim:
        live = settings.with_(base_url=sim.base_url, use_cache=False)
        gate = RateGate(concurrency=12)
        extractor = Extractor(settings=live, llm=LLMClient(live, gate=gate))
        with RecordSink(out) as sink:
            stats = await BatchRunner(extractor, sink, BatchOptions(concurrency=12)).run(
                iter_inputs([folder])
            )
        await extractor.aclose()
        outcomes = dict(sim.stats.outcomes)
    assert outcomes.get("429_in_flight", 0) > 0  # the server did push back
    assert stats.failed == 0 and stats.ok == 36
    assert gate.limit < 12  # and the client slowed down for everyone
    records = _records(out)
    assert len(records) == 36 and all(r["status"] == "ok" for r in records)
    assert stats.usage.requests == 36 + outcomes["429_in_flight"]  # every attempt is counted


async def test_an_unreadable_input_is_not_written_again_on_a_rerun(
    settings: Settings, tmp_path: Path
) -> None:
    folder = _folder(tmp_path / "in", 1)
    (folder / "broken.txt").symlink_to(folder / "nowhere.txt")
    out = tmp_path / "out.jsonl"
    first = await _run(settings, ScriptedEndpoint(Reply.ok(ANSWER)), [folder], out)
    again = await _run(settings, ScriptedEndpoint(Reply.ok(ANSWER)), [folder], out)
    errors = [r for r in _records(out) if r["status"] == "error"]
    assert first.failed == 1 and len(errors) == 1 and errors[0]["sha256"] is None  # type: ignore[attr-defined]
    assert again.skipped == 2 and again.skipped_errors == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("change", "same"),
    [
        ({}, True),
        ({"timeout": 5.0, "max_attempts": 2, "use_cache": False}, True),  # how, not what
        ({"model": "gpt-4o"}, False),
        ({"mode": "json_schema"}, False),
        ({"temperature": 0.5}, False),
        ({"max_input_tokens": 1000}, False),
        ({"keep_unsupported": True}, False),
        ({"strict": True}, False),
        ({"as_of": AS_OF.replace(year=2025)}, False),
    ],
)
def test_run_key_changes_with_what_decides_a_record(
    settings: Settings, change: dict[str, object], same: bool
) -> None:
    base = Extractor(settings=settings).run_key
    assert (Extractor(settings=settings.with_(**change)).run_key == base) is same


async def test_the_same_text_on_another_page_gets_evidence_from_its_own_page(
    settings: Settings, tmp_path: Path
) -> None:
    """Two pages whose cleaned text is identical but whose noise differs: one request, and each
    record's evidence offsets point into its own page."""
    folder = tmp_path / "in"
    folder.mkdir()
    body = "Warehouse Associate\nAcme\n\nPick and pack orders in our Dallas warehouse every day.\n"
    (folder / "a.txt").write_text(body)
    (folder / "b.txt").write_text("Skip the busywork\nDownload the app\n\n" + body)
    out = tmp_path / "out.jsonl"
    endpoint = ScriptedEndpoint(Reply.ok({"data": ANSWER, "quotes": []}))
    await _run(settings, endpoint, [folder], out, concurrency=2)
    assert len(endpoint.requests) == 1
    for record in _records(out):
        page = Path(str(record["source"])).read_text()
        titles = [e for e in record["evidence"] if e["path"] == "title"]  # type: ignore[union-attr]
        assert titles and all(page[e["start"] : e["end"]] == e["quote"] for e in titles)
