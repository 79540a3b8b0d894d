"""Hostile and broken inputs (tests/data/bad/, results documented in its README.md): each gets a
one-line error record or its documented result, the rest of the folder is processed, with the
offline backend and with the LLM backend against the simulator.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.testing.simulator import Simulator, SimulatorConfig
from tests.conftest import AS_OF, DATA
from tests.data.bad.generate import make_corpus, unreadable_is_unreadable

ROOT_NOTE = "running as root: chmod 000 does not stop root, so unreadable.txt is read"
INVISIBLE = "\x00\u200b\u200d\u2060\u202e\u2067\u2069\xad\ufeff"

# name -> (error type, words of the message) for inputs refused with an error record
REFUSED: dict[str, tuple[str, str]] = {
    "archive_zip.txt": ("InputError", "binary data (a ZIP archive"),
    "image_png.txt": ("InputError", "binary data (a PNG image)"),
    "empty.txt": ("InputError", "input is empty"),
    "whitespace.txt": ("InputError", "input is empty"),
    "huge_50mb.txt": ("InputError", "over the 10 MB input limit"),
    "dangling.txt": ("InputError", "broken or looping symlink"),
    "loop": ("InputError", "symlink loop"),
}
# name -> the title every backend finds (None: no title) for inputs that are extracted
TITLES: dict[str, str | None] = {
    "good_posting.txt": "Registered Nurse",
    "invalid_utf8.txt": "Barista (m/w/d)",  # Latin-1, read as Windows-1252
    "mixed_encodings.txt": "Kellner (m/w/d)",  # UTF-8 with a Windows-1252 line
    "utf16_bom.txt": "Line Cook",
    "nul_bytes.txt": "Forklift Operator",  # NULs dropped
    "zero_width_rtl.txt": "Data Analyst",  # zero-width and bidi controls dropped
    "long_lines.txt": "Truck Driver",
    "x.txt/inside.md": "Barista",  # a folder named like a file is walked
}
# words that must survive decoding, in the extracted record (proves the text was read right)
KEPT = {"mixed_encodings.txt": "München", "invalid_utf8.txt": "Köln", "utf16_bom.txt": "Montréal"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("corpus") / "bad")


def _name(record: dict[str, Any], corpus: Path) -> str:
    return Path(record["source"]).relative_to(corpus).as_posix()


def _run(corpus: Path, out: Path) -> tuple[dict[str, dict[str, Any]], str]:
    result = CliRunner().invoke(
        app, ["run", str(corpus), "-o", str(out), "--as-of", AS_OF.isoformat()]
    )
    assert result.exit_code == 1, result.output  # some failed: the rest are written
    assert "Traceback" not in result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    names = Counter(_name(r, corpus) for r in records)
    assert max(names.values()) == 1  # one record per input
    return {name: r for r in records for name in [_name(r, corpus)]}, result.stderr


def _expected_names() -> set[str]:
    return {
        *REFUSED,
        *TITLES,
        "boilerplate_only.txt",
        "one_long_line.txt",
        "over_token_budget.txt",
        "unreadable.txt",
    }


def _check_common(records: dict[str, dict[str, Any]], corpus: Path) -> None:
    assert set(records) == _expected_names()
    for name, (kind, words) in REFUSED.items():
        error = records[name]["error"]
        assert records[name]["status"] == "error" and records[name]["data"] is None
        assert error["type"] == kind and words in error["message"], error
        assert "\n" not in error["message"]
    unreadable = records["unreadable.txt"]
    if unreadable_is_unreadable(corpus):
        assert unreadable["error"] == {
            "type": "InputError",
            "message": "cannot read file: Permission denied",
        }
    else:
        assert unreadable["status"] == "ok", ROOT_NOTE
    for record in records.values():
        assert not any(ch in json.dumps(record["data"], ensure_ascii=False) for ch in INVISIBLE)


def test_the_committed_corpus_is_what_the_readme_describes() -> None:
    bad = DATA / "bad"
    readme = (bad / "README.md").read_text(encoding="utf-8")
    for name in _expected_names():
        assert f"`{name}`" in readme, f"{name} is not documented in tests/data/bad/README.md"
    assert all(p.stat().st_size < 4096 for p in bad.glob("*.txt"))  # big ones are generated


def test_offline_backend(corpus: Path, tmp_path: Path) -> None:
    records, stderr = _run(corpus, tmp_path / "out.jsonl")
    assert "offline backend" in stderr
    _check_common(records, corpus)
    for name, title in TITLES.items():
        assert records[name]["status"] == "ok" and records[name]["data"]["title"] == title, name
    for name, word in KEPT.items():
        assert word in json.dumps(records[name]["data"], ensure_ascii=False), name
    assert records["boilerplate_only.txt"]["data"]["title"] is None
    assert any("only noise" in w for w in records["boilerplate_only.txt"]["warnings"])


def test_llm_backend_sends_no_big_or_invisible_text(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[dict[str, Any]] = []
    config = SimulatorConfig()
    answer = config.answerer
    config.answerer = lambda body: sent.append(body) or answer(body)  # type: ignore[func-returns-value]
    with Simulator(config) as sim:
        monkeypatch.setenv("OPENAI_BASE_URL", sim.base_url)
        records, _ = _run(corpus, tmp_path / "out.jsonl")
    _check_common(records, corpus)
    for name, title in TITLES.items():
        assert records[name]["status"] == "ok" and records[name]["data"]["title"] == title, name
    assert {r["backend"] for r in records.values()} == {"llm"}
    ok = [n for n, r in records.items() if r["status"] == "ok"]
    assert len(sent) == len(ok)  # refused inputs are never sent
    sizes = [len(json.dumps(body)) for body in sent]
    assert max(sizes) < 200_000  # the 50 MB file is refused, the 380 kB one cut to its budget
    cut = records["over_token_budget.txt"]
    assert cut["status"] == "ok" and any("input cut" in w for w in cut["warnings"])
    texts = ["".join(str(m["content"]) for m in body["messages"]) for body in sent]
    assert not any(ch in text for text in texts for ch in INVISIBLE)
    for word in KEPT.values():  # decoded right before sending
        assert any(word in text for text in texts), word


@pytest.mark.skipif(os.geteuid() != 0, reason="only meaningful as root")
def test_as_root_an_unreadable_file_is_read_and_said_so(corpus: Path) -> None:
    # Tests run as root here and in CI: chmod 000 cannot be tested for real, so the
    # permission error path is covered by the non-root branch of _check_common.
    assert not unreadable_is_unreadable(corpus), ROOT_NOTE
