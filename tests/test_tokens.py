"""Token counting and truncation with the offline o200k_base encoding."""

from __future__ import annotations

import pytest

from extractor.cost.tokens import count_tokens, encoding, truncate_to_tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("hello", 1),
        ("héllo 日本語 🎉", 6),
        # special-token text in a posting is ordinary text, never a special token
        ("<|endoftext|>", 7),
    ],
)
def test_count_tokens(text: str, expected: int) -> None:
    assert count_tokens(text) == expected


def test_count_tokens_matches_the_encoding() -> None:
    text = "Senior Data Engineer – Zürich, CHF 120'000 p.a.\n- Python\n- SQL\n"
    assert count_tokens(text) == len(encoding().encode_ordinary(text))


def test_count_tokens_long_text_is_counted_in_pieces() -> None:
    line = "Experience with Python, SQL and distributed systems.\n"
    text = line * 5000  # 265,000 characters: more than one piece
    assert count_tokens(text) == 5000 * count_tokens(line)


def test_encoding_is_built_once() -> None:
    assert encoding() is encoding()


@pytest.mark.parametrize(
    ("text", "max_tokens", "expected"),
    [
        ("hello world, again", 100, "hello world, again"),
        ("hello world, again", 2, "hello world"),
        ("hello world, again", 0, ""),
        ("héllo 日本語 🎉", 5, "héllo 日本語 "),
        # the emoji is split across tokens: it is left out whole, never half-decoded
        ("🎉🎉", 1, ""),
        ("", 3, ""),
    ],
)
def test_truncate_to_tokens(text: str, max_tokens: int, expected: str) -> None:
    result = truncate_to_tokens(text, max_tokens)
    assert result == expected
    assert text.startswith(result)
    assert count_tokens(result) <= max_tokens


def test_truncate_to_tokens_rejects_negative_budget() -> None:
    with pytest.raises(ValueError, match="max_tokens"):
        truncate_to_tokens("hello", -1)
