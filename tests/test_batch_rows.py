"""``extractor.batch.rows``: rows of a table through the batch path, and the README's Spark
recipe run on pandas batches (no Spark needed)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from extractor import Record, Settings, run_batch
from extractor.batch.rows import ROW_COLUMNS, RowRunner, record_row, row_item, row_record
from tests.conftest import AS_OF, REPO

OFFLINE = Settings(backend="offline", as_of=AS_OF)
POSTING = "Barista\nAcme Coffee\nPay: $18/hr\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "no text in column 'text'"),
        (42, "column 'text' holds int, not text or bytes"),
        ("x\udcff", "the text in column 'text' is not valid Unicode"),
        (b"\x00\x01\x02\xff" * 64, "input is binary data (many NUL bytes), not text"),
        ("", "input is empty"),
    ],
)
def test_a_bad_row_is_an_error_record(text: object, message: str) -> None:
    with RowRunner(settings=OFFLINE) as runner:
        [record] = runner.run([text], ["row-1"])
    assert (record.status, record.source) == ("error", "row-1")
    assert record.error is not None and record.error.message == message


def test_rows_give_the_records_files_give_and_skip_what_is_done(tmp_path: Any) -> None:
    (tmp_path / "a.txt").write_text(POSTING)
    run_batch([tmp_path / "a.txt"], tmp_path / "out.jsonl", settings=OFFLINE)
    [local] = map(Record.from_line, (tmp_path / "out.jsonl").read_text().splitlines())
    with RowRunner(settings=OFFLINE) as runner:
        [row] = runner.run([POSTING.encode()], [local.source])
        assert row == local
        runner.done = {local.done_key}
        assert runner.run([POSTING], [local.source]) == []


def test_a_record_row_is_flat_and_reads_back() -> None:
    with RowRunner(settings=OFFLINE) as runner:
        [record] = runner.run([POSTING])
    row = record_row(record)
    assert list(row) == list(ROW_COLUMNS)
    assert all(isinstance(row[k], str) for k in ("data", "usage", "evidence"))
    assert row_record(row) == record and record.source == f"sha256:{record.sha256}"


def test_a_row_item_names_the_cleaner_by_the_sources_file_name() -> None:
    item = row_item("<html><body><p>Barista</p></body></html>", "s3://bucket/jobs/7.html")
    assert item.source == "s3://bucket/jobs/7.html" and item.path.name == "7.html"


def test_the_readmes_spark_recipe_runs_on_pandas_batches() -> None:
    pd = pytest.importorskip("pandas", reason="pandas comes with the ray extra")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    [code] = [b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "mapInPandas" in b]
    recipe = code.replace("Settings.from_env()", "SETTINGS")

    class Frame:  # what Spark's DataFrame.mapInPandas does, on one partition
        def __init__(self, batches: list[Any]) -> None:
            self.batches = batches

        def mapInPandas(self, fn: Any, schema: str) -> Any:
            assert schema.count(",") == len(ROW_COLUMNS) - 1
            return pd.concat(list(fn(iter(self.batches))))

    batches = [pd.DataFrame({"source": ["a", "b"], "text": [POSTING, None]})]
    namespace: dict[str, Any] = {"SETTINGS": OFFLINE, "postings": Frame(batches)}
    exec(compile(recipe, "README.md", "exec"), namespace)
    records = namespace["records"]
    assert sorted(zip(records["source"], records["status"], strict=True)) == [
        ("a", "ok"),
        ("b", "error"),
    ]
    assert list(records.columns) == list(ROW_COLUMNS)
