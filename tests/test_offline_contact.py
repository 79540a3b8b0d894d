"""Contact emails and the apply URL."""

from __future__ import annotations

import pytest

from extractor.offline.contact import find_apply_url, find_emails


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("reach out to us at apac-earlycareers@tiktok.com.", ["apac-earlycareers@tiktok.com"]),
        ("a@b.co and A@B.CO", ["a@b.co"]),
        ("not an email: user@localhost", []),
        ("Kontakt: lea.baumann@helvetia-rueck.ch", ["lea.baumann@helvetia-rueck.ch"]),
    ],
)
def test_find_emails(text: str, expected: list[str]) -> None:
    assert [span.text for span in find_emails(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Jetzt bewerben: https://jobs.example.ch/de/stelle/4471",
            "https://jobs.example.ch/de/stelle/4471",
        ),
        ("privacy policy: https://careers.tiktok.com/legal/privacy.", None),
        ("Apply here (https://example.com/apply/42).", "https://example.com/apply/42"),
        ("Our blog: https://example.com/blog", None),
        ("Visit https://boards.example.com/jobs/123", "https://boards.example.com/jobs/123"),
        (
            "Apply at https://fieldwise.com/careers/director-legal.",
            "https://fieldwise.com/careers/director-legal",
        ),
        ("Terms: https://example.com/terms/apply", None),
    ],
)
def test_find_apply_url(text: str, expected: str | None) -> None:
    found = find_apply_url(text)
    assert (found.text if found else None) == expected
