"""The price table: lookup by model name, costs, formatting, a malformed table."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.cost.pricing import Price, PriceTable, format_cost, load_prices
from extractor.errors import ConfigError

TABLE = PriceTable(
    "2025-01-01",
    "USD",
    {"gpt-4o": Price(2.5, 10.0), "gpt-4o-mini": Price(0.15, 0.6), "o3": Price(2.0, 8.0)},
)


@pytest.mark.parametrize(
    ("model", "price"),
    [
        ("gpt-4o-mini", Price(0.15, 0.6)),
        ("gpt-4o-mini-2024-07-18", Price(0.15, 0.6)),  # dated: the longest listed prefix
        ("gpt-4o-2024-08-06", Price(2.5, 10.0)),
        ("gpt-4omni", None),  # a prefix must end at a dash
        ("o3-mini", Price(2.0, 8.0)),
        ("llama3.1:8b", None),
        ("", None),
        (None, None),
    ],
)
def test_price_lookup(model: str | None, price: Price | None) -> None:
    assert TABLE.price(model) == price


@pytest.mark.parametrize(
    ("model", "prompt", "completion", "cost"),
    [
        ("gpt-4o-mini", 1_000_000, 0, 0.15),
        ("gpt-4o-mini", 2_000, 500, (2_000 * 0.15 + 500 * 0.6) / 1e6),
        ("gpt-4o", 0, 1_000_000, 10.0),
        ("unknown", 1_000, 1_000, None),  # tokens only, never a guessed price
    ],
)
def test_cost(model: str, prompt: int, completion: int, cost: float | None) -> None:
    got = TABLE.cost(model, prompt, completion)
    assert got == (pytest.approx(cost) if cost is not None else None)


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [(0.0123456, "USD", "$0.0123"), (12.5, "USD", "$12.50"), (1234.5, "EUR", "1,234.50 EUR")],
)
def test_format_cost(amount: float, currency: str, text: str) -> None:
    assert format_cost(amount, currency) == text


def test_the_builtin_table_is_versioned_and_prices_the_default_model() -> None:
    table = load_prices()
    assert table.version and table.currency == "USD"
    assert table.price("gpt-4o-mini") is not None
    assert "price table of" in table.describe("gpt-4o-mini")
    assert "tokens only" in table.describe("my-local-model")


@pytest.mark.parametrize(
    "text",
    ['{"models": {}}', '{"version": "x", "models": {"m": {"input": "cheap"}}}', "not json"],
)
def test_a_malformed_table_is_a_config_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "prices.json"
    path.write_text(text)
    with pytest.raises(ConfigError):
        load_prices(path)
