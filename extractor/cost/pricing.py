"""What a run costs: a versioned table of per-model token prices.

The table ships as ``extractor/cost/prices.json`` (``version`` is the date its prices were copied;
prices are per million tokens). A model is found by its exact name, else by the longest listed
name it starts with followed by ``-`` (``gpt-4o-mini-2024-07-18`` costs as ``gpt-4o-mini``).
A model not in the table has no price: callers then report tokens only, never a guessed cost.
The table holds OpenAI's list prices, so it prices only requests to OpenAI's own API: a local or
other endpoint (``base_url`` naming any other host) shows tokens only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from extractor.errors import ConfigError

__all__ = [
    "BATCH_DISCOUNT",
    "BATCH_NOTE",
    "Price",
    "PriceTable",
    "format_cost",
    "load_prices",
    "priced_endpoint",
]

PRICED_HOSTS = ("api.openai.com",)
BATCH_DISCOUNT = 0.5
"""What the Batch API charges per token, as a share of the table's price (OpenAI: half)."""
BATCH_NOTE = "at the Batch API price (half the table's)"


def priced_endpoint(base_url: str | None) -> bool:
    """True for OpenAI's own API (the default endpoint), whose list prices the table holds."""
    return base_url is None or (urlsplit(base_url).hostname or "") in PRICED_HOSTS


@dataclass(frozen=True, slots=True)
class Price:
    """Prices of one model, per million tokens."""

    input: float
    output: float

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        return (prompt_tokens * self.input + completion_tokens * self.output) / 1_000_000


@dataclass(frozen=True, slots=True)
class PriceTable:
    version: str
    currency: str
    models: dict[str, Price]

    def price(self, model: str | None, base_url: str | None = None) -> Price | None:
        """The price of ``model`` (exact name, else longest ``name-`` prefix) at ``base_url``, or
        None (not in the table, or not an endpoint the table prices)."""
        if not model or not priced_endpoint(base_url):
            return None
        if (exact := self.models.get(model)) is not None:
            return exact
        prefixes = [name for name in self.models if model.startswith(name + "-")]
        return self.models[max(prefixes, key=len)] if prefixes else None

    def cost(
        self,
        model: str | None,
        prompt_tokens: int,
        completion_tokens: int,
        base_url: str | None = None,
    ) -> float | None:
        """What the tokens cost with ``model`` at ``base_url``, or None when it has no price."""
        price = self.price(model, base_url)
        return None if price is None else price.cost(prompt_tokens, completion_tokens)

    def describe(
        self, model: str | None, base_url: str | None = None, today: date | None = None
    ) -> str:
        """A short note saying which prices a cost used (and how old they are), for summaries."""
        if not priced_endpoint(base_url):
            host = urlsplit(base_url or "").hostname or base_url
            return f"{host} is not priced by the table (OpenAI list prices): tokens only"
        price = self.price(model, base_url)
        if price is None:
            return f"no price for model {model!r} in the {self.age(today)}: tokens only"
        return (
            f"{model} at {format_cost(price.input, self.currency)} in / "
            f"{format_cost(price.output, self.currency)} out per 1M tokens "
            f"({self.age(today)})"
        )

    def age(self, today: date | None = None) -> str:
        """``price table of 2025-08-15, 15 months old``: prices move, so say how old they are."""
        try:
            copied = date.fromisoformat(self.version)
        except ValueError:
            return f"price table {self.version}"
        months = max(0, ((today or date.today()) - copied).days * 12 // 365)
        return f"price table of {self.version}, {months} month{'s' * (months != 1)} old"


def format_cost(amount: float, currency: str = "USD") -> str:
    """``$0.0123`` for USD (four decimals below a dollar), ``12.50 EUR`` otherwise."""
    digits = 4 if abs(amount) < 1 else 2
    if currency == "USD":
        return f"${amount:,.{digits}f}"
    return f"{amount:,.{digits}f} {currency}"


def _parse(data: Any, where: str) -> PriceTable:
    try:
        models = {
            str(name): Price(float(p["input"]), float(p["output"]))
            for name, p in data["models"].items()
        }
        return PriceTable(str(data["version"]), str(data.get("currency", "USD")), models)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(
            f"price table {where} is malformed ({type(exc).__name__}: {exc})"
        ) from None


@cache
def _builtin() -> PriceTable:
    text = resources.files("extractor.cost").joinpath("prices.json").read_text(encoding="utf-8")
    return _parse(json.loads(text), "extractor/cost/prices.json")


def load_prices(path: Path | None = None) -> PriceTable:
    """The built-in price table, or the one in ``path`` (same JSON shape)."""
    if path is None:
        return _builtin()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read price table {path}: {exc}") from None
    return _parse(data, str(path))
