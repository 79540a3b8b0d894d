"""Pay: finding and parsing pay mentions, and annualising them."""

from __future__ import annotations

import pytest

from extractor.normalize.pay import annualize, find_pay, parse_amount, parse_pay

USD, EUR, GBP, INR = "USD", "EUR", "GBP", "INR"

# (text, quoted span, min, max, currency, period)
PAY_CASES = [
    ("$45/hr", "$45/hr", 45, 45, USD, "hour"),
    ("$45/hrPosted Sep 15, 2025", "$45/hr", 45, 45, USD, "hour"),
    ("$22.50/hour", "$22.50/hour", 22.5, 22.5, USD, "hour"),
    ("$18 - $24 per hour", "$18 - $24 per hour", 18, 24, USD, "hour"),
    ("$15-20/hr", "$15-20/hr", 15, 20, USD, "hour"),
    ("$45 an hour", "$45 an hour", 45, 45, USD, "hour"),
    ("$20 hourly", "$20 hourly", 20, 20, USD, "hour"),
    ("Pay: $17.00 - $19.50 per hour", "$17.00 - $19.50 per hour", 17, 19.5, USD, "hour"),
    ("hourly rate: $30", "$30", 30, 30, USD, "hour"),
    ("$25 per hour (DOE)", "$25 per hour", 25, 25, USD, "hour"),
    ("$190K - $285K/yr", "$190K - $285K/yr", 190_000, 285_000, USD, "year"),
    ("$120,000–$150,000 a year", "$120,000–$150,000 a year", 120_000, 150_000, USD, "year"),
    ("$80,000 - 100,000 per year", "$80,000 - 100,000 per year", 80_000, 100_000, USD, "year"),
    ("120,000 USD per year", "120,000 USD per year", 120_000, 120_000, USD, "year"),
    ("USD 120k-150k", "USD 120k-150k", 120_000, 150_000, USD, None),
    ("£35k-£40k", "£35k-£40k", 35_000, 40_000, GBP, None),
    ("€50k - €60k", "€50k - €60k", 50_000, 60_000, EUR, None),
    ("£28,000 per annum", "£28,000 per annum", 28_000, 28_000, GBP, "year"),
    ("£300 per day", "£300 per day", 300, 300, GBP, "day"),
    ("€50.000", "€50.000", 50_000, 50_000, EUR, None),
    (
        "50.000 € - 60.000 € brutto/Jahr",
        "50.000 € - 60.000 € brutto/Jahr",
        50_000,
        60_000,
        EUR,
        "year",
    ),
    ("€3.500 brutto monatlich", "€3.500 brutto monatlich", 3_500, 3_500, EUR, "month"),
    ("Stundenlohn 15,50 € pro Stunde", "15,50 € pro Stunde", 15.5, 15.5, EUR, "hour"),
    ("18 €/Std.", "18 €/Std", 18, 18, EUR, "hour"),
    ("20 €/h", "20 €/h", 20, 20, EUR, "hour"),
    ("Gehalt: 55.000 €", "55.000 €", 55_000, 55_000, EUR, "year"),
    ("CHF 110'000", "CHF 110'000", 110_000, 110_000, "CHF", None),
    ("₹12 LPA", "₹12 LPA", 1_200_000, 1_200_000, INR, "year"),
    ("12-15 LPA", "12-15 LPA", 1_200_000, 1_500_000, INR, "year"),
    ("12,00,000 INR per annum", "12,00,000 INR per annum", 1_200_000, 1_200_000, INR, "year"),
    ("Rs. 50,000 per month", "Rs. 50,000 per month", 50_000, 50_000, INR, "month"),
    ("up to $25/hr", "up to $25/hr", None, 25, USD, "hour"),
    ("from $60,000", "from $60,000", 60_000, None, USD, None),
    ("starting at $20/hour", "starting at $20/hour", 20, None, USD, "hour"),
    ("$5,000 per month", "$5,000 per month", 5_000, 5_000, USD, "month"),
    ("USD 5,000/month", "USD 5,000/month", 5_000, 5_000, USD, "month"),
    ("45 000 € par an", "45 000 € par an", 45_000, 45_000, EUR, "year"),
    ("1.500 € par mois", "1.500 € par mois", 1_500, 1_500, EUR, "month"),
    ("entre 40 000 et 45 000 € par an", "40 000 et 45 000 € par an", 40_000, 45_000, EUR, "year"),
    ("30.000 - 35.000 € al año", "30.000 - 35.000 € al año", 30_000, 35_000, EUR, "year"),
    ("salario de 2.000 € al mes", "2.000 € al mes", 2_000, 2_000, EUR, "month"),
    ("30.000 a 35.000 € brutos al año", "30.000 a 35.000 € brutos al año", 30_000, 35_000, EUR,
     "year"),
    ("CA$85,000", "CA$85,000", 85_000, 85_000, "CAD", None),
    ("A$95k", "A$95k", 95_000, 95_000, "AUD", None),
    ("¥6,000,000 per year", "¥6,000,000 per year", 6_000_000, 6_000_000, "JPY", "year"),
    ("Salary: $120,000 - $150,000", "$120,000 - $150,000", 120_000, 150_000, USD, "year"),
    ("The salary range is $150,000 to $200,000.", "$150,000 to $200,000", 150_000, 200_000, USD,
     "year"),
    ("Compensation: $ 90,000", "$ 90,000", 90_000, 90_000, USD, "year"),
    ("between $50,000 and $70,000", "$50,000 and $70,000", 50_000, 70_000, USD, None),
    ("$100k+ DOE", "$100k", 100_000, 100_000, USD, None),
    ("Chicago, IL 60607 $105,000 - $125,000 a year", "$105,000 - $125,000 a year", 105_000,
     125_000, USD, "year"),
    ("£30k p. a.", "£30k p. a.", 30_000, 30_000, GBP, "year"),
    ("€40.000 p.a.", "€40.000 p.a.", 40_000, 40_000, EUR, "year"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "quote", "low", "high", "currency", "period"), PAY_CASES)
