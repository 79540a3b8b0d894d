"""Hostile records for the review page: no local file outside the source root, or whose bytes do
not match the record's sha256, ever reaches the page; nothing hangs or crashes."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.review import write_review
from extractor.review.sources import MAX_SOURCE_BYTES, default_root, read_source

SECRET = "TOKEN=hunter2-very-secret\n"


def _sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _record(source: str, sha256: str | None, status: str = "ok") -> dict[str, Any]:
    return {
        "source": source, "sha256": sha256, "task": "job_posting", "status": status,
        "backend": "offline", "model": None, "cached": False, "data": {"title": "x"},
        "error": None, "usage": {}, "warnings": [], "evidence": [], "unsupported": [],
        "run_key": "k",
    }  # fmt: skip


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the project folder that a hostile JSONL would like to read."""
    outside = tmp_path / "home" / ".secrets"
    outside.mkdir(parents=True)
    path = outside / "token"
    path.write_text(SECRET, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "out").mkdir(parents=True)
    (root / "postings").mkdir()
    (root / "postings" / "a.txt").write_text("Senior Engineer\nPython\n", encoding="utf-8")
    return root


def _review(project: Path, records: list[dict[str, Any]], **kw: Any) -> str:
    jsonl = project / "out" / "records.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    page = project / "out" / "page.html"
    done: list[bool] = []

    def run() -> None:
        write_review(jsonl, page, **kw)
        done.append(True)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert done, "write_review hung or crashed"
    return page.read_text(encoding="utf-8")


def _hostile(project: Path, secret: Path) -> list[tuple[str, str | None]]:
    raw = secret.read_bytes()
    link = project / "postings" / "link.txt"
    link.symlink_to(secret)
    rel = os.path.relpath(secret, project)
    return [
        (str(secret), _sha(raw)),  # absolute path, right hash
        (str(secret), "0" * 64),  # absolute path, wrong hash
        (rel, _sha(raw)),  # ../ out of the root, right hash
        ("postings/../../home/.secrets/token", _sha(raw)),
        ("postings/link.txt", _sha(raw)),  # a symlink leading out of the root
        ("/etc/passwd", _sha(Path("/etc/passwd").read_bytes())),
        ("../../../../../../etc/hostname", None),
    ]


@pytest.mark.parametrize("status", ["ok", "error"])
def test_no_hostile_source_reaches_the_page(project: Path, secret: Path, status: str) -> None:
    records = [_record(src, sha, status) for src, sha in _hostile(project, secret)]
    page = _review(project, records)
    assert "hunter2" not in page and "root:x:0" not in page
    notes = [r["note"] for r in _data(page)["records"]]
    assert all(notes) and not any(r["segments"] for r in _data(page)["records"])


def _data(page: str) -> dict[str, Any]:
    tag = '<script id="data" type="application/json">'
    start = page.index(tag) + len(tag)
    return json.loads(page[start : page.index("</script>", start)])  # type: ignore[no-any-return]


def test_explicit_root_bounds_reads_too(project: Path, secret: Path) -> None:
    records = [_record(src, sha) for src, sha in _hostile(project, secret)]
    page = _review(project, records, source_root=project)
    assert "hunter2" not in page and "root:x:0" not in page
    assert page.count("outside the source root") == len(records)


def test_changed_file_is_not_shown(project: Path) -> None:
    page = _review(project, [_record("postings/a.txt", "f" * 64)])
    assert "Senior Engineer" not in page.replace('"title":"x"', "") and "sha256 differs" in page


def test_missing_hash_is_not_shown(project: Path) -> None:
    page = _review(project, [_record("postings/a.txt", None)])
    assert "Python" not in page and "no sha256" in page


def test_unchanged_file_inside_the_root_is_shown(project: Path) -> None:
    raw = (project / "postings" / "a.txt").read_bytes()
    page = _review(project, [_record("postings/a.txt", _sha(raw))])
    assert "Senior Engineer\\nPython" in page


def test_fifo_is_never_opened_for_reading(project: Path) -> None:
    os.mkfifo(project / "postings" / "pipe.txt")
    page = _review(project, [_record("postings/pipe.txt", "0" * 64)])
    assert "not a regular file" in page


def test_device_is_not_read(tmp_path: Path) -> None:
    read = read_source("zero", Path("/dev"), "0" * 64)
    assert read.raw is None and "not a regular file" in (read.note or "")


def test_huge_file_is_not_read(project: Path) -> None:
    big = project / "postings" / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(MAX_SOURCE_BYTES + 1)
    page = _review(project, [_record("postings/big.txt", "0" * 64)])
    assert "over 10 MB" in page


def test_relative_sources_work_from_another_folder(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    raw = (project / "postings" / "a.txt").read_bytes()
    page = _review(project, [_record("postings/a.txt", _sha(raw))])
    assert "Senior Engineer\\nPython" in page


def test_default_root_is_never_the_filesystem_root(tmp_path: Path) -> None:
    jsonl = tmp_path / "evil.jsonl"
    assert default_root(jsonl, ["etc/passwd", "etc/hostname"]) is None
    assert read_source("etc/passwd", None, "0" * 64).raw is None


def test_cli_refuses_a_file_of_no_records_and_writes_beside_the_jsonl(project: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(app, ["review", "/bin/ls"])
    assert bad.exit_code == 2 and "holds no extractor records" in bad.output
    assert "Traceback" not in bad.output
    raw = (project / "postings" / "a.txt").read_bytes()
    jsonl = project / "out" / "run.jsonl"
    jsonl.write_text(json.dumps(_record("postings/a.txt", _sha(raw))) + "\n", encoding="utf-8")
    ok = runner.invoke(app, ["review", str(jsonl)])
    assert ok.exit_code == 0 and (project / "out" / "run.review.html").is_file()
    assert f"source root {project}" in ok.output
    notdir = runner.invoke(app, ["review", str(jsonl), "--source-root", str(jsonl)])
    assert notdir.exit_code == 2 and "not a folder" in notdir.output
