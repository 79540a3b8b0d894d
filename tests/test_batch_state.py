"""OUT.batches.json: written atomically, read back as written, and what a killed run left."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.batch.state import BatchState, Submission, state_path
from extractor.errors import ConfigError
from extractor.outcome import Usage


def _sub(keys: list[str], file_id: str | None = None, batch_id: str | None = None) -> Submission:
    return Submission(0, 1, "run", "2026-11-22", "gpt-4o-mini", None, keys, file_id, batch_id)


def test_the_state_lives_beside_out_and_reads_back(tmp_path: Path) -> None:
    path = state_path(tmp_path / "out.jsonl")
    assert path.name == "out.jsonl.batches.json"
    state = BatchState(path)
    first = state.add(_sub(["a", "b"], "file-1", "batch-1"))
    second = state.add(_sub(["c"]))
    second.prior = {"c": [1, 10, 2, 1]}
    state.save()
    again = BatchState.load(path)
    assert [s.number for s in again.submissions] == [1, 2] and again.submissions == [first, second]
    assert again.submissions[1].earlier("c") == (1, Usage(10, 2, 1))
    assert again.submissions[0].earlier("a") == (0, Usage())
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp file left behind


def test_in_flight_and_unsent(tmp_path: Path) -> None:
    state = BatchState(state_path(tmp_path / "o.jsonl"))
    state.add(_sub(["a"], "file-1", "batch-1"))
    state.add(_sub(["b"], "file-2"))  # uploaded, batch not saved
    state.add(_sub(["c"]))  # killed before the upload finished
    done = state.add(_sub(["d"], "file-4", "batch-4"))
    done.collected = True
    assert set(state.in_flight()) == {"a", "b"}
    assert state.drop_unsent() == 1
    assert [s.keys for s in BatchState.load(state.path).submissions] == [["a"], ["b"], ["d"]]


@pytest.mark.parametrize(
    "text", ["{", '{"version": 99, "submissions": []}', '{"version": 1}', "[]"]
)
def test_an_unreadable_state_is_a_config_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "o.jsonl.batches.json"
    path.write_text(text)
    with pytest.raises(ConfigError, match="move it away to start over"):
        BatchState.load(path)


def test_no_state_is_an_empty_one(tmp_path: Path) -> None:
    assert BatchState.load(tmp_path / "none.json").submissions == []
