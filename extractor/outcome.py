"""What one extraction produced: the validated data plus how it was obtained."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel

from extractor.document import Evidence, Unsupported

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens and HTTP requests, summed over every re-ask and retry of one extraction."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.requests + other.requests,
        )

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Outcome(Generic[ModelT]):
    """A successful extraction: the data, which backend and model made it, what it cost, and
    the evidence for every value (``evidence``) or its absence (``unsupported``)."""

    data: ModelT
    task: str
    backend: str
    model: str | None
    cached: bool = False
    usage: Usage = Usage()
    warnings: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    unsupported: tuple[Unsupported, ...] = ()
