"""extractor.evaluation.asof: a labelled set's as-of day, and refusing predictions of another."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from extractor.errors import InputError
from extractor.evaluation import evaluate
from extractor.evaluation.asof import read_set_as_of, relative_dates
from tests.conftest import AS_OF, DATA, POSTINGS


class Dated(BaseModel):
    text: str
    date: dt.date | None = None


class Notice(BaseModel):
    title: str | None = None
    posted: Dated | None = None


RELATIVE = {"title": "Pen", "posted": {"text": "Posted 3 days ago", "date": "2026-11-19"}}
ABSOLUTE = {"title": "Pen", "posted": {"text": "Posted Nov 19, 2026", "date": "2026-11-19"}}


def _gold(folder: Path, label: dict[str, Any], set_yaml: str | None) -> Path:
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(label), encoding="utf-8")
    (folder / "a.txt").write_text("posting", encoding="utf-8")
    if set_yaml is not None:
        (folder / "SET.yaml").write_text(set_yaml, encoding="utf-8")
    return folder


def _predictions(path: Path, data: dict[str, Any], **extra: Any) -> Path:
    record = {"source": "in/a.txt", "status": "ok", "data": data, **extra}
    stray = {"source": "in/zz.txt", "status": "ok", "data": {}, "as_of": "1999-01-01"}
    path.write_text(json.dumps(record) + "\n" + json.dumps(stray) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("label", "set_yaml", "record_as_of", "error", "warning"),
    [
        (RELATIVE, "as_of: 2026-11-22\n", "2026-11-22", None, None),
        (RELATIVE, "as_of: 2026-11-22\n", "2026-12-04", "--as-of 2026-11-22", None),
        (ABSOLUTE, "as_of: 2026-11-22\n", "2026-12-04", "made as of 2026-12-04", None),
        (RELATIVE, None, "2026-11-22", "has relative dates (e.g. a: 'Posted 3 days ago')", None),
        (RELATIVE, "# no day here\n", None, "add", None),
        (ABSOLUTE, None, None, None, None),
        (ABSOLUTE, None, "2026-12-04", None, None),  # nothing relative: any day scores the same
        (RELATIVE, "as_of: 2026-11-22\n", None, None, "1 prediction(s) do not say their as-of"),
        (RELATIVE, "as_of: 2026-11-22\n", "soon", None, "as_of is not a date"),
        (RELATIVE, "as_of: soon\n", "2026-11-22", "as_of must be a date", None),
        (RELATIVE, "as_of: 2026-11-22 10:00:00\n", "2026-11-22", "as_of must be a date", None),
        (RELATIVE, "- as_of\n", "2026-11-22", "expected a mapping", None),
        (RELATIVE, "as_of: [\n", "2026-11-22", "SET.yaml: cannot read", None),
    ],
)
def test_evaluate_checks_the_as_of_day(
    tmp_path: Path,
    label: dict[str, Any],
    set_yaml: str | None,
    record_as_of: str | None,
    error: str | None,
    warning: str | None,
) -> None:
    gold = _gold(tmp_path / "gold", label, set_yaml)
    extra = {} if record_as_of is None else {"as_of": record_as_of}
    predictions = _predictions(tmp_path / "p.jsonl", label, **extra)
    if error is not None:
        with pytest.raises(InputError) as caught:
            evaluate(gold, predictions, Notice)
        assert error in str(caught.value)
        assert "\n" not in str(caught.value)
        return
    report = evaluate(gold, predictions, Notice)
    assert report.groups["all"].f1 == 1.0
    as_of_warnings = [w for w in report.warnings if "as_of" in w or "as-of" in w]
    if warning is None:
        assert as_of_warnings == []
    else:
        assert any(warning in w for w in as_of_warnings), as_of_warnings
    expected_day = "2026-11-22" if set_yaml and "2026-11-22" in set_yaml else None
    assert report.as_of == expected_day


def test_cli_refuses_another_day_in_one_line_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extractor.cli import app, eval_cmd

    monkeypatch.setattr(eval_cmd, "load_schema", lambda task: Notice)
    gold = _gold(tmp_path / "gold", RELATIVE, "as_of: 2026-11-22\n")
    predictions = _predictions(tmp_path / "p.jsonl", RELATIVE, as_of="2026-12-04")
    result = CliRunner().invoke(app, ["eval", str(gold), str(predictions)])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "labelled as of 2026-11-22" in lines[0] and "--as-of 2026-11-22" in lines[0]


def test_cli_prints_the_set_day(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from extractor.cli import app, eval_cmd

    monkeypatch.setattr(eval_cmd, "load_schema", lambda task: Notice)
    gold = _gold(tmp_path / "gold", RELATIVE, "as_of: 2026-11-22\n")
    predictions = _predictions(tmp_path / "p.jsonl", RELATIVE, as_of="2026-11-22")
    result = CliRunner().invoke(app, ["eval", str(gold), str(predictions)])
    assert result.exit_code == 0, result.output
    assert "as of: 2026-11-22" in result.stdout


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"posted": {"text": "Posted 99 days ago", "date": "2026-08-15"}}, ["Posted 99 days ago"]),
        ({"posted": {"text": "12 March", "date": "2026-03-12"}}, ["12 March"]),
        ({"posted": {"text": "15.09.26", "date": "2026-09-15"}}, ["15.09.26"]),
        ({"posted": {"text": "Sep 15, 2025", "date": "2025-09-15"}}, []),
        ({"posted": {"text": "30+ days ago", "date": None}}, []),  # no date: nothing to resolve
        ({"posted": {"text": "12026 items", "date": "2026-03-12"}}, ["12026 items"]),
        ({"deadlines": [{"text": "in 2 weeks", "date": "2026-12-06"}]}, ["in 2 weeks"]),
    ],
)
def test_relative_dates(data: dict[str, Any], expected: list[str]) -> None:
    assert [text for _, text in relative_dates({"doc": data})] == expected


@pytest.mark.parametrize("folder", [POSTINGS, DATA / "heldout", DATA / "real" / "dev"])
def test_labelled_sets_state_their_day(folder: Path) -> None:
    expected = AS_OF if folder.parent == DATA else dt.date(2026, 12, 4)
    assert read_set_as_of(folder) == expected


def test_the_dev_set_needs_its_day() -> None:
    """The synthetic dev set has relative dates, so it is unscorable without SET.yaml."""
    gold = {p.stem: json.loads(p.read_text("utf-8")) for p in POSTINGS.glob("*.json")}
    assert len(list(relative_dates(gold))) >= 10
