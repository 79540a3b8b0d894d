"""The JSONL sink: whole lines, torn-line repair, the done index, the lock, --retry-errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.errors import ConfigError
from extractor.output import JsonlSink


def _rec(source: str, status: str = "ok", run_key: str = "k1") -> dict[str, object]:
    return {"source": source, "sha256": "s-" + source, "run_key": run_key, "status": status}


def test_records_are_appended_as_whole_lines(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with JsonlSink(out) as sink:
        sink.write(_rec("a"))
        sink.write(_rec("b", "error"))
    with JsonlSink(out) as sink:
        sink.write(_rec("c"))
    lines = out.read_text().splitlines()
    assert [json.loads(line)["source"] for line in lines] == ["a", "b", "c"]


def test_a_torn_last_line_is_cut_on_open(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(json.dumps(_rec("a")) + "\n" + '{"source": "b", "sta')
    sink = JsonlSink(out).open()
    assert sink.existing.repaired_bytes == len('{"source": "b", "sta')
    assert sink.is_done(("a", "s-a", "k1"))
    sink.write(_rec("b"))
    sink.close()
    assert [json.loads(line)["source"] for line in out.read_text().splitlines()] == ["a", "b"]


def test_a_file_of_one_torn_line_is_emptied(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text('{"source": "half')
    with JsonlSink(out) as sink:
        assert sink.existing.repaired_bytes > 0
    assert out.read_text() == ""


@pytest.mark.parametrize(
    ("status", "retry_errors", "run_key", "done"),
    [
        ("ok", False, "k1", True),
        ("ok", True, "k1", True),
        ("error", False, "k1", True),  # an error is final unless asked
        ("error", True, "k1", False),
        ("ok", False, "k2", False),  # other settings: not done
    ],
)
def test_done_index(
    tmp_path: Path, status: str, retry_errors: bool, run_key: str, done: bool
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(json.dumps(_rec("a", status)) + "\n")
    with JsonlSink(out, retry_errors=retry_errors) as sink:
        assert sink.is_done(("a", "s-a", run_key)) is done


def test_retry_errors_drops_error_lines_so_each_input_keeps_one_record(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(
        "".join(json.dumps(r) + "\n" for r in [_rec("a"), _rec("b", "error"), _rec("c")])
    )
    with JsonlSink(out, retry_errors=True) as sink:
        sink.write(_rec("b"))
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["source"], r["status"]) for r in records] == [("a", "ok"), ("c", "ok"), ("b", "ok")]


def test_a_second_writer_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with JsonlSink(out), pytest.raises(ConfigError, match="another extractor run"):
        JsonlSink(out).open()
    with JsonlSink(out):  # released after the first closed
        pass


def test_garbage_lines_are_counted_not_fatal(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("not json\n" + json.dumps(_rec("a")) + "\n")
    with JsonlSink(out) as sink:
        assert sink.existing.bad_lines == 1
        assert sink.is_done(("a", "s-a", "k1"))
