"""``write_review``: one self-contained HTML page (inline CSS and JS, no network) for a JSONL file.

Records are embedded as JSON (with ``<``, ``>``, ``&`` and line separators escaped, so no posting
text can close the script element) and rendered by the page's script with ``textContent`` only:
nothing from a record is ever parsed as HTML. Each record's text is drawn when it is opened, so
the page stays quick with thousands of records. The URL fragment may preselect filters and open
records: ``#field=skills&status=unsupported&open=all``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.errors import InputError
from extractor.review.records import prepare_record, read_records
from extractor.review.sources import default_root
from extractor.review.template import PAGE


@dataclass(slots=True)
class ReviewStats:
    records: int = 0
    errors: int = 0
    unsupported: int = 0
    evidence: int = 0
    missing_sources: int = 0
    source_root: Path | None = None


def write_review(
    jsonl: Path, output: Path, *, source_root: Path | None = None, title: str | None = None
) -> ReviewStats:
    """Write the review page for ``jsonl`` to ``output``.

    Sources are read only inside ``source_root`` (default: found from the JSONL's location, see
    :func:`extractor.review.sources.default_root`) and only when their bytes match the record's
    sha256. Raises ``InputError`` when ``jsonl`` holds no record.
    """
    records = list(read_records(jsonl))
    if not records:
        raise InputError(f"{jsonl} holds no extractor records (one JSON object per line)")
    root = source_root.resolve() if source_root is not None else None
    if root is None:
        root = default_root(jsonl, (r.source for r in records))
    stats = ReviewStats(source_root=root)
    items: list[dict[str, Any]] = []
    for i, record in enumerate(records):
        item = prepare_record(i, record, root).as_json()
        items.append(item)
        stats.records += 1
        stats.errors += item["status"] == "error"
        stats.unsupported += len(item["unsupported"])
        stats.evidence += len(item["evidence"])
        stats.missing_sources += item["note"] is not None and not item["segments"]
    payload = {"title": title or jsonl.name, "records": items}
    html = PAGE.replace("/*DATA*/null", embed(payload)).replace(
        "{{TITLE}}", escape(title or jsonl.name)
    )
    output.write_text(html, encoding="utf-8")
    return stats


def embed(value: Any) -> str:
    """JSON safe inside a <script> element: no "<", ">", "&" or JS line separators left."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for ch, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(ch, code)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
