"""The simulator's Files and Batch API, through the openai SDK: progress over time, each line
fault in the file OpenAI puts it in, shuffled output, cancel, list, refused input files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import openai
import pytest

from extractor.testing.simulator import Simulator, SimulatorConfig
from extractor.testing.simulator.__main__ import build_parser, config_from


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


TOOLS = [{"type": "function", "function": {"name": "Answer", "parameters": {}}}]


def _lines(n: int, url: str = "/v1/chat/completions") -> bytes:
    rows = []
    for i in range(n):
        messages = [{"role": "user", "content": f"<posting>Job {i}</posting>"}]
        body = {"model": "m", "messages": messages, "tools": TOOLS}
        rows.append({"custom_id": f"k{i}", "method": "POST", "url": url, "body": body})
    return "\n".join(json.dumps(r) for r in rows).encode()


def _arguments(line: dict[str, Any]) -> Any:
    message = line["response"]["body"]["choices"][0]["message"]
    return json.loads(message["tool_calls"][0]["function"]["arguments"])


@pytest.fixture
def make() -> Iterator[Any]:
    running: list[Simulator] = []

    def start(**config: Any) -> tuple[openai.OpenAI, Simulator, Clock]:
        sim = Simulator(SimulatorConfig(**config)).start()
        running.append(sim)
        clock = Clock()
        sim.server.batch_api.clock = clock
        return openai.OpenAI(base_url=sim.base_url, api_key="test", max_retries=0), sim, clock

    yield start
    for sim in running:
        sim.stop()


def _submit(client: openai.OpenAI, content: bytes) -> Any:
    upload = client.files.create(file=("in.jsonl", content), purpose="batch")
    return client.batches.create(
        input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h"
    )


def _read(client: openai.OpenAI, file_id: str | None) -> list[dict[str, Any]]:
    if file_id is None:
        return []
    return [json.loads(line) for line in client.files.content(file_id).text.splitlines()]


def test_a_batch_progresses_over_its_turnaround_then_answers_every_line(make: Any) -> None:
    client, _, clock = make(batch_turnaround=10.0)
    batch = _submit(client, _lines(20))
    assert batch.status == "in_progress" and batch.request_counts.completed == 0
    clock.now += 5
    half = client.batches.retrieve(batch.id)
    assert half.status == "in_progress" and half.request_counts.completed == 10
    clock.now += 5
    done = client.batches.retrieve(batch.id)
    assert done.status == "completed" and done.request_counts.completed == 20
    assert done.error_file_id is None
    output = _read(client, done.output_file_id)
    assert sorted(line["custom_id"] for line in output) == sorted(f"k{i}" for i in range(20))
    assert [line["custom_id"] for line in output] != [f"k{i}" for i in range(20)]  # shuffled
    answer = output[0]["response"]
    assert answer["status_code"] == 200 and answer["body"]["object"] == "chat.completion"
    call = answer["body"]["choices"][0]["message"]["tool_calls"][0]["function"]
    assert call["name"] == "Answer" and _arguments(output[0])["title"].startswith("Job ")


@pytest.mark.parametrize(
    ("fault", "status", "where", "check"),
    [
        ("batch_error", "completed", "error", lambda x: x["response"]["status_code"] == 500),
        ("batch_expired", "expired", "error", lambda x: x["error"]["code"] == "batch_expired"),
        ("batch_invalid", "completed", "output", lambda x: _arguments(x)["pay"]["min"] == 10),
        ("batch_malformed", "completed", "output", None),
    ],
)
def test_each_line_fault_lands_where_openai_puts_it(
    make: Any, fault: str, status: str, where: str, check: Any
) -> None:
    client, sim, _ = make(**{fault: 1.0}, batch_in_order=True)
    batch = client.batches.retrieve(_submit(client, _lines(3)).id)
    assert batch.status == status
    file_id = batch.output_file_id if where == "output" else batch.error_file_id
    raw = client.files.content(str(file_id)).text.splitlines()
    assert len(raw) == 3
    if check is None:  # cut in half: not JSON
        with pytest.raises(ValueError):
            json.loads(raw[0])
    else:
        assert all(check(json.loads(line)) for line in raw)
    assert sim.stats.outcomes[f"batch_line_{fault.removeprefix('batch_')}"] == 3


def test_a_cancelled_batch_keeps_what_it_answered(make: Any) -> None:
    client, _, clock = make(batch_turnaround=10.0)
    batch = _submit(client, _lines(10))
    clock.now += 3
    assert client.batches.cancel(batch.id).status == "cancelling"
    done = client.batches.retrieve(batch.id)
    assert done.status == "cancelled"
    assert len(_read(client, done.output_file_id)) == 3
    errors = _read(client, done.error_file_id)
    assert len(errors) == 7 and {e["error"]["code"] for e in errors} == {"batch_cancelled"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_lines(2) + b"\n" + _lines(1), "custom_id is not unique"),
        (_lines(1, url="/v1/embeddings"), "method must be POST"),
        (b"{oops", "not a JSON request line"),
        (b"", "empty"),
    ],
)
def test_a_wrong_input_file_fails_the_batch(make: Any, content: bytes, message: str) -> None:
    client, _, _ = make()
    batch = _submit(client, content)
    assert batch.status == "failed" and batch.errors is not None
    assert message in " ".join(str(e.message) for e in batch.errors.data or [])


def test_list_pages_newest_first_and_unknown_ids_are_404(make: Any) -> None:
    client, _, _ = make()
    ids = [_submit(client, _lines(1)).id for _ in range(3)]
    page = client.batches.list(limit=2)
    assert [b.id for b in page.data] == ids[::-1][:2] and page.has_more
    rest = client.batches.list(limit=2, after=page.data[-1].id)
    assert [b.id for b in rest.data] == [ids[0]] and not rest.has_more
    with pytest.raises(openai.NotFoundError):
        client.batches.retrieve("batch-nope")
    with pytest.raises(openai.NotFoundError):
        client.files.content("file-nope")


def test_the_batch_knobs_are_command_line_flags() -> None:
    args = build_parser().parse_args(
        ["--batch-turnaround", "2", "--batch-error", "0.02", "--batch-expired", "0.01",
         "--batch-invalid", "0.02", "--batch-malformed", "0.01", "--batch-in-order",
         "--file-latency", "0.5"]
    )  # fmt: skip
    config = config_from(args)
    assert config.batch_turnaround == 2 and config.batch_in_order and config.file_latency == 0.5
    assert config.batch_rates() == {"batch_error": 0.02, "batch_expired": 0.01,
                                    "batch_invalid": 0.02, "batch_malformed": 0.01}  # fmt: skip


@pytest.mark.parametrize(
    "knobs", [{"batch_error": 1.5}, {"batch_error": 0.6, "batch_expired": 0.6}]
)
def test_batch_rates_are_checked(knobs: dict[str, float]) -> None:
    from extractor.errors import ConfigError

    with pytest.raises(ConfigError):
        SimulatorConfig(**knobs)
