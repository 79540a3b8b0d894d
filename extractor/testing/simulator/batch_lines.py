"""Lines of the simulator's batch files: the input file checked and parsed, and output and
error lines written in OpenAI's shape (``{"id", "custom_id", "response", "error"}``)."""

from __future__ import annotations

import json
from typing import Any


def parse_input(content: bytes, endpoint: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The input lines, or the errors that fail the batch (with 1-based line numbers)."""
    lines: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, raw in enumerate(content.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
            custom_id, body = line["custom_id"], line["body"]
            problem = (
                "custom_id is not unique in the file"
                if custom_id in seen
                else "method must be POST and url the batch's endpoint"
                if line.get("method") != "POST" or line.get("url") != endpoint
                else ""
            )
        except (ValueError, KeyError, TypeError):
            problem, custom_id, body = "not a JSON request line", "", None
        if problem:
            errors.append({"code": "invalid_request", "message": problem, "line": number})
            continue
        seen.add(custom_id)
        lines.append({"custom_id": custom_id, "body": body, "size": len(raw)})
    if not lines and not errors:
        errors.append({"code": "empty_file", "message": "The input file is empty.", "line": None})
    return lines, errors


def response(status: int, body: dict[str, Any]) -> dict[str, Any]:
    return {"status_code": status, "request_id": "req_sim", "body": body}


def line(
    request_id: str, custom_id: str, response: dict[str, Any] | None, error: dict[str, Any] | None
) -> str:
    line = {"id": request_id, "custom_id": custom_id, "response": response, "error": error}
    return json.dumps(line, ensure_ascii=False, separators=(",", ":"))


def joined(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()
