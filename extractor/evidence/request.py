"""What the LLM is asked for: the task's record plus supporting quotes, for any task.

    {"data": <the task's schema>, "quotes": [{"path": "pay", "quote": "$45/hr"}, ...]}

The wrapper model is generated from the task's schema (:func:`quoted_schema`), so every task gets
quotes without changing its schema or prompt: the instructions travel in the wrapper's
descriptions, which the model sees as the tool/JSON schema. A model that ignores the wrapper and
answers with the bare record is accepted (no quotes): its values are then grounded by looking
for them in the source. ``QUOTES_VERSION`` is part of the cache key, with the wrapper's schema.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, create_model

from extractor.document import Evidence
from extractor.evidence.align import SourceIndex
from extractor.evidence.ground import Candidate

QUOTES_VERSION = "1"

_PREFIX = re.compile(r"^(?:\$\.|data\.)")


class Quote(BaseModel):
    """Text copied from the posting that states one value."""

    model_config = ConfigDict(str_strip_whitespace=True, hide_input_in_errors=True, extra="ignore")

    path: str = Field(
        description="Which value the quote supports: a field name ('title', 'pay', "
        "'workplace'), a list item ('skills[2]', 'locations[0]', 'start_dates[1]') or a nested "
        "field ('pay.period')."
    )
    quote: str = Field(
        description="Text copied character for character from the posting (a few words up to "
        "one sentence) that states the value; for a value you normalised (a currency code, an "
        "ISO date, 'internship', a seniority), the words it was derived from."
    )


class QuotedAnswer(BaseModel):
    """Base of the generated wrappers: accepts the bare record too (then with no quotes).

    The bare form is rewrapped *before* validation, as JSON text: a pydantic ``before``
    validator would switch the record to Python-mode validation, where instructor's strict
    mode refuses ISO date strings.
    """

    model_config = ConfigDict(hide_input_in_errors=True, extra="forbid")

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **kwargs: Any) -> Self:
        try:
            value = json.loads(json_data)
        except ValueError:
            return super().model_validate_json(json_data, **kwargs)
        if _bare(value):
            json_data = json.dumps({"data": value, "quotes": []})
        return super().model_validate_json(json_data, **kwargs)

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Self:
        return super().model_validate({"data": obj, "quotes": []} if _bare(obj) else obj, **kwargs)


def _bare(value: Any) -> bool:
    return isinstance(value, dict) and not ({"data"} <= set(value) <= {"data", "quotes"})


@cache
def quoted_schema(schema: type[BaseModel]) -> type[QuotedAnswer]:
    """The response model ``{data: schema, quotes: [Quote]}`` for a task's schema."""
    model: type[QuotedAnswer] = create_model(
        f"{schema.__name__}WithQuotes",
        __base__=QuotedAnswer,
        __doc__=(
            f"{(schema.__doc__ or schema.__name__).strip()} Put the record in `data`. In "
            "`quotes`, give for every non-empty value of `data` (each field, each list item) a "
            "short quote copied exactly from the posting that supports it. Values the posting "
            "does not support must be left empty: they are checked against the text and "
            "dropped."
        ),
        data=(schema, Field(description="The extracted record.")),
        quotes=(
            list[Quote],
            Field(
                default_factory=list,
                description="One supporting quote per non-empty value of `data`, copied exactly.",
            ),
        ),
    )
    return model


def cache_part(schema: type[BaseModel]) -> dict[str, Any]:
    """What the wrapper adds to the cache key: its version and its JSON schema."""
    return {"quotes_version": QUOTES_VERSION, "response": _json_schema(quoted_schema(schema))}


@cache
def _json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A model's JSON schema, built once (it costs milliseconds per request); do not mutate."""
    return model.model_json_schema()


def quote_path(path: str) -> str:
    """A model's path in our form: no "data."/"$." prefix, no spaces, ".text" kept off."""
    path = _PREFIX.sub("", re.sub(r"\s+", "", path))
    return path.removesuffix(".text")


def align_quotes(
    quotes: list[dict[str, Any]], index: SourceIndex
) -> tuple[list[Candidate], list[str]]:
    """The quotes found in the source (as candidates), and the paths whose quote was not."""
    found: list[Candidate] = []
    lost: list[str] = []
    for item in quotes:
        path, quote = quote_path(str(item.get("path", ""))), str(item.get("quote", ""))
        if not path or not quote.strip():
            continue
        where = index.align(quote)
        if where is None:
            lost.append(path)
        else:
            found.append(Candidate(path, where.start, where.end, where.kind))
    return found, lost


def rule_candidates(evidence: list[Evidence]) -> list[Candidate]:
    """The offline backend's spans as candidates."""
    return [Candidate(e.path, e.start, e.end, "rule") for e in evidence]
