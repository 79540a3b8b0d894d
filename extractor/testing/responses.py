"""Chat-completion and error bodies in OpenAI's shapes, for each instructor mode.

Mode detection follows what instructor sends: a ``tools`` list (TOOLS); a ``response_format`` of
type json_schema or json_object (JSON_SCHEMA, JSON), answered as plain JSON content; anything
else (MD_JSON), answered in a fenced ```json block.
"""

from __future__ import annotations

import json
import time
from typing import Any

TOOLS = "tools"
JSON_CONTENT = "json"
MD_JSON = "md_json"
JSON_FORMATS = ("json_schema", "json_object")

REFUSAL = "I'm sorry, but I can't help with that request."
WRONG_TOOL = "unrelated_function"


def detect_mode(body: dict[str, Any]) -> str:
    """TOOLS, JSON_CONTENT or MD_JSON, from the request's shape."""
    if body.get("tools"):
        return TOOLS
    response_format = body.get("response_format")
    if isinstance(response_format, dict) and response_format.get("type") in JSON_FORMATS:
        return JSON_CONTENT
    return MD_JSON


def tool_name(body: dict[str, Any]) -> str:
    """The forced tool's name, else the first offered tool's, else "answer"."""
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        name = (choice.get("function") or {}).get("name")
        if isinstance(name, str):
            return name
    for tool in body.get("tools") or []:
        name = (tool.get("function") or {}).get("name") if isinstance(tool, dict) else None
        if isinstance(name, str):
            return name
    return "answer"


def answer_text(answer: dict[str, Any] | str) -> str:
    """The answer as sent: strings verbatim, anything else as compact JSON."""
    if isinstance(answer, str):
        return answer
    return json.dumps(answer, ensure_ascii=False, separators=(",", ":"))


def message(
    body: dict[str, Any], text: str, *, fault: str, request_number: int
) -> tuple[dict[str, Any], str]:
    """The assistant message and finish_reason for ``text`` under ``fault`` ("ok" for none)."""
    if fault == "refusal":
        return {"role": "assistant", "content": None, "refusal": REFUSAL}, "stop"
    truncated = fault == "truncated"
    if truncated:
        text = text[: len(text) // 2]
    mode = detect_mode(body)
    if mode == TOOLS or fault == "wrong_tool":
        name = WRONG_TOOL if fault == "wrong_tool" else tool_name(body)
        call = {
            "id": f"call_sim_{request_number}",
            "type": "function",
            "function": {"name": name, "arguments": text},
        }
        reply = {"role": "assistant", "content": None, "refusal": None, "tool_calls": [call]}
        return reply, "length" if truncated else "tool_calls"
    if mode == MD_JSON:
        text = f"```json\n{text}" + ("" if truncated else "\n```")
    return {
        "role": "assistant",
        "content": text,
        "refusal": None,
    }, "length" if truncated else "stop"


def completion(
    body: dict[str, Any],
    answer: dict[str, Any] | str,
    *,
    fault: str,
    request_number: int,
    prompt_chars: int,
) -> dict[str, Any]:
    """A whole chat.completion object; ``usage`` estimates tokens as characters // 4."""
    text = answer_text(answer)
    choices: list[dict[str, Any]] = []
    if fault != "empty_choices":
        reply, finish = message(body, text, fault=fault, request_number=request_number)
        choices.append({"index": 0, "message": reply, "finish_reason": finish, "logprobs": None})
    prompt_tokens = prompt_chars // 4
    completion_tokens = max(1, len(text) // 4)
    return {
        "id": f"chatcmpl-sim-{request_number}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model") or "simulator",
        "choices": choices,
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
        "system_fingerprint": "fp_simulator",
    }


def error(message_: str, kind: str, code: str | None = None) -> dict[str, Any]:
    """OpenAI's error envelope."""
    return {"error": {"message": message_, "type": kind, "param": None, "code": code}}


SERVER_ERRORS: dict[str, str] = {
    "500": "The server had an error while processing your request. Sorry about that!",
    "502": "Bad gateway.",
    "503": "The engine is currently overloaded, please try again later.",
    "504": "Gateway timeout.",
}

INVALID_KEY = error(
    "Incorrect API key provided: test. You can find your API key at "
    "https://platform.openai.com/account/api-keys.",
    "invalid_request_error",
    "invalid_api_key",
)


def rate_limited(reason: str) -> dict[str, Any]:
    """OpenAI's 429 body."""
    return error(f"Rate limit reached for requests ({reason}).", "requests", "rate_limit_exceeded")
