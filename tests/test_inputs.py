"""Finding and reading inputs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from extractor.batch.inputs import check_paths, iter_inputs, read_input
from extractor.errors import ConfigError, InputError


def test_walk_is_sorted_recursive_and_filtered(tmp_path: Path) -> None:
    names = ["b.txt", "a.md", "sub/c.html", "sub/deeper/d.htm", "f.csv", ".hidden/e.txt"]
    for name in [*names, "b.json", "SET.yaml", "logo.png"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = [p.path.relative_to(tmp_path).as_posix() for p in iter_inputs([tmp_path])]
    assert found == [".hidden/e.txt", "a.md", "b.txt", "f.csv", "sub/c.html", "sub/deeper/d.htm"]
    only_txt = [p.path.name for p in iter_inputs([tmp_path], ["*.txt"])]
    assert only_txt == ["e.txt", "b.txt"]


def test_walk_takes_every_real_dev_posting_and_no_label() -> None:
    """Real captures come as .md, .txt, .html and single-row .csv files; labels are .json."""
    folder = Path(__file__).parent / "data" / "real" / "dev"
    found = {p.path.name for p in iter_inputs([folder])}
    postings = {p.name for p in folder.iterdir() if p.suffix not in (".json", ".yaml")}
    assert found == postings
    assert {".csv", ".html", ".md", ".txt"} <= {Path(name).suffix for name in found}


def test_missing_paths_fail_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        check_paths([tmp_path, tmp_path / "nope"])


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: os.mkfifo(p), "not a regular file"),
        (lambda p: p.write_bytes(b"x" * 101), "over the"),
        (lambda p: p.symlink_to(p.parent / "missing"), "symlink"),
    ],
)
def test_unusable_files_are_input_errors(tmp_path: Path, make: object, words: str) -> None:
    path = tmp_path / "input.txt"
    make(path)  # type: ignore[operator]
    with pytest.raises(InputError, match=words):
        read_input(path, max_bytes=100)


def test_read_input_returns_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"caf\xc3\xa9")
    assert read_input(path) == b"caf\xc3\xa9"
