"""The review page: segments, escaping, source problems, the command, and a real headless browser."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.review import write_review
from extractor.review.page import embed
from extractor.review.records import segments

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
HOSTILE = "🙂 東京 Senior Engineer <script>alert(1)</script>\nZürich – Café\nSkills: Python</script><b>x</b>\n"


def _ev(text: str, path: str, quote: str, match: str = "exact") -> dict[str, Any]:
    start = text.index(quote)
    return {"path": path, "start": start, "end": start + len(quote), "quote": quote, "match": match}


def _record(source: Path, text: str | None, **extra: Any) -> dict[str, Any]:
    raw = source.read_bytes() if source.exists() else b""
    record = {
        "source": str(source), "sha256": hashlib.sha256(raw).hexdigest(), "task": "job_posting",
        "status": "ok", "backend": "llm", "model": "m", "cached": False,
        "data": {"title": "Senior Engineer <script>alert(1)</script>", "skills": ["Python"]},
        "error": None, "usage": {}, "warnings": [], "evidence": [], "unsupported": [], "run_key": "k",
    }  # fmt: skip
    if text is not None:
        record["evidence"] = [
            _ev(text, "title", "Senior Engineer <script>alert(1)</script>"),
            _ev(text, "locations[0]", "Zürich"),
            _ev(text, "skills[0]", "Python"),
        ]
    record.update(extra)
    return record


@pytest.fixture
def jsonl(tmp_path: Path) -> Path:
    ok = tmp_path / "hostile.txt"
    ok.write_text(HOSTILE, encoding="utf-8")
    gone = tmp_path / "gone.txt"
    flagged = _record(ok, HOSTILE, unsupported=[
        {"path": "skills[1]", "value": "Kubernetes", "reason": "not found in the source", "dropped": True}
    ])  # fmt: skip
    error = _record(tmp_path / "empty.txt", None, status="error", data=None,
                    error={"type": "InputError", "message": "input is empty <b>"})  # fmt: skip
    lines = [_record(ok, HOSTILE), flagged, error, _record(gone, None)]
    path = tmp_path / "out.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in lines) + "\n{torn", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("abcdef", [], [("abcdef", [])]),
        ("abcdef", [(1, 3, 0)], [("a", []), ("bc", [0]), ("def", [])]),
        ("abcdef", [(0, 4, 0), (2, 6, 1)], [("ab", [0]), ("cd", [0, 1]), ("ef", [1])]),
        ("🙂東京x", [(1, 3, 0)], [("🙂", []), ("東京", [0]), ("x", [])]),
    ],
)
def test_segments(text: str, spans: list[tuple[int, int, int]], expected: list[Any]) -> None:
    assert segments(text, spans) == expected


def test_embedded_json_cannot_close_the_script() -> None:
    text = embed({"a": "</script><script>alert(1)</script>&\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script>&\u2028"}


def test_page_marks_source_problems_and_escapes_everything(jsonl: Path, tmp_path: Path) -> None:
    out = tmp_path / "review.html"
    stats = write_review(jsonl, out)
    assert (stats.records, stats.errors, stats.unsupported, stats.evidence) == (4, 1, 1, 6)
    page = out.read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<b>x" not in page
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page
    data = json.loads(
        re.search(r'<script id="data" type="application/json">(.*?)</script>', page, re.S)[1]
    )  # type: ignore[index]
    notes = [r["note"] for r in data["records"]]
    assert notes[3] and "gone" in notes[3]
    assert data["records"][0]["segments"] and not data["records"][0]["stale"]


def test_changed_source_is_said_and_stale_spans_left_out(jsonl: Path, tmp_path: Path) -> None:
    (tmp_path / "hostile.txt").write_text("Something else entirely\n", encoding="utf-8")
    out = tmp_path / "review.html"
    write_review(jsonl, out)
    page = out.read_text(encoding="utf-8")
    assert "changed since extraction" in page and "Something else" not in page


def test_review_command(jsonl: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["review", str(jsonl), "-o", str(out)])
    assert result.exit_code == 0 and out.is_file()
    missing = CliRunner().invoke(app, ["review", str(tmp_path / "nope.jsonl"), "-o", str(out)])
    assert missing.exit_code == 2 and "no such file" in missing.output
    assert "Traceback" not in missing.output


def _browse(page: Path, fragment: str, profile: Path, screenshot: Path | None = None) -> str:
    assert CHROMIUM is not None
    args = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        f"--user-data-dir={profile}",
    ]  # fmt: skip
    if screenshot is not None:
        args += [f"--screenshot={screenshot}", "--window-size=1280,1600"]
    else:
        args.append("--dump-dom")
    done = subprocess.run(
        [*args, f"{page.as_uri()}#{fragment}"],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)"
)
def test_the_page_in_a_headless_browser(jsonl: Path, tmp_path: Path) -> None:
    page = tmp_path / "review.html"
    write_review(jsonl, page)
    profile = tmp_path / "profile"
    dom = _browse(page, "open=all", profile)
    spans = re.findall(r'<span class="hl( dim)?" data-fields="([^"]*)"[^>]*>([^<]*)</span>', dom)
    texts = {html.unescape(text) for _, _, text in spans}
    assert {
        "Senior Engineer <script>alert(1)</script>",
        "Zürich",
        "Python",
    } <= texts  # after the emoji
    assert len(spans) == 6  # three spans in each of the two records with text
    counts = dict(re.findall(r'data-count="([^"]+)">[^:]+: (\d+)', dom))
    assert (
        counts["records"] == "4"
        and counts["errors"] == "1"
        and counts["unsupported values in all"] == "1"
    )
    assert "<script>alert" not in dom  # shown as text, never run
    assert "the source file is gone" in dom and "Kubernetes" in dom
    only_flagged = _browse(page, "status=unsupported", profile)
    assert 'data-shown="1"' in only_flagged
    skills = _browse(page, "field=skills&open=all", profile)
    dimmed = re.findall(r'<span class="hl dim" data-fields="([^"]*)"', skills)
    assert dimmed and "skills" not in dimmed and 'data-shown="2"' in skills
    shot = tmp_path / "review.png"
    _browse(page, "open=all", profile, screenshot=shot)
    assert shot.is_file() and shot.stat().st_size > 10_000
