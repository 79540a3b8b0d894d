"""Pay arithmetic: annualising a figure by its period.

Documented convention: a working year is 2,080 hours (40 h x 52 weeks), 260 days, 52 weeks or
12 months. Figures with no period are not annualised.
"""

from __future__ import annotations

PERIODS_PER_YEAR: dict[str, int] = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}


def annualize(amount: float | None, period: str | None) -> float | None:
    """Return ``amount`` per year, or None when either is unknown."""
    if amount is None or period is None:
        return None
    factor = PERIODS_PER_YEAR.get(period)
    return None if factor is None else round(amount * factor, 2)