def test_find_pay(
    text: str,
    quote: str,
    low: float | None,
    high: float | None,
    currency: str,
    period: str | None,
) -> None:
    found = find_pay(text)
    assert len(found) == 1
    pay = found[0]
    assert (pay.text, pay.min, pay.max, pay.currency, pay.period) == (
        quote,
        low,
        high,
        currency,
        period,
    )
    assert text[pay.start : pay.end] == pay.text


NOT_PAY = [
    "401(k) plan with matching",
    "We raised $5M funding last year",
    "$5M in funding",
    "Summer 2026 internship",
    "It runs for 12 weeks.",
    "Call 555-123-4567 or +1 (415) 555 0199",
    "Top 10 employer",
    "$4 billion in revenue",
    "We have 5,000 employees and $3.2B in revenue",
    "founded in 2015, $20m series B",
    "a $500 gift card",
    "raised $50,000,000",
    "$1,000 referral bonus",
    "50% off",
    "120,000 users",
    "Room 2026, 15.09.2025",
    "$99",
]


@pytest.mark.parametrize("text", NOT_PAY)
def test_find_pay_ignores_what_is_not_pay(text: str) -> None:
    assert find_pay(text) == []


def test_find_pay_keeps_order_and_offsets() -> None:
    text = "Base pay $60K/year - $80K/year. Interns earn $45/hr."
    found = find_pay(text)
    assert [p.text for p in found] == ["$60K/year", "$80K/year", "$45/hr"]
    assert all(text[p.start : p.end] == p.text for p in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$45/hr", 45.0),
        ("nothing here", None),
        ("", None),
        ("45000", None),
    ],
)
def test_parse_pay(text: str, expected: float | None) -> None:
    pay = parse_pay(text)
    assert (pay.min if pay else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("120,000", 120_000.0),
        ("50.000", 50_000.0),
        ("22.50", 22.5),
        ("22,50", 22.5),
        ("1.234,56", 1_234.56),
        ("1,234.56", 1_234.56),
        ("110'000", 110_000.0),
        ("45 000", 45_000.0),
        ("45\u202f000", 45_000.0),
        ("12,00,000", 1_200_000.0),
        ("1,000,000", 1_000_000.0),
        ("7", 7.0),
        ("", None),
    ],
)
def test_parse_amount(text: str, expected: float | None) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    ("amount", "period", "expected"),
    [
        (45, "hour", 93_600),
        (200, "day", 52_000),
        (1_000, "week", 52_000),
        (5_000, "month", 60_000),
        (120_000, "year", 120_000),
        (45, None, None),
        (None, "hour", None),
        (45, "fortnight", None),
    ],
)
def test_annualize(amount: float | None, period: str | None, expected: float | None) -> None:
    assert annualize(amount, period) == expected


@pytest.mark.parametrize(
    ("text", "low", "high", "period"),
    [
        ("Mensuel de 1900,00 Euros à 2500,00 Euros sur 12 mois", 1900.0, 2500.0, "month"),
        ("$76,000 \\- $85,000 per year \\+ Superannuation", 76000.0, 85000.0, "year"),
    ],
)
def test_period_word_before_and_escaped_dash(
    text: str, low: float, high: float, period: str
) -> None:
    found = find_pay(text)[0]
    assert (found.min, found.max, found.period) == (low, high, period)
