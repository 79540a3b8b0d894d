"""Property-based fuzz of the service from its own OpenAPI schema (schemathesis strategies,
driven by hypothesis): requests that fit the schema and requests that break it, with the key and
without, sent over real HTTP; the answer is never a server error. Bounded: a few examples per
operation and mode against the offline backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")
schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402

from extractor.serve import create_app  # noqa: E402
from tests.conftest import SERVE_KEY, ThreadServer, serve_config  # noqa: E402

MAX_EXAMPLES = 8
# The schema the server serves at /openapi.json (building the app starts nothing).
SPEC = create_app(serve_config(Path("/nonexistent"))).openapi()
SCHEMA = schemathesis.openapi.from_dict(SPEC)
OPERATIONS = [(path, method) for path, item in SPEC["paths"].items() for method in item]
# Negative cases break a parameter or a body: only routes that take one have any.
CASES = [
    (path, method, mode)
    for path, method in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE
    or {"parameters", "requestBody"} & set(SPEC["paths"][path][method])
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadServer]:
    """The offline service, sending no webhooks (generated URLs name arbitrary hosts)."""
    with ThreadServer(serve_config(tmp_path_factory.mktemp("fuzz"), webhooks=False)) as running:
        yield running


def test_every_route_is_fuzzed() -> None:
    assert len(OPERATIONS) == 9
    assert ("/v1/jobs", "post") in OPERATIONS


@pytest.mark.parametrize(
    ("path", "method", "mode"), CASES, ids=lambda v: str(getattr(v, "value", v))
)
def test_no_request_makes_a_server_error(
    server: ThreadServer, path: str, method: str, mode: GenerationMode
) -> None:
    strategy = SCHEMA[path][method.upper()].as_strategy(generation_mode=mode)

    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        for headers in ({"Authorization": f"Bearer {SERVE_KEY}"}, {}):
            response = case.call(base_url=server.url, headers=headers, timeout=60)
            assert response.status_code < 500, (case.as_curl_command(), response.text[:500])

    check()
