"""``extractor run --engine ray`` (``extractor.ray.run``) and Parquet/JSONL tables
(``extractor.ray.tables``): same records as the local runner, resumable."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from extractor import Record
from extractor.cli import app
from tests.conftest import AS_OF

RUN = ["run", "--backend", "offline", "--as-of", AS_OF.isoformat(), "--quiet"]


def _folder(root: Path) -> Path:
    root.mkdir()
    for i in range(6):
        (root / f"p{i}.txt").write_text(f"Warehouse Associate {i}\nAcme Corp\nPay: ${18 + i}/hr\n")
    (root / "empty.txt").write_text("")
    (root / "loop").symlink_to(root)
    return root


def _records(out: Path) -> list[Record]:
    return [Record.from_line(line) for line in out.read_text().splitlines()]


def _essence(records: list[Record]) -> dict[str, Any]:
    return {r.source: (r.status, r.data, r.error, r.sha256, r.run_key) for r in records}


@pytest.mark.ray
def test_the_ray_engine_writes_the_local_runners_records_and_resumes(
    ray_cluster: Any, tmp_path: Path
) -> None:
    folder = _folder(tmp_path / "postings")
    runner = CliRunner()
    local = runner.invoke(app, [*RUN, str(folder), "-o", str(tmp_path / "local.jsonl")])
    out = tmp_path / "ray.jsonl"
    first = runner.invoke(
        app, [*RUN, str(folder), "-o", str(out), "--engine", "ray", "--actors", "1"]
    )
    assert (local.exit_code, first.exit_code) == (1, 1), first.output  # empty.txt and the loop
    assert _essence(_records(out)) == _essence(_records(tmp_path / "local.jsonl"))
    assert len(_records(out)) == 8

    again = runner.invoke(app, [*RUN, str(folder), "-o", str(out), "--engine", "ray"])
    assert again.exit_code == 1 and len(_records(out)) == 8  # all done already: nothing added


@pytest.mark.ray
def test_jsonl_then_parquet_in_one_parquet_folder_out_resumed_by_key(
    ray_cluster: Any, tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from extractor import Settings
    from extractor.batch.rows import row_record
    from extractor.ray import RECORD_SCHEMA, extract_table, read_table

    ids = [f"job-{i}" for i in range(5)]
    texts = [f"Barista {i}\nAcme Coffee\nPay: ${15 + i}/hr\n" for i in range(5)]
    jsonl = tmp_path / "postings.jsonl"
    jsonl.write_text(
        "".join(
            json.dumps({"id": i, "body": t}) + "\n" for i, t in zip(ids[:3], texts[:3], strict=True)
        )
    )
    pq.write_table(pa.table({"id": ids, "body": texts}), tmp_path / "postings.parquet")
    out = str(tmp_path / "records.parquet")
    options: dict[str, Any] = {
        "column": "body",
        "source_column": "id",
        "settings": Settings(backend="offline", as_of=AS_OF),
        "actors": 1,
    }

    extract_table(str(jsonl), out, **options)  # three rows
    extract_table(str(tmp_path / "postings.parquet"), out, **options)  # the same three, two more

    rows = read_table(out).take_all()
    assert sorted(r["source"] for r in rows) == ids  # none twice, none lost
    assert all(list(r) == RECORD_SCHEMA.names for r in rows)  # every record field, in order
    records = [row_record(r) for r in rows]
    assert {(r.data or {}).get("title") for r in records} == {f"Barista {i}" for i in range(5)}


def test_import_extractor_never_imports_ray() -> None:
    import subprocess

    code = "import extractor, extractor.cli, sys; print('ray' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_without_ray_the_engine_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in [m for m in sys.modules if m == "ray" or m.startswith(("ray.", "extractor.ray"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "ray", None)  # what a missing package looks like
    folder = _folder(tmp_path / "postings")
    result = CliRunner().invoke(app, [*RUN, str(folder), "--engine", "ray"])
    assert result.exit_code == 2 and "pip install 'extractor[ray]'" in result.output


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--address", "auto"], "--address and --actors need --engine ray"),
        (["--actors", "3"], "--address and --actors need --engine ray"),
        (["--engine", "spark"], "--engine must be local or ray"),
    ],
)
def test_engine_flags_are_checked_before_anything_runs(
    flags: list[str], message: str, tmp_path: Path
) -> None:
    folder = _folder(tmp_path / "postings")
    result = CliRunner().invoke(app, [*RUN, str(folder), *flags])
    assert result.exit_code == 2 and message in result.output
