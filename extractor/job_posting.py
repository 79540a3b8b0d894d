"""The built-in job_posting schema: one job posting as a validated record (``JobPosting``).

Every validator rule is also written into its field's description, because validators are not part
of the JSON schema the model sees. Bump ``VALIDATOR_VERSION`` whenever a validator's behaviour
changes: it is part of the cache key.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    computed_field,
    field_validator,
    model_validator,
)

from extractor.normalize.codes import normalize_country, normalize_currency, normalize_language
from extractor.normalize.pay import annualize

VALIDATOR_VERSION = "1"

MIN_YEAR = 1990
MAX_YEAR = 2100

Workplace = Literal["onsite", "hybrid", "remote"]
EmploymentType = Literal["full_time", "part_time", "internship", "contract", "temporary"]
Seniority = Literal["intern", "entry", "mid", "senior", "lead", "manager", "director", "executive"]
DegreeLevel = Literal["high_school", "associate", "bachelor", "master", "phd"]
PayPeriod = Literal["hour", "day", "week", "month", "year"]


def _check_year(value: date | None) -> date | None:
    if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"dates must lie between {MIN_YEAR} and {MAX_YEAR}")
    return value


def _dedupe(items: list[Any]) -> list[Any]:
    """Drop empty items and repeats (case- and space-insensitive for text), keeping order."""
    seen: set[Any] = set()
    kept: list[Any] = []
    for item in items:
        key = re.sub(r"\s+", " ", item).strip().casefold() if isinstance(item, str) else item
        if key in ("", None) or key in seen:
            continue
        seen.add(key)
        kept.append(item)
    return kept


IsoDate = Annotated[date, AfterValidator(_check_year)]
TextList = Annotated[list[str], AfterValidator(_dedupe)]

_CONFIG = ConfigDict(
    str_strip_whitespace=True,
    hide_input_in_errors=True,
    extra="forbid",
)


class Location(BaseModel):
    """A place where the job is, as written plus its parts."""

    model_config = _CONFIG

    text: str = Field(description="The location exactly as written in the posting.")
    city: str | None = Field(default=None, description="City name, or null when not stated.")
    region: str | None = Field(
        default=None, description="State, province or region as written (e.g. 'CA'), or null."
    )
    country: str | None = Field(
        default=None,
        description=(
            "ISO 3166-1 alpha-2 country code in upper case (US, GB, DE). Country names and "
            "alpha-3 codes are converted; anything else is rejected. Null when unknown."
        ),
    )

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> Any:
        return normalize_country(value) if isinstance(value, str) and value.strip() else None


class Pay(BaseModel):
    """Advertised pay: a single figure has min == max."""

    model_config = _CONFIG

    text: str = Field(description="The pay exactly as written, e.g. '$45/hr' or '£35k-£40k'.")
    min: float | None = Field(
        default=None, ge=0, description="Lowest amount as a plain number (45000, not '45k'); >= 0."
    )
    max: float | None = Field(
        default=None,
        ge=0,
        description="Highest amount as a plain number; must be >= min. Equal to min for one figure.",
    )
    currency: str | None = Field(
        default=None,
        description="ISO 4217 code in upper case (USD, EUR, GBP, INR); '$' means USD unless "
        "the posting says otherwise. Anything that is not a real code is rejected.",
    )
    period: PayPeriod | None = Field(
        default=None, description="What the amount is paid per: hour, day, week, month or year."
    )

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: Any) -> Any:
        return normalize_currency(value) if isinstance(value, str) and value.strip() else None

    @model_validator(mode="after")
    def _range(self) -> Pay:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("pay.min must not be greater than pay.max")
        return self

    @computed_field  # type: ignore[prop-decorator]
    @property
    def annual_min(self) -> float | None:
        """min per year (2,080 hours, 260 days, 52 weeks or 12 months a year)."""
        return annualize(self.min, self.period)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def annual_max(self) -> float | None:
        """max per year, by the same convention as annual_min."""
        return annualize(self.max, self.period)


class DatedText(BaseModel):
    """A date as written on the page plus the ISO date it means, when that can be computed."""

    model_config = _CONFIG

    text: str = Field(
        description="The date as written, e.g. 'Posted 99 days ago' or 'Sep 15, 2025'."
    )
    date: IsoDate | None = Field(
        default=None,
        description=f"The ISO date (YYYY-MM-DD) it means, between {MIN_YEAR} and {MAX_YEAR}; "
        "null when it cannot be computed.",
    )


class JobPosting(BaseModel):
    """One job posting, extracted from the posting itself: ignore ads, other jobs and navigation."""

    model_config = _CONFIG

    title: str | None = Field(default=None, description="The job title exactly as written.")
    company: str | None = Field(default=None, description="The hiring company's name.")
    team: str | None = Field(default=None, description="The team, department or org, if named.")
    locations: list[Location] = Field(
        default_factory=list, description="Every place the job may be done from; no repeats."
    )
    workplace: Workplace | None = Field(
        default=None, description="onsite, hybrid or remote; null when the posting does not say."
    )
    employment_type: EmploymentType | None = Field(
        default=None,
        description="full_time, part_time, internship, contract or temporary; interns are "
        "'internship'. Null when not stated.",
    )
    seniority: Seniority | None = Field(
        default=None,
        description="intern, entry, mid, senior, lead, manager, director or executive; null "
        "when the posting gives no clue.",
    )
    pay: Pay | None = Field(default=None, description="Advertised pay, or null when none is given.")
    degree_levels: list[DegreeLevel] = Field(
        default_factory=list,
        description="Degrees asked for or accepted: high_school, associate, bachelor, master, "
        "phd ('BS/MS' means bachelor and master). No repeats.",
    )
    posted: DatedText | None = Field(default=None, description="When the job was posted.")
    application_deadline: DatedText | None = Field(
        default=None, description="The last day to apply, if stated."
    )
    start_dates: list[IsoDate] = Field(
        default_factory=list,
        description=f"Possible start dates as ISO dates (YYYY-MM-DD, {MIN_YEAR}-{MAX_YEAR}); "
        "no repeats.",
    )
    duration: str | None = Field(
        default=None, description="How long the job lasts as written, e.g. '12 weeks'."
    )
    contact_emails: list[EmailStr] = Field(
        default_factory=list,
        description="Contact email addresses in the posting; each must be a valid address. "
        "No repeats.",
    )
    apply_url: str | None = Field(
        default=None, description="The URL to apply at, starting with http:// or https://."
    )
    skills: TextList = Field(
        default_factory=list,
        description="Technical and professional skills named (e.g. 'Python', 'Spark'); short "
        "names, no repeats (case-insensitive), no empty items.",
    )
    responsibilities: TextList = Field(
        default_factory=list,
        description="What the job involves, one item per bullet or sentence, as written; no repeats.",
    )
    required_qualifications: TextList = Field(
        default_factory=list,
        description="Minimum or required qualifications, one per bullet, as written; no repeats.",
    )
    preferred_qualifications: TextList = Field(
        default_factory=list,
        description="Preferred or nice-to-have qualifications, one per bullet, as written; "
        "no repeats.",
    )
    benefits: TextList = Field(
        default_factory=list, description="Benefits and perks, one per bullet, as written."
    )
    is_expired: bool = Field(
        default=False,
        description="True only when the page says the posting has expired or is closed.",
    )
    language: str | None = Field(
        default=None,
        description="The posting's language as an ISO 639-1 code in lower case (en, de, fr, es).",
    )

    @field_validator("locations", "degree_levels", "start_dates", "contact_emails", mode="after")
    @classmethod
    def _unique(cls, value: list[Any]) -> list[Any]:
        if value and isinstance(value[0], Location):
            seen: set[str] = set()
            kept: list[Any] = []
            for loc in value:
                key = loc.text.casefold()
                if key not in seen:
                    seen.add(key)
                    kept.append(loc)
            return kept
        if value and isinstance(value[0], str):
            return _dedupe(value)
        return list(dict.fromkeys(value))

    @field_validator("apply_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://\S+$", value):
            raise ValueError("apply_url must be an http:// or https:// URL")
        return value

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: Any) -> Any:
        return normalize_language(value) if isinstance(value, str) and value.strip() else None
