"""The sinks: whole lines, torn-line repair, the done index, the lock, --retry-errors; CSV
flattening and resume."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from extractor.batch.csv_format import CsvFormat, data_columns, flatten
from extractor.batch.record import COLUMNS, Record
from extractor.batch.sink import RecordSink
from extractor.errors import ConfigError
from extractor.tasks import load_task


def _raw(source: str, status: str = "ok", run_key: str = "k1") -> dict[str, object]:
    return {"source": source, "sha256": "s-" + source, "run_key": run_key, "status": status}


def _rec(source: str, status: str = "ok", run_key: str = "k1") -> Record:
    return Record.from_dict(_raw(source, status, run_key))


def test_records_are_appended_as_whole_lines(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with RecordSink(out) as sink:
        sink.write(_rec("a"))
        sink.write(_rec("b", "error"))
    with RecordSink(out) as sink:
        sink.write(_rec("c"))
    lines = out.read_text().splitlines()
    assert [json.loads(line)["source"] for line in lines] == ["a", "b", "c"]


def test_a_torn_last_line_is_cut_on_open(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(json.dumps(_raw("a")) + "\n" + '{"source": "b", "sta')
    sink = RecordSink(out).open()
    assert sink.existing.repaired_bytes == len('{"source": "b", "sta')
    assert sink.is_done(("a", "s-a", "k1"))
    sink.write(_rec("b"))
    sink.close()
    assert [json.loads(line)["source"] for line in out.read_text().splitlines()] == ["a", "b"]


def test_a_file_of_one_torn_line_is_emptied(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text('{"source": "half')
    with RecordSink(out) as sink:
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
    out.write_text(json.dumps(_raw("a", status)) + "\n")
    with RecordSink(out, retry_errors=retry_errors) as sink:
        assert sink.is_done(("a", "s-a", run_key)) is done


def test_retry_errors_drops_error_lines_so_each_input_keeps_one_record(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("".join(r.to_line() for r in [_rec("a"), _rec("b", "error"), _rec("c")]))
    with RecordSink(out, retry_errors=True) as sink:
        sink.write(_rec("b"))
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["source"], r["status"]) for r in records] == [("a", "ok"), ("c", "ok"), ("b", "ok")]


def test_a_second_writer_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with RecordSink(out), pytest.raises(ConfigError, match="another extractor run"):
        RecordSink(out).open()
    with RecordSink(out):  # released after the first closed
        pass


def test_garbage_lines_are_counted_not_fatal(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("not json\n" + json.dumps(_raw("a")) + "\n")
    with RecordSink(out) as sink:
        assert sink.existing.bad_lines == 1
        assert sink.is_done(("a", "s-a", "k1"))


# -- CSV ----------------------------------------------------------------------------------------
def _full(source: str, status: str = "ok", **data: object) -> Record:
    return Record.from_dict(
        {
            **_raw(source, status),
            "task": "job_posting",
            "backend": "llm",
            "model": "gpt-4o-mini",
            "cached": False,
            "data": data or None,
            "error": {"type": "InputError", "message": "file is empty"}
            if status == "error"
            else None,
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "requests": 1},
            "warnings": [],
        }
    )


def test_csv_columns_flatten_nested_models_one_level() -> None:
    columns = data_columns(load_task().schema)
    assert {"title", "pay.min", "pay.currency", "posted.date", "locations", "skills"} <= set(
        columns
    )
    assert "pay" not in columns and "locations.city" not in columns


@pytest.mark.parametrize(
    ("column", "data", "cell"),
    [
        ("title", {"title": "Nurse"}, "Nurse"),
        ("title", {"title": None}, ""),
        ("pay.min", {"pay": {"min": 45.0, "max": 50.5}}, "45"),
        ("pay.max", {"pay": {"min": 45.0, "max": 50.5}}, "50.5"),
        ("pay.min", {"pay": None}, ""),
        (
            "locations",
            {"locations": [{"text": "Berlin", "city": "Berlin"}, {"text": "Remote"}]},
            "Berlin; Remote",
        ),
        ("locations", {"locations": [{"city": "Paris", "country": "FR"}]}, "Paris, FR"),
        ("skills", {"skills": ["Python", "SQL"]}, "Python | SQL"),
        ("skills", {"skills": []}, ""),
        ("is_expired", {"is_expired": True}, "true"),
        ("title", {"title": "Line one\nline two"}, "Line one line two"),
        ("team", {"team": {"deeper": [1]}}, '{"deeper":[1]}'),
    ],
)
def test_csv_cells(column: str, data: dict[str, object], cell: str) -> None:
    cells = flatten(_full("a", **data), [column])
    assert cells[len(COLUMNS)] == cell


def test_csv_error_rows_carry_type_and_message() -> None:
    cells = dict(zip(COLUMNS, flatten(_full("a", "error"), []), strict=True))
    assert cells["status"] == "error"
    assert (cells["error_type"], cells["error_message"]) == ("InputError", "file is empty")
    assert (cells["prompt_tokens"], cells["requests"], cells["cached"]) == ("10", "1", "false")


def test_csv_is_one_physical_line_per_record_and_resumes_like_jsonl(tmp_path: Path) -> None:
    import csv

    fmt = CsvFormat(load_task().schema)
    out = tmp_path / "out.csv"
    with RecordSink(out, fmt=fmt) as sink:
        sink.write(_full("a", title='Nurse, "night"\nshift', skills=["x", "y"]))
        sink.write(_full("b", "error"))
    lines = out.read_text().splitlines()
    assert len(lines) == 3 and lines[0].startswith("source,sha256,")
    rows = list(csv.DictReader(out.open()))
    assert rows[0]["title"] == 'Nurse, "night" shift' and rows[0]["skills"] == "x | y"
    with out.open("a") as handle:  # a run killed mid-line
        handle.write("c,s-c,job_po")
    with RecordSink(out, fmt=fmt) as sink:
        assert sink.existing.repaired_bytes == len("c,s-c,job_po")
        assert sink.is_done(("a", "s-a", "k1")) and sink.is_done(("b", "s-b", "k1"))
    with RecordSink(out, fmt=fmt, retry_errors=True) as sink:
        assert not sink.is_done(("b", "s-b", "k1"))
        sink.write(_full("b", title="Cook"))
    rows = list(csv.DictReader(out.open()))
    assert [(r["source"], r["status"]) for r in rows] == [("a", "ok"), ("b", "ok")]


def test_csv_refuses_a_file_with_other_columns(tmp_path: Path) -> None:
    class Other(BaseModel):
        name: str | None = None

    out = tmp_path / "out.csv"
    with RecordSink(out, fmt=CsvFormat(Other)) as sink:
        sink.write(_full("a"))
    with pytest.raises(ConfigError, match="header"):
        RecordSink(out, fmt=CsvFormat(load_task().schema)).open()
    with RecordSink(out, fmt=CsvFormat(Other)):  # the lock was released on refusal
        pass


def test_csv_to_stdout_starts_with_the_header() -> None:
    import io

    stream = io.StringIO()
    sink = RecordSink(None, fmt=CsvFormat(load_task().schema)).open(stream)
    sink.write(_full("a", title="Nurse"))
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("source,") and lines[1].startswith("a,s-a,")


def test_an_unreadable_input_without_a_hash_is_done(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(json.dumps({**_raw("gone", "error"), "sha256": None}) + "\n")
    with RecordSink(out) as sink:
        assert sink.is_done(("gone", "", "k1"))
