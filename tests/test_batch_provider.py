"""The provider's Files and Batch API: a whole round trip replayed from a cassette, and the
failure paths (a lost create reply, an unknown batch) against the simulator.

Cassettes under cassettes/test_batch_provider/ were recorded against the project's local
simulator (see cassettes/README.md); re-record with the command given there.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import pytest

from extractor import Extractor, Settings
from extractor.batch.lines import read_lines, request_line
from extractor.batch.provider import BatchProvider
from extractor.errors import ConfigError, TransientError
from extractor.evidence import quoted_schema
from extractor.extraction import prepare
from extractor.llm.completions import read_answer, request_body
from extractor.testing.simulator import Simulator, SimulatorConfig
from tests.conftest import RECORD_BASE_URL, SEEDS


@pytest.fixture(scope="module")
def vcr_config(vcr_config: dict[str, Any]) -> dict[str, Any]:
    # An upload is multipart with a random boundary: match these exchanges without the body.
    return {**vcr_config, "match_on": ["method", "path", "query"]}


def _requests(settings: Settings) -> tuple[bytes, list[str], Any]:
    with Extractor("job_posting", settings) as ex:
        asking = dataclasses.replace(ex.task, schema=quoted_schema(ex.task.schema))
        lines, keys = [], []
        for seed in SEEDS[:3]:
            messages, key, _ = ex.request(prepare(seed.read_bytes(), seed.name))
            lines.append(request_line(key, request_body(settings, asking, messages)))
            keys.append(key)
    return b"".join(lines), keys, asking


@pytest.mark.vcr
@pytest.mark.simulator(batch_turnaround=0.3, batch_error=0.34, seed=2)
async def test_a_batch_round_trip(recorded_endpoint: Settings, vcr: Any) -> None:
    settings = recorded_endpoint.with_(use_cache=False)
    replaying = str(vcr.record_mode).endswith("none")
    wait = 0.0 if replaying else 30.0 if RECORD_BASE_URL else 0.1
    content, keys, asking = _requests(settings)
    provider = BatchProvider(settings)
    try:
        file_id = await provider.upload("round-trip.jsonl", content)
        info = await provider.create(file_id, {"test": "round trip"})
        assert info.input_file_id == file_id and info.total == 3
        while not info.terminal:
            await asyncio.sleep(wait)
            info = await provider.retrieve(info.id)
        found: dict[str, Any] = {}
        for fid in (info.output_file_id, info.error_file_id):
            if fid:
                found.update(read_lines(await provider.content(fid))[0])
    finally:
        await provider.aclose()
    assert info.status == "completed" and sorted(found) == sorted(keys)  # joined by custom_id
    kinds = {k: r.kind for k, r in found.items()}
    assert info.completed == list(kinds.values()).count("answer")
    for result in found.values():
        if result.kind == "answer":
            assert read_answer(settings, asking, result.body).answer is not None
        else:
            assert result.message.startswith("HTTP 500")
    if replaying:
        assert vcr.all_played and vcr.play_count == len(vcr)


class LostReply(BatchProvider):
    """Creates the batch, then loses the reply (as a dropped connection would)."""

    async def create_once(self, input_file_id: str, metadata: dict[str, str]) -> Any:
        await super().create_once(input_file_id, metadata)
        raise TransientError("the connection dropped")


async def test_a_lost_create_reply_adopts_the_batch_instead_of_making_another() -> None:
    with Simulator(SimulatorConfig()) as sim:
        settings = Settings(backend="llm", base_url=sim.base_url, api_key="t")
        provider = LostReply(settings)
        try:
            file_id = await provider.upload("a.jsonl", request_line("k", {"model": "m"}))
            info = await provider.create(file_id, {})
        finally:
            await provider.aclose()
        assert list(sim.server.batch_api.batches) == [info.id]  # one batch, found by its file


async def test_an_unknown_batch_is_a_config_error_saying_why() -> None:
    with Simulator(SimulatorConfig()) as sim:
        provider = BatchProvider(Settings(backend="llm", base_url=sim.base_url, api_key="t"))
        try:
            with pytest.raises(ConfigError, match=r"batch batch-x is not known at .* no Batch API"):
                await provider.retrieve("batch-x")
        finally:
            await provider.aclose()
