"""Built-in answerers: what the simulated model says.

An answerer takes the parsed chat-completions request body and returns the object to answer
with (serialised to JSON by the server) or a raw string sent verbatim.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from extractor.document import Document
from extractor.errors import ConfigError
from extractor.offline import extract_posting

Answerer = Callable[[dict[str, Any]], "dict[str, Any] | str"]
"""Turns a chat-completions request body into the answer's arguments (a dict) or raw text."""

OPEN_TAG = "<posting>"
CLOSE_TAG = "</posting>"
MAX_TITLE = 200

INVALID_ANSWER: dict[str, Any] = {"pay": {"min": 10, "max": 5, "text": "x"}}
"""Fails JobPosting validation: pay.min is greater than pay.max."""


def message_text(message: dict[str, Any]) -> str:
    """The text of a chat message whose content is a string or a list of content parts."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return ""


def posting_text(body: dict[str, Any]) -> str:
    """The text between the last <posting> and </posting> of the last user message holding
    them (a re-ask's correction message does not; an instruction naming the tags comes before
    them), else all of the last user message."""
    users = [
        message_text(m)
        for m in body.get("messages") or []
        if isinstance(m, dict) and m.get("role") == "user"
    ]
    tagged = [t for t in users if OPEN_TAG in t]
    text = tagged[-1] if tagged else users[-1] if users else ""
    end = text.rfind(CLOSE_TAG)
    start = text.rfind(OPEN_TAG, 0, end if end >= 0 else len(text))
    if start >= 0:
        start += len(OPEN_TAG)
        text = text[start:end] if end >= start else text[start:]
    return text


def first_line(text: str) -> str | None:
    """The first non-blank line, stripped and cut to MAX_TITLE characters."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line[:MAX_TITLE]
    return None


def minimal(body: dict[str, Any]) -> dict[str, Any]:
    """A valid JobPosting-shaped answer: the posting's first line as title, the rest empty."""
    return {
        "title": first_line(posting_text(body)),
        "company": None,
        "team": None,
        "locations": [],
        "workplace": None,
        "employment_type": None,
        "seniority": None,
        "pay": None,
        "degree_levels": [],
        "posted": None,
        "application_deadline": None,
        "start_dates": [],
        "duration": None,
        "contact_emails": [],
        "apply_url": None,
        "skills": [],
        "responsibilities": [],
        "required_qualifications": [],
        "preferred_qualifications": [],
        "benefits": [],
        "is_expired": False,
        "language": None,
    }


def scripted(answers: Sequence[dict[str, Any] | str]) -> Answerer:
    """An answerer returning ``answers`` in order, then repeating the last one.

    For tests such as "first answer invalid, then valid": ``scripted([INVALID_ANSWER, ok])``.
    """
    if not answers:
        raise ConfigError("simulator: scripted() needs at least one answer")
    queue = list(answers)
    position = 0

    def answer(body: dict[str, Any]) -> dict[str, Any] | str:
        nonlocal position
        chosen = queue[min(position, len(queue) - 1)]
        position += 1
        return chosen

    return answer


def offline_as_of(as_of: date | None = None) -> Answerer:
    """An answerer running ``extractor.offline.extract_posting`` on the posting text, relative
    dates resolved against ``as_of`` (today when None).
    """

    def answer(body: dict[str, Any]) -> dict[str, Any]:
        doc = Document.plain(posting_text(body))
        result = extract_posting(doc, as_of=as_of or date.today())
        return jsonable(getattr(result, "data", result))

    return answer


def jsonable(result: Any) -> dict[str, Any]:
    """A JSON-ready dict from an answer object: a dict (dates become ISO text) or a model."""
    if hasattr(result, "model_dump"):
        # Computed fields (pay.annual_min) would be rejected by the schema's extra="forbid".
        dumped: dict[str, Any] = result.model_dump(mode="json", exclude_computed_fields=True)
        return dumped
    if isinstance(result, dict):
        loaded: dict[str, Any] = json.loads(json.dumps(result, default=_iso))
        return loaded
    raise ConfigError(f"simulator: the answer is a {type(result).__name__}, not a dict or model")


def _iso(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


offline = offline_as_of()
"""The offline extractor's answer, relative dates resolved against the day of the request."""


BUILTIN: dict[str, Answerer] = {"minimal": minimal, "offline": offline}
"""Answerers selectable by name from the command line."""
