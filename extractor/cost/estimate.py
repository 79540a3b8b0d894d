"""What a run would cost, counted offline before any money is spent.

For each input, the prompt is built exactly as ``extractor run`` builds it (cleaned text, page
facts, the cut at ``max_input_tokens``, the task's rendered messages) and counted in
``o200k_base`` tokens, plus a fixed overhead per request:

- the schema: the tool (or response-format) definition sent with every request (the task's
  schema wrapped with evidence quotes, :func:`extractor.evidence.quoted_schema`), counted as its
  compact JSON (the API's own rendering of it differs by a few tokens);
- chat framing: ``MESSAGE_TOKENS`` per message and ``REPLY_TOKENS`` to prime the reply, as in
  OpenAI's token-counting guide.

Completion tokens cannot be counted before the model answers. The assumption is
``EXPECTED_COMPLETION_TOKENS`` per request: the mean of the labelled dev set's gold records
written as compact JSON is 331 o200k tokens (median 337, 90th percentile 434), rounded up to
350 for the tool-call wrapping. Re-asks after an invalid answer are not counted (each would cost
the prompt again). Identical texts are counted once, as a run sends them once; the cache is not
consulted (an estimate is the cost of a run with nothing cached). ``via="batch"`` prices the
tokens at the Batch API's price (half the table's), as ``extractor run --via batch`` sends them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pydantic import BaseModel

from extractor.batch.inputs import DEFAULT_GLOBS, iter_inputs, read_item
from extractor.cost.pricing import BATCH_DISCOUNT, PriceTable, load_prices
from extractor.cost.tokens import count_tokens
from extractor.errors import ExtractorError
from extractor.extraction import Extractor, prepare

__all__ = [
    "EXPECTED_COMPLETION_TOKENS",
    "Estimate",
    "estimate",
    "prompt_tokens",
    "schema_tokens",
]

EXPECTED_COMPLETION_TOKENS = 350
MESSAGE_TOKENS = 3
REPLY_TOKENS = 3


@dataclass(slots=True)
class Estimate:
    """Token counts and the expected cost of running ``model`` over some inputs."""

    model: str
    prices: PriceTable
    base_url: str | None = None
    inputs: int = 0
    requests: int = 0
    duplicates: int = 0
    unreadable: int = 0
    cut: int = 0
    prompt_tokens: int = 0
    overhead_per_request: int = 0
    completion_per_request: int = EXPECTED_COMPLETION_TOKENS
    via: str = "sync"
    problems: list[str] = field(default_factory=list)

    @property
    def completion_tokens(self) -> int:
        return self.requests * self.completion_per_request

    @property
    def cost(self) -> float | None:
        """Expected cost, or None when the model is not in the price table; through the Batch
        API (``via == "batch"``) at its price, ``BATCH_DISCOUNT`` of the table's."""
        cost = self.prices.cost(
            self.model, self.prompt_tokens, self.completion_tokens, self.base_url
        )
        if cost is None or self.via != "batch":
            return cost
        return cost * BATCH_DISCOUNT


@cache
def schema_tokens(schema: type[BaseModel]) -> int:  # classes are hashable
    """Tokens of the tool definition sent with every request that asks for ``schema``."""
    from extractor.evidence import quoted_schema
    from extractor.llm.internals import response_schema, tool_definition

    tool = tool_definition(response_schema(quoted_schema(schema)))
    return count_tokens(json.dumps(tool, ensure_ascii=False, separators=(",", ":")))


def prompt_tokens(extractor: Extractor[BaseModel], messages: list[dict[str, str]]) -> int:
    """Prompt tokens of one request: the messages, their framing and the schema."""
    text = sum(count_tokens(m["content"]) + MESSAGE_TOKENS for m in messages)
    return text + REPLY_TOKENS + schema_tokens(extractor.task.schema)


def estimate(
    paths: Sequence[Path],
    extractor: Extractor[BaseModel],
    *,
    globs: Sequence[str] = DEFAULT_GLOBS,
    completion_tokens: int = EXPECTED_COMPLETION_TOKENS,
    prices: PriceTable | None = None,
    via: str = "sync",
) -> Estimate:
    """Count what ``extractor run`` would send for ``paths`` (no network, no cache)."""
    result = Estimate(
        model=extractor.settings.model,
        base_url=extractor.settings.base_url,
        prices=prices or load_prices(),
        overhead_per_request=schema_tokens(extractor.task.schema) + REPLY_TOKENS,
        completion_per_request=completion_tokens,
        via=via,
    )
    seen: set[str] = set()
    as_of = extractor.as_of.isoformat()
    for item in iter_inputs(paths, globs):
        result.inputs += 1
        try:
            doc = prepare(read_item(item), item.path.name)
        except ExtractorError as exc:
            result.unreadable += 1
            result.problems.append(f"{item.source}: {exc}")
            continue
        text, warnings = extractor.prompt_text(doc)
        result.cut += bool(warnings)
        messages = extractor.task.render(text, as_of=as_of)
        digest = hashlib.sha256(json.dumps(messages).encode()).hexdigest()
        if digest in seen:
            result.duplicates += 1
            continue
        seen.add(digest)
        result.requests += 1
        result.prompt_tokens += prompt_tokens(extractor, messages)
    return result
