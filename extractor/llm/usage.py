"""Usage of one extraction: tokens from the completion, requests from our transport."""

from __future__ import annotations

from typing import Any

from extractor.llm.transport import CallStats
from extractor.outcome import Usage


def usage_of(completion_usage: Any, stats: CallStats, attempts: int = 1) -> Usage:
    prompt = getattr(completion_usage, "prompt_tokens", 0) or 0
    completion = getattr(completion_usage, "completion_tokens", 0) or 0
    # With an injected client our transport may not be in the path: count answers then.
    return Usage(int(prompt), int(completion), stats.requests or attempts)
