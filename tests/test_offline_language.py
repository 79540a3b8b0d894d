"""The stopword language detector."""

from __future__ import annotations

import pytest

from extractor.offline.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We are looking for an engineer to join the team and build the future with you.", "en"),
        (
            "Wir suchen für unser Team eine Entwicklerin mit Erfahrung in der Cloud und mit Spaß.",
            "de",
        ),
        (
            "Nous recherchons pour notre équipe un développeur avec une expérience dans le web.",
            "fr",
        ),
        (
            "Buscamos para nuestro equipo una persona con experiencia en ventas y que sea de CDMX.",
            "es",
        ),
        ("Python SQL AWS", None),
    ],
)
def test_detect_language(text: str, expected: str | None) -> None:
    found = detect_language(text)
    assert (found[0] if found else None) == expected
