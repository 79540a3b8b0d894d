"""Shared fixtures. Every test is hermetic: no OPENAI_*/EXTRACTOR_* variables from the machine,
a cache in its own tmp folder, and no network but 127.0.0.1 (pytest-recording's
``--block-network``, set in pyproject)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from extractor.settings import Settings

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
POSTINGS = DATA / "postings"
SEEDS = sorted(p for p in POSTINGS.glob("00[0-4]_*.txt"))
AS_OF = date(2026, 11, 22)

# Read before the hermetic fixture clears the environment: only re-recording uses them.
RECORD_BASE_URL = os.environ.get("EXTRACTOR_RECORD_BASE_URL")
RECORD_API_KEY = os.environ.get("EXTRACTOR_RECORD_API_KEY")
RECORD_MODEL = os.environ.get("EXTRACTOR_RECORD_MODEL", "gpt-4o-mini")
TEST_KEY = "test-key-not-secret"


def make_postings(folder: Path, n: int, start: int = 0) -> Path:
    """``n`` small synthetic postings (distinct texts) in ``folder``, for runs at scale."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        (folder / f"p{i:05d}.txt").write_text(
            f"Data Engineer {i}\nAcme Corp, Berlin, Germany\nWe need Python and SQL.\n"
            f"Reference {i:05d}.\n"
        )
    return folder


@pytest.fixture(autouse=True)
def hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(("OPENAI_", "EXTRACTOR_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("EXTRACTOR_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """LLM settings pointing at a fake endpoint, with a per-test cache."""
    return Settings.from_env(
        {},
        backend="llm",
        api_key=TEST_KEY,
        base_url="http://llm.test/v1",
        cache_dir=tmp_path / "cache",
        as_of=AS_OF,
    )


# -- cassettes --------------------------------------------------------------------------------
SCRUB_RESPONSE_HEADERS = ("set-cookie", "openai-organization", "openai-project", "x-request-id")


def _scrub_response(response: dict[str, Any]) -> dict[str, Any] | None:
    status = response.get("status", {}).get("code", 200)
    if status == 429 or status >= 500:
        return None  # never keep rate limits or server errors: replays must not sleep
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in SCRUB_RESPONSE_HEADERS:
            del headers[name]
    return response


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": [
            "authorization",
            "api-key",
            "cookie",
            "openai-organization",
            "openai-project",
            "x-stainless-arch",
            "x-stainless-os",
            "x-stainless-runtime-version",
            "user-agent",
        ],
        "before_record_response": _scrub_response,
        "match_on": ["method", "path", "body"],
        "decode_compressed_response": True,
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(REPO / "cassettes" / request.module.__name__.rsplit(".", 1)[-1])


@pytest.fixture
def recorded_endpoint(request: pytest.FixtureRequest, record_mode: str) -> Iterator[Settings]:
    """Settings for a cassette test.

    Replaying (the default): a placeholder URL; VCR answers from the cassette. Recording
    (``--record-mode=rewrite``): ``EXTRACTOR_RECORD_BASE_URL``/``EXTRACTOR_RECORD_API_KEY`` when
    set (a real endpoint), else the project's local simulator scripted by the test's
    ``simulator`` marker: such cassettes are fixtures, labelled in cassettes/README.md.
    """
    cache = Path(request.getfixturevalue("tmp_path")) / "cache"
    common: dict[str, Any] = {"backend": "llm", "cache_dir": cache, "as_of": AS_OF}
    if record_mode == "none":
        yield Settings.from_env({}, api_key=TEST_KEY, base_url="http://llm.test/v1", **common)
        return
    if RECORD_BASE_URL:
        yield Settings.from_env(
            {}, api_key=RECORD_API_KEY, base_url=RECORD_BASE_URL, model=RECORD_MODEL, **common
        )
        return
    from extractor.testing.simulator import Simulator, SimulatorConfig, scripted

    marker = request.node.get_closest_marker("simulator")
    kwargs = dict(marker.kwargs) if marker else {}
    answers = kwargs.pop("answers", None)
    config = SimulatorConfig(**kwargs)
    if answers is not None:
        config.answerer = scripted(answers)
    with Simulator(config) as sim:
        yield Settings.from_env({}, api_key=TEST_KEY, base_url=sim.base_url, **common)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "simulator(**config): how to script the simulator when recording"
    )
