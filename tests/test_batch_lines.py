"""Batch API files: request lines split at the limits; output and error lines read by id."""

from __future__ import annotations

import json

import pytest

from extractor.batch.lines import BatchLimits, read_lines, request_line, split


def test_a_request_line_is_openai_s_shape() -> None:
    line = json.loads(request_line("k1", {"model": "m", "messages": []}))
    assert line == {"custom_id": "k1", "method": "POST", "url": "/v1/chat/completions",
                    "body": {"model": "m", "messages": []}}  # fmt: skip


@pytest.mark.parametrize(
    ("limits", "sizes"),
    [
        (BatchLimits(max_requests=3, max_bytes=10_000), [3, 3, 3, 1]),
        (BatchLimits(max_requests=50, max_bytes=250), [2, 2, 2, 2, 2]),  # ~100-byte lines
        (BatchLimits(max_requests=50, max_bytes=50), [1] * 10),  # a line over the limit: alone
        (BatchLimits(), [10]),
    ],
)
def test_lines_are_split_at_the_limits(limits: BatchLimits, sizes: list[int]) -> None:
    lines = [(f"k{i}", request_line(f"k{i}", {"pad": "x" * 40})) for i in range(10)]
    parts = list(split(iter(lines), limits))
    assert [len(p.keys) for p in parts] == sizes
    assert b"".join(p.content for p in parts) == b"".join(line for _, line in lines)
    assert all(p.size <= limits.max_bytes or len(p.keys) == 1 for p in parts)


def _line(custom_id: str, status: int | None, body: object = None, error: object = None) -> bytes:
    response = None if status is None else {"status_code": status, "body": body}
    return json.dumps({"custom_id": custom_id, "response": response, "error": error}).encode()


def test_output_and_error_lines_are_read_by_custom_id() -> None:
    content = b"\n".join(
        [
            _line("ok", 200, {"choices": []}),
            _line("e500", 500, {"error": {"message": "The server had an error"}}),
            _line("exp", None, error={"code": "batch_expired", "message": "..."}),
            _line("can", None, error={"code": "batch_cancelled", "message": "..."}),
            b'{"custom_id": "cut", "response": {"status_co',  # a malformed line
            b'{"response": {}}',  # no custom_id: cannot be joined
            b"",
        ]
    )
    found, unreadable = read_lines(content)
    assert unreadable == 2
    assert {k: v.kind for k, v in found.items()} == {
        "ok": "answer", "e500": "error", "exp": "expired", "can": "cancelled",
    }  # fmt: skip
    assert found["ok"].body == {"choices": []}
    assert found["e500"].message == "HTTP 500: The server had an error"


def test_an_answer_wins_over_an_error_line_for_the_same_request() -> None:
    content = _line("k", 500, {"error": {"message": "x"}}) + b"\n" + _line("k", 200, {"a": 1})
    found, _ = read_lines(content)
    assert found["k"].kind == "answer"
