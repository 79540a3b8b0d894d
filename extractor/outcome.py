"""What one extraction produced: the validated data plus how it was obtained."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from extractor.document import Evidence

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(slots=True)
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


@dataclass(slots=True)
class Outcome(Generic[ModelT]):
    """A successful extraction."""

    data: ModelT
    task: str
    backend: str
    model: str | None
    cached: bool = False
    usage: Usage = field(default_factory=Usage)
    warnings: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    unsupported: list[dict[str, Any]] = field(default_factory=list)
