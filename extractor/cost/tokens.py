"""Count and cut text in tokens of ``o200k_base``, the encoding of current OpenAI models.

The encoding ships inside the ``bpe-openai`` package (tiktoken downloads its encodings at run
time and fails offline). Building it takes about a second, so it is built once per process.
Special-token text such as ``<|endoftext|>`` in a posting is counted as ordinary text: postings
are untrusted input and never carry special tokens.
"""

from __future__ import annotations

import warnings
from functools import cache
from typing import Any

ENCODING_NAME = "o200k_base"

# bpe-openai refuses texts of a million characters or more and more than 200,000 tokens in one
# call; longer texts are encoded in pieces cut after a newline (or anywhere, failing that).
_PIECE_CHARS = 200_000

__all__ = ["ENCODING_NAME", "count_tokens", "encoding", "truncate_to_tokens"]


@cache
def encoding() -> Any:
    """The shared ``o200k_base`` encoding (tiktoken-compatible ``Encoding``), loaded on first
    use: importing bpe-openai builds its tables (most of a second)."""
    with warnings.catch_warnings():
        # bpe-openai 0.1.4 reads its data with the deprecated importlib.resources.open_binary
        warnings.simplefilter("ignore", DeprecationWarning)
        import bpe_openai

        return bpe_openai.get_encoding(ENCODING_NAME)


def _pieces(text: str) -> list[str]:
    if len(text) <= _PIECE_CHARS:
        return [text]
    pieces: list[str] = []
    start = 0
    while start < len(text):
        end = min(start + _PIECE_CHARS, len(text))
        if end < len(text):
            cut = text.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        pieces.append(text[start:end])
        start = end
    return pieces


def _encode(text: str) -> list[int]:
    enc = encoding()
    tokens: list[int] = []
    for piece in _pieces(text):
        tokens.extend(enc.encode_ordinary(piece))
    return tokens


def count_tokens(text: str) -> int:
    """The number of ``o200k_base`` tokens in ``text`` (exact below 200,000 characters)."""
    if not text:
        return 0
    return len(_encode(text))


def truncate_to_tokens(text: str, max_tokens: int) -> str:
    """The longest prefix of ``text`` that fits in ``max_tokens`` tokens.

    The cut falls on a token boundary; a character split across two tokens is left out whole,
    so the result is always a prefix of ``text``.
    """
    if max_tokens < 0:
        raise ValueError(f"max_tokens must be >= 0, got {max_tokens}")
    tokens = _encode(text)
    if len(tokens) <= max_tokens:
        return text
    head_bytes: bytes = encoding().decode_bytes(tokens[:max_tokens])
    head = head_bytes.decode("utf-8", errors="ignore")
    if text.startswith(head):
        return head
    # Decoding a token prefix yields a prefix of the text; guard against surprises anyway.
    n = next((i for i, (a, b) in enumerate(zip(head, text, strict=False)) if a != b), len(head))
    return text[:n]
