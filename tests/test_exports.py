"""The public API is `__all__`: sorted, complete, and importable."""

from __future__ import annotations

import extractor


def test_all_is_sorted_and_unique() -> None:
    assert list(extractor.__all__) == sorted(set(extractor.__all__))


def test_all_is_complete() -> None:
    public = {name for name in vars(extractor) if not name.startswith("_")}
    modules = {name for name, value in vars(extractor).items() if type(value).__name__ == "module"}
    assert public - modules == set(extractor.__all__)


def test_the_entry_points() -> None:
    from extractor import aextract, extract

    assert callable(extract) and callable(aextract)
    assert issubclass(extractor.InputError, extractor.ExtractorError)
    assert issubclass(extractor.AuthError, extractor.ConfigError)
    assert issubclass(extractor.RateLimitError, extractor.TransientError)
