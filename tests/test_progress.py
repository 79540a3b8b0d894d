"""Progress on stderr: plain periodic lines when not a terminal, cost so far, the summary."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from extractor.batch.runner import BatchStats
from extractor.cli.progress import Progress
from extractor.outcome import Usage


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _progress(stream: io.StringIO, clock: Clock, enabled: bool = True) -> Progress:
    return Progress(enabled=enabled, stream=stream, clock=clock, every=10.0)


def _stats(
    ok: int,
    prompt: int = 0,
    completion: int = 0,
    model: str | None = "gpt-4o-mini",
    base_url: str | None = None,
) -> BatchStats:
    return BatchStats(
        ok=ok,
        usage=Usage(prompt, completion, ok),
        started=0.0,
        finished=10.0,
        model=model,
        base_url=base_url,
    )


def test_plain_lines_come_every_period_not_every_update() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = _progress(stream, clock)
    assert not progress.live  # a StringIO is not a terminal
    for second in range(35):
        clock.now = float(second)
        progress.update(_stats(second * 2, prompt=1_000_000 * second, completion=0))
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3  # at 10, 20 and 30 s
    assert lines[0].startswith("extractor: progress: 20 done, 2.0/s  errors 0")
    assert lines[0].endswith("tokens 10,000,000  cost $1.50")  # 10M prompt tokens at $0.15/1M


@pytest.mark.parametrize(
    ("model", "cost_line"),
    [
        ("gpt-4o-mini", "extractor: estimated cost $0.0009: gpt-4o-mini at $0.1500 in"),
        (
            "my-local-model",
            "extractor: estimated cost unknown: no price for model 'my-local-model' in the price table",
        ),
        (None, None),  # the offline backend costs nothing and says nothing about it
    ],
)
def test_summary(tmp_path: Path, model: str | None, cost_line: str | None) -> None:
    stream, clock = io.StringIO(), Clock()
    progress = _progress(stream, clock)
    progress.summary(_stats(3, prompt=3_000, completion=750, model=model))
    text = stream.getvalue()
    assert "extractor: ok 3, failed 0, cached 0, skipped 0\n" in text
    usage_line = "requests 3, prompt tokens 3,000, completion tokens 750"
    assert (usage_line in text) is (model is not None)  # offline runs have no requests to show
    assert "wall time 10.0 s" in text
    if cost_line is None:
        assert "cost" not in text
    else:
        assert cost_line in text
    priced = model == "gpt-4o-mini"
    assert ("cost $" in progress.detail(_stats(3, prompt=3_000, model=model))) is priced


def test_quiet_prints_nothing(tmp_path: Path) -> None:
    stream, clock = io.StringIO(), Clock()
    progress = _progress(stream, clock, enabled=False)
    clock.now = 100.0
    progress.update(_stats(5))
    progress.summary(_stats(5))
    assert stream.getvalue() == ""


@pytest.mark.parametrize(
    ("base_url", "priced"),
    [
        (None, True),
        ("https://api.openai.com/v1", True),
        ("http://localhost:8080/v1", False),
        ("http://127.0.0.1:11434/v1", False),
        ("https://my-vllm.example.org/v1", False),
    ],
)
def test_only_openai_endpoints_are_priced(base_url: str | None, priced: bool) -> None:
    stream, clock = io.StringIO(), Clock()
    progress = _progress(stream, clock)
    progress.summary(_stats(3, prompt=3_000, completion=750, base_url=base_url))
    text = stream.getvalue()
    assert ("estimated cost $" in text) is priced
    assert ("tokens only" in text) is not priced
    assert "price table of" in text or not priced  # its age is said where it is used


def test_batch_tokens_are_priced_at_half_and_the_summary_says_so() -> None:
    from extractor.batch.api_options import BatchApiStats

    stream, clock = io.StringIO(), Clock()
    progress = _progress(stream, clock)
    stats = BatchApiStats(
        ok=10, usage=Usage(2_000_000, 0, 12), batch_usage=Usage(1_000_000, 0, 10), started=0.0,
        finished=10.0, model="gpt-4o-mini", batches=2, requests_submitted=10, second_wave=2,
    )  # fmt: skip
    # 1M tokens at the batch price ($0.075) + 1M synchronous ($0.15)
    assert progress.cost(stats) == pytest.approx(0.225)
    progress.summary(stats)
    text = stream.getvalue()
    assert "estimated cost $0.2250 (at the Batch API price (half the table's) for 10 batch" in text
    assert "batches: 2 submitted (10 requests), 0 resumed from an earlier run, 2 requests" in text
    clock.now = 20.0
    progress.update(stats)
    assert "batches 0 open, lines 0/0" in stream.getvalue()
