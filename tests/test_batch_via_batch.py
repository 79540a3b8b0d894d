"""``run_batch(..., via="batch")`` against the simulator's Batch API: faults, splitting, waves,
resuming from every state a killed run can leave, the cache, cost accounting."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from extractor import Record, Settings, run_batch
from extractor.batch.api_options import BatchApiOptions, BatchApiStats
from extractor.batch.state import BatchState, Submission, state_path
from extractor.errors import ConfigError
from extractor.outcome import Usage
from extractor.testing.simulator import Simulator, SimulatorConfig
from tests.conftest import AS_OF, make_postings

FAULTS = {
    "batch_error": 0.02,
    "batch_expired": 0.01,
    "batch_invalid": 0.02,
    "batch_malformed": 0.01,
}
FAST = BatchApiOptions(poll_interval=0.01)
N = 80


@pytest.fixture
def postings(tmp_path: Path) -> Path:
    return make_postings(tmp_path / "in", N)


def settings_for(sim: Simulator, tmp_path: Path, **changes: Any) -> Settings:
    return Settings(
        backend="llm",
        base_url=sim.base_url,
        api_key="test",
        cache_dir=tmp_path / "cache",
        as_of=AS_OF,
        **{"mode": "tools", **changes},  # as auto settles on OpenAI, which the Batch API is
    )


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(SimulatorConfig(seed=5, **FAULTS)) as running:
        yield running


def records(out: Path) -> list[Record]:
    return [Record.from_line(line) for line in out.read_text().splitlines()]


def submitted(sim: Simulator) -> list[list[str]]:
    """The custom ids of each batch the simulator was given, in creation order."""
    batches = sorted(sim.server.batch_api.batches.values(), key=lambda b: b.id)
    return [[line["custom_id"] for line in b.lines] for b in batches]


def test_every_input_ends_ok_once_despite_line_faults(
    sim: Simulator, postings: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    stats = run_batch([postings], out, settings=settings_for(sim, tmp_path), via="batch",
                      batch_options=FAST)  # fmt: skip
    assert isinstance(stats, BatchApiStats) and stats.all_ok
    lines = records(out)
    assert len(lines) == N and {r.status for r in lines} == {"ok"}
    assert len({r.source for r in lines}) == N  # none duplicated
    assert stats.ok == N and stats.batches == 1 and stats.requests_submitted == N
    made = sim.stats.outcomes
    faults = sum(
        made.get(f"batch_line_{f}", 0) for f in ("error", "expired", "invalid", "malformed")
    )
    assert made["batch_line_ok"] + faults == N and faults > 0
    assert stats.second_wave == faults  # every failed line was asked again...
    assert made["ok"] == faults  # ...synchronously, one request each
    assert stats.unreadable_lines == made.get("batch_line_malformed", 0)
    # Usage is summed per line: each record's usage is its lines' (and re-asks') total; the
    # batch part is what was billed at the batch price, the rest is the synchronous requests.
    assert stats.usage == sum((r.usage for r in lines), start=Usage())
    assert stats.usage.requests == stats.batch_usage.requests + sim.stats.received
    assert stats.batch_usage.requests > N - stats.second_wave  # invalid answers were billed


def test_the_second_wave_can_be_a_new_batch(sim: Simulator, postings: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    options = BatchApiOptions(poll_interval=0.01, second_wave="batch")
    settings = settings_for(sim, tmp_path, max_reasks=3)
    stats = run_batch([postings], out, settings=settings, via="batch", batch_options=options)
    sent = submitted(sim)
    assert len(sent) >= 2 and sim.stats.received == 0  # no synchronous request at all
    assert len(sent[0]) == N and set(sent[1]) < set(sent[0])  # only the failures again
    lines = records(out)
    assert len(lines) == N == len({r.source for r in lines})
    failed = [r for r in lines if r.status != "ok"]
    assert len(failed) == stats.failed  # a request failing 4 times in a row is recorded failed
    assert all(r.error and "time(s)" in r.error.message for r in failed)
    state = BatchState.load(state_path(out))
    assert [s.wave for s in state.submissions][:2] == [1, 2] and not state.open()
    wave2 = state.submissions[1]
    assert all(wave2.earlier(key)[0] == 1 for key in wave2.keys)  # attempts carried over


def test_a_reask_in_a_new_batch_carries_the_validation_error(
    postings: Path, tmp_path: Path
) -> None:
    with Simulator(SimulatorConfig(batch_invalid=1.0)) as sim:
        settings = settings_for(sim, tmp_path, max_reasks=1)
        options = BatchApiOptions(poll_interval=0.01, second_wave="batch")
        stats = run_batch([postings], tmp_path / "o.jsonl", settings=settings, via="batch",
                          batch_options=options)  # fmt: skip
        batches = sorted(sim.server.batch_api.batches.values(), key=lambda b: b.id)
    assert stats.failed == N and len(batches) == 2  # one re-ask each, then recorded failed
    reask = batches[1].lines[0]["body"]["messages"]
    assert reask[-2]["role"] == "assistant" and reask[-1]["role"] == "tool"
    assert "pay.min must not be greater than pay.max" in reask[-1]["content"]
    first = records(tmp_path / "o.jsonl")[0]
    assert first.error is not None and first.error.type == "InvalidAnswerError"
    assert first.usage.requests == 2  # both lines' tokens are on the record


@pytest.mark.parametrize(
    "options",
    [
        BatchApiOptions(poll_interval=0.01, batch_size=20),
        BatchApiOptions(poll_interval=0.01, max_bytes=220_000),
    ],
    ids=["by-requests", "by-bytes"],
)
def test_files_are_split_at_the_limits(
    postings: Path, tmp_path: Path, options: BatchApiOptions
) -> None:
    with Simulator(SimulatorConfig()) as sim:
        stats = run_batch([postings], tmp_path / "o.jsonl", settings=settings_for(sim, tmp_path),
                          via="batch", batch_options=options)  # fmt: skip
        files = [f.content for f in sim.server.batch_api.files.values() if f.purpose == "batch"]
        sent = submitted(sim)
    assert len(sent) == stats.batches >= 4
    assert len({i for ids in sent for i in ids}) == sum(map(len, sent)) == N  # each in one file
    assert all(len(ids) <= options.batch_size for ids in sent)
    assert all(len(content) <= options.max_bytes for content in files)
    for content, following in itertools.pairwise(files):  # packed greedily
        first_line = following.split(b"\n", 1)[0] + b"\n"
        full = len(content) + len(first_line) > options.max_bytes
        assert full or content.count(b"\n") == options.batch_size


def test_identical_requests_are_sent_once(sim: Simulator, tmp_path: Path) -> None:
    folder = make_postings(tmp_path / "in", 5)
    for i in range(3):
        (folder / f"copy{i}.txt").write_text((folder / "p00000.txt").read_text())
    out = tmp_path / "out.jsonl"
    stats = run_batch([folder], out, settings=settings_for(sim, tmp_path), via="batch",
                      batch_options=FAST)  # fmt: skip
    assert stats.duplicates == 3 and stats.requests_submitted == 5
    same = [
        r
        for r in records(out)
        if r.source.endswith(("copy0.txt", "copy1.txt", "copy2.txt", "p00000.txt"))
    ]
    assert len(same) == 4 and {r.status for r in same} == {"ok"}
    assert sorted(r.usage.requests for r in same) == [0, 0, 0, 1]  # the cost on one record
    assert [r.cached for r in same].count(True) == 3


def test_results_fill_the_cache_so_a_later_sync_run_costs_nothing(
    sim: Simulator, postings: Path, tmp_path: Path
) -> None:
    settings = settings_for(sim, tmp_path)
    run_batch([postings], tmp_path / "a.jsonl", settings=settings, via="batch", batch_options=FAST)
    before = sim.stats.received
    again = run_batch([postings], tmp_path / "b.jsonl", settings=settings)
    assert sim.stats.received == before  # not one request
    assert again.ok == N and again.cached == N and again.usage.requests == 0


def test_a_rerun_of_a_finished_run_sends_nothing(
    sim: Simulator, postings: Path, tmp_path: Path
) -> None:
    out, settings = tmp_path / "out.jsonl", settings_for(sim, tmp_path, use_cache=False)
    run_batch([postings], out, settings=settings, via="batch", batch_options=FAST)
    created = len(sim.server.batch_api.batches)
    again = run_batch([postings], out, settings=settings, via="batch", batch_options=FAST)
    assert again.skipped == N and len(sim.server.batch_api.batches) == created
    assert len(records(out)) == N


def _killed_after(out: Path, sim: Simulator, tmp_path: Path, postings: Path, step: str) -> None:
    """Leave the state a run killed right after ``step`` of its first submission leaves."""
    settings = settings_for(sim, tmp_path, use_cache=False)
    run_batch([postings], out, settings=settings, via="batch", batch_options=FAST)
    out.write_text("")  # as if nothing had been collected...
    state = BatchState.load(state_path(out))
    first = state.submissions[0]
    state.submissions = [first]
    first.collected, first.status = False, "in_progress"
    if step == "reserve":
        first.input_file_id = first.batch_id = None
    elif step == "upload":
        first.batch_id = None
    elif step == "upload-only":  # the file went up, the batch was never created
        api = sim.server.batch_api
        uploaded = api.files[str(first.input_file_id)]
        first.input_file_id = api._store("again.jsonl", "batch", uploaded.content).id
        first.batch_id = None
    state.save()


@pytest.mark.parametrize(
    ("step", "new_batches", "resumed"),
    [("reserve", 1, 0), ("upload", 0, 1), ("upload-only", 1, 1), ("create", 0, 1)],
    ids=[
        "killed-before-upload",
        "killed-before-saving-the-batch",
        "killed-before-creating-the-batch",
        "killed-while-polling",
    ],
)
def test_a_killed_run_resumes_without_resubmitting(
    sim: Simulator, postings: Path, tmp_path: Path, step: str, new_batches: int, resumed: int
) -> None:
    out = tmp_path / "out.jsonl"
    _killed_after(out, sim, tmp_path, postings, step)
    created = len(sim.server.batch_api.batches)
    settings = settings_for(sim, tmp_path, use_cache=False)
    stats = run_batch([postings], out, settings=settings, via="batch", batch_options=FAST)
    # A batch created before the kill is adopted (found by its input file), never made twice.
    assert len(sim.server.batch_api.batches) - created == new_batches
    assert stats.resumed_batches == resumed
    lines = records(out)
    assert len(lines) == N == len({r.source for r in lines})
    assert {r.status for r in lines} == {"ok"}


def test_a_cancelled_batch_leaves_its_inputs_for_the_next_run(
    postings: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    with Simulator(SimulatorConfig(batch_turnaround=60)) as sim:
        settings = settings_for(sim, tmp_path)
        api = sim.server.batch_api
        clock = api.clock

        def cancel_half_done(stats: Any) -> None:
            for batch in api.batches.values():
                if batch.status == "in_progress":
                    api.clock = lambda started=batch.started: started + 30  # half the lines
                    batch.status = "cancelling"

        stats = run_batch([postings], out, settings=settings, via="batch", batch_options=FAST,
                          on_progress=cancel_half_done)  # fmt: skip
        assert stats.ok == N // 2 and stats.unfinished == N // 2 and not stats.all_ok
        api.clock, sim.config.batch_turnaround = clock, 0.0
        again = run_batch([postings], out, settings=settings, via="batch", batch_options=FAST)
    assert again.skipped == N // 2 and again.ok == N // 2 and again.requests_submitted == N // 2
    assert Counter(r.status for r in records(out)) == {"ok": N}


def test_no_reasks_means_failed_lines_are_recorded_at_once(postings: Path, tmp_path: Path) -> None:
    with Simulator(SimulatorConfig(batch_expired=1.0)) as sim:
        settings = settings_for(sim, tmp_path, max_reasks=0)
        stats = run_batch([postings], tmp_path / "o.jsonl", settings=settings, via="batch",
                          batch_options=FAST)  # fmt: skip
    assert stats.failed == N and stats.second_wave == 0 and sim.stats.received == 0
    error = records(tmp_path / "o.jsonl")[0].error
    assert error is not None and "expired" in error.message and "--retry-errors" in error.message


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"output": None}, "needs an output file"),
        ({"settings": Settings(backend="offline")}, "llm backend"),
        ({"via": "carrier-pigeon"}, "via must be sync or batch"),
    ],
)
def test_refused_before_any_work(
    sim: Simulator, postings: Path, tmp_path: Path, kwargs: dict[str, Any], message: str
) -> None:
    call: dict[str, Any] = {"output": tmp_path / "o.jsonl", "settings": settings_for(sim, tmp_path),
                            "via": "batch", **kwargs}  # fmt: skip
    output = call.pop("output")
    with pytest.raises(ConfigError, match=message):
        run_batch([postings], output, batch_options=FAST, **call)
    assert not sim.server.batch_api.files


def test_open_batches_of_other_settings_are_refused(
    sim: Simulator, postings: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    state = BatchState(state_path(out))
    template = Submission(0, 1, "other-run-key", AS_OF.isoformat(), "m", None, ["k"])
    template.input_file_id, template.batch_id = "file-x", "batch-x"
    state.add(template)
    with pytest.raises(ConfigError, match="other settings"):
        run_batch([postings], out, settings=settings_for(sim, tmp_path), via="batch",
                  batch_options=FAST)  # fmt: skip


def test_a_resumed_run_keeps_the_day_it_began(sim: Simulator, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    state = BatchState(state_path(out))
    template = Submission(0, 1, "k", "2026-01-05", "m", None, ["x"], "file-x", "batch-x")
    state.add(template)
    from extractor.batch.state import batch_state

    _, settings = batch_state(out, Settings(backend="llm", base_url=sim.base_url))
    assert settings.as_of is not None and settings.as_of.isoformat() == "2026-01-05"
    raw = json.loads(state_path(out).read_text())
    assert raw["version"] == 1 and raw["submissions"][0]["batch_id"] == "batch-x"


def test_a_batch_failed_as_a_whole_is_not_asked_again_at_full_price(
    sim: Simulator, postings: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extractor.testing.simulator import batch_lines

    limit = {
        "code": "token_limit_exceeded",
        "message": "Enqueued token limit reached",
        "line": None,
    }
    parse = batch_lines.parse_input
    monkeypatch.setattr(batch_lines, "parse_input", lambda content, endpoint: ([], [limit]))
    out, settings = tmp_path / "out.jsonl", settings_for(sim, tmp_path)
    stats = run_batch([postings], out, settings=settings, via="batch", batch_options=FAST)
    assert stats.unfinished == N and stats.ok == stats.failed == 0 and not stats.all_ok
    assert sim.stats.received == 0  # no synchronous request at all
    assert "Enqueued token limit reached" in stats.failed_batches[0]
    monkeypatch.setattr(batch_lines, "parse_input", parse)  # the limit lifts: a re-run finishes
    again = run_batch([postings], out, settings=settings, via="batch", batch_options=FAST)
    assert again.ok == N and again.requests_submitted == N and len(records(out)) == N
