"""Locations: written places split into city, region and ISO country."""

from __future__ import annotations

import pytest

from extractor.normalize.locations import Place, city_country, parse_location


@pytest.mark.parametrize(
    ("text", "city", "region", "country"),
    [
        ("San Jose, CA, USA", "San Jose", "CA", "US"),
        ("San Jose, CA", "San Jose", "CA", "US"),
        ("San Jose", "San Jose", None, None),
        ("London, UK", "London", None, "GB"),
        ("London, United Kingdom", "London", None, "GB"),
        ("Berlin, Germany", "Berlin", None, "DE"),
        ("Berlin", "Berlin", None, "DE"),
        ("Berlin-Kreuzberg", "Berlin", None, "DE"),
        ("München", "München", None, "DE"),
        ("München-Bogenhausen", "München", None, "DE"),
        ("Köln-Ehrenfeld", "Köln", None, "DE"),
        ("Zürich", "Zürich", None, "CH"),
        ("Genève", "Genève", None, "CH"),
        ("Paris 11e", "Paris", None, "FR"),
        ("Lyon 1er", "Lyon", None, "FR"),
        ("Madrid", "Madrid", None, "ES"),
        ("Bengaluru", "Bengaluru", None, "IN"),
        ("Edinburgh", "Edinburgh", None, "GB"),
        ("Toronto, ON", "Toronto", "ON", "CA"),
        ("Mississauga, ON, Canada", "Mississauga", "ON", "CA"),
        ("Sydney NSW", "Sydney", "NSW", "AU"),
        ("Perth, WA", "Perth", "WA", "AU"),
        ("Seattle, WA", "Seattle", "WA", "US"),
        ("Denver, Colorado", "Denver", "Colorado", "US"),
        ("Atlanta, Georgia", "Atlanta", "Georgia", "US"),
        ("Tbilisi, Georgia", "Tbilisi", None, "GE"),
        ("Washington, DC", "Washington", "DC", "US"),
        ("New York, NY", "New York", "NY", "US"),
        ("Springfield, IL", "Springfield", "IL", "US"),
        ("Winston-Salem, NC", "Winston-Salem", "NC", "US"),
        ("Ciudad de México, CDMX", "Ciudad de México", "CDMX", "MX"),
        ("Remote - US", None, None, "US"),
        ("Remote (US)", None, None, "US"),
        ("Remote, Germany", None, None, "DE"),
        ("Germany", None, None, "DE"),
        ("Singapore", "Singapore", None, "SG"),
        ("Chicago, IL 60607", "Chicago", "IL", "US"),
        ("4102 W Kennedy Blvd, Tampa, FL 33609", "Tampa", "FL", "US"),
        ("1402 E 6th St, Austin TX", "Austin", "TX", "US"),
        ("Remote - US only", None, None, "US"),
        # A town GeoNames lacks, before a region of the country the place names.
        ("Swords, Co. Dublin, Ireland", "Swords", "Co. Dublin", "IE"),
        ("12 Quay St, Oranmore, Co. Galway, Ireland", "Oranmore", "Co. Galway", "IE"),
        ("Emmeloord, Flevoland (NL)", "Emmeloord", "Flevoland", "NL"),
        ("Medellín, Antioquia (Colombia)", "Medellín", "Antioquia", "CO"),
        ("Flevoland (NL)", None, "Flevoland", "NL"),
        ("Fortaleza - CE, Brazil", "Fortaleza", "CE", "BR"),
        ("Hyderabad, Telangana", "Hyderabad", "Telangana", "IN"),
        ("Graz, Steiermark", "Graz", "Steiermark", "AT"),
        ("Kochi, Kerala", "Kochi", "Kerala", "IN"),
        ("Kochi", "Kochi", None, None),  # Kerala or Japan
        ("Toronto, ON (Canada)", "Toronto", "ON", "CA"),
        ("3150 Commercial Drive, Vancouver, BC V5N 4E9", "Vancouver", "BC", "CA"),
        # A district named after its city: the city.
        ("Dubai Marina, Dubai, UAE", "Dubai", None, "AE"),
        ("Auckland CBD, Auckland", "Auckland", None, "NZ"),
    ],
)
def test_parse_location(
    text: str, city: str | None, region: str | None, country: str | None
) -> None:
    assert parse_location(text) == Place(text, city, region, country)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Remote",
        "Full-time",
        "Apply now",
        "Machine Learning Engineer",
        "12345",
        "$45/hr",
        "Smallville, Nowhere",
        "Smallville, Flevoland",
    ],
)
def test_parse_location_rejects_what_is_not_a_place(text: str) -> None:
    assert parse_location(text) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Berlin", "DE"),
        ("Munich", "DE"),
        ("Paris", "FR"),
        ("San Jose", None),
        ("Nowhereville", None),
    ],
)
def test_city_country(name: str, expected: str | None) -> None:
    assert city_country(name) == expected
