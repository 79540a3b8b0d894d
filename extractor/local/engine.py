"""The ``local`` and ``hybrid`` backends: what a run gets from an in-process model.

- ``local``: the model fills the task's whole schema (bounded, grammar-constrained) from a plain
  completion prompt. Values the task's validators refuse are dropped field by field, with a
  warning, rather than failing the input: there is no re-ask in-process.
- ``hybrid`` (the ``job_posting`` task): the offline rules fill every field; the model is asked
  only for :data:`MODEL_FIELDS` (title, company, locations), where it beats the rules on the real
  dev set (README, "Local models"), and its value replaces the rules' when its text occurs in the
  page; otherwise the rules' value stays.

The caller (:class:`extractor.extraction.Extractor`) grounds every value afterwards, as for any
backend. The model's answer is cached (JSON only) under a key made of the backend, the model
file (name and size), the prompt template version, the schema and the exact prompt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError

from extractor.cache import ResultCache, cache_key
from extractor.document import Document
from extractor.errors import ConfigError
from extractor.evidence.ground import Candidate
from extractor.evidence.request import rule_candidates
from extractor.local.model import Completion, LocalModel
from extractor.outcome import Usage
from extractor.tasks import Task

PROMPT_VERSION = "1"
MODEL_FIELDS = ("title", "company", "locations")
HYBRID_TASKS = frozenset({"job_posting"})
HYBRID_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": {"type": "string", "maxLength": 120},
        "company": {"type": "string", "maxLength": 80},
        "locations": {
            "type": "array",
            "items": {"type": "string", "maxLength": 80},
            "maxItems": 3,
        },
    },
    "required": ["title", "company", "locations"],
}
HYBRID_TOKENS = 160
LOCAL_TOKENS = 1024


def prompt(page: str, ask: str) -> str:
    """A plain completion prompt: the page, then the instruction (no chat template)."""
    return f"Job posting:\n\n{page.strip()}\n\n---\n{ask}\n"


HYBRID_ASK = "The job title, the hiring company and the work locations of this posting, as JSON:"
LOCAL_ASK = "This job posting as JSON, with only facts written above:"


@dataclass(slots=True)
class LocalAnswer:
    """A record for the caller to ground: data, rule spans (hybrid), usage and cache state."""

    data: BaseModel
    rules: list[Candidate] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    cached: bool = False
    warnings: list[str] = field(default_factory=list)


class LocalEngine:
    """Runs the ``local`` or ``hybrid`` backend for one task with one model."""

    def __init__(
        self, backend: str, task: Task[Any], model: LocalModel, cache: ResultCache | None
    ) -> None:
        if backend == "hybrid" and task.name not in HYBRID_TASKS:
            raise ConfigError(
                f"the hybrid backend only knows the {', '.join(sorted(HYBRID_TASKS))} task; "
                f"use --backend local for {task.name!r}"
            )
        self.backend = backend
        self.task = task
        self.model = model
        self.cache = cache

    def extract(self, doc: Document, *, as_of: date) -> LocalAnswer:
        if self.backend == "hybrid":
            return self._hybrid(doc, as_of)
        return self._local(doc)

    # -- the model, through the cache ----------------------------------------------------------
    def _ask(
        self, text: str, schema: dict[str, Any], ask: str, tokens: int
    ) -> tuple[Completion, bool]:
        full = prompt(self.model.cut(text), ask)
        key = cache_key(
            backend=self.backend,
            model=self.model.name,
            model_size=self.model.path.stat().st_size,
            prompt_version=PROMPT_VERSION,
            task=self.task.fingerprint,
            schema=schema,
            prompt=full,
            max_tokens=tokens,
        )
        if self.cache is not None and (stored := self.cache.get(key)) is not None:
            value = stored.get("value")
            if isinstance(value, dict):
                return Completion(value, Usage()), True
        answer = self.model.complete(full, schema, max_tokens=tokens)
        if self.cache is not None:
            self.cache.set(key, {"value": answer.value})
        return answer, False

    # -- local: the whole schema ---------------------------------------------------------------
    def _local(self, doc: Document) -> LocalAnswer:
        schema = self.task.schema.model_json_schema()
        answer, cached = self._ask(doc.text, schema, LOCAL_ASK, LOCAL_TOKENS)
        data, dropped = salvage(self.task.schema, answer.value)
        warnings = [f"local model value(s) failed validation, dropped: {', '.join(dropped)}"]
        return LocalAnswer(
            data, usage=answer.usage, cached=cached, warnings=warnings if dropped else []
        )

    # -- hybrid: rules plus the model where it wins --------------------------------------------
    def _hybrid(self, doc: Document, as_of: date) -> LocalAnswer:
        from extractor.offline import extract_posting

        rules = extract_posting(doc, as_of=as_of)
        answer, cached = self._ask(doc.text, HYBRID_SCHEMA, HYBRID_ASK, HYBRID_TOKENS)
        data = dict(rules.data)
        replaced = merge(data, answer.value, doc.text)
        evidence = [e for e in rules.evidence if e.path.split("[")[0].split(".")[0] not in replaced]
        record, dropped = salvage(self.task.schema, data)
        warnings = list(rules.warnings)
        if dropped:
            warnings.append(f"hybrid value(s) failed validation, dropped: {', '.join(dropped)}")
        return LocalAnswer(
            record, rule_candidates(evidence), answer.usage, cached=cached, warnings=warnings
        )


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def occurs(value: str, text: str) -> bool:
    """True when ``value`` is written in ``text`` (ignoring case and spacing)."""
    folded = _folded(value)
    return len(folded) >= 2 and folded in _folded(text)


def merge(data: dict[str, Any], model: dict[str, Any], text: str) -> set[str]:
    """Put the model's title, company and locations into ``data`` where the page has them;
    return the fields replaced."""
    from extractor.normalize.locations import parse_location

    replaced: set[str] = set()
    for name in ("title", "company"):
        value = model.get(name)
        if isinstance(value, str) and occurs(value, text):
            data[name] = " ".join(value.split())
            replaced.add(name)
    places: list[dict[str, str | None]] = []
    for item in model.get("locations") or []:
        if not isinstance(item, str) or not occurs(item, text):
            continue
        written = " ".join(re.sub(r"^[\W_]+|[\W_]+$", "", item).split())
        place = parse_location(written)
        if place is not None and all(p["text"] != place.text for p in places):
            places.append(
                {
                    "text": place.text,
                    "city": place.city,
                    "region": place.region,
                    "country": place.country,
                }
            )
    if places:
        data["locations"] = places
        replaced.add("locations")
    return replaced


def salvage(schema: type[BaseModel], value: dict[str, Any]) -> tuple[BaseModel, list[str]]:
    """``value`` validated against ``schema``, dropping the top-level fields that fail."""
    data = dict(value)
    dropped: list[str] = []
    for _ in range(len(data) + 1):
        try:
            return schema.model_validate(data), dropped
        except ValidationError as exc:
            bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
            bad &= set(data)
            if not bad:
                break
            for name in sorted(bad):
                data.pop(name)
                dropped.append(name)
    return schema.model_validate({}), [*dropped, *sorted(data)]
