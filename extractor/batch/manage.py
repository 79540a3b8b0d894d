"""The batches of an output, for those who come back later: list them, ask how they are doing,
cancel them (``extractor batches list|status|cancel OUT``).

``list`` reads ``OUT.batches.json`` only; ``status`` and ``cancel`` ask the provider about the
batches not collected yet, at the endpoint they were sent to unless ``settings`` name another.
Collecting is ``run_batch(..., via="batch")`` again (``extractor run ... --via batch``): it
polls what is open and writes the records.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from extractor.batch.state import BatchState, Submission, state_path
from extractor.errors import ConfigError
from extractor.settings import Settings

if TYPE_CHECKING:  # the LLM stack (openai) loads on first use, not at import
    from extractor.batch.provider import BatchInfo


def list_batches(output: str | Path) -> list[Submission]:
    """Every submission recorded for ``output``, oldest first."""
    path = state_path(Path(output))
    if not path.exists():
        raise ConfigError(f"no batches for {output}: {path} does not exist")
    return BatchState.load(path).submissions


def batch_status(
    output: str | Path, settings: Settings | None = None
) -> list[tuple[Submission, BatchInfo]]:
    """The provider's view of each batch of ``output`` not collected yet."""
    return asyncio.run(_each(output, settings, cancel=False))


def cancel_batches(
    output: str | Path, settings: Settings | None = None
) -> list[tuple[Submission, BatchInfo]]:
    """Cancel each batch of ``output`` not collected yet. What they answered before stopping is
    collected by the next run; the inputs they did not answer are submitted by the run after."""
    return asyncio.run(_each(output, settings, cancel=True))


async def _each(
    output: str | Path, settings: Settings | None, *, cancel: bool
) -> list[tuple[Submission, BatchInfo]]:
    open_ = [s for s in list_batches(output) if not s.collected and s.batch_id]
    if not open_:
        return []
    if settings is None:
        settings = Settings.from_env(backend="llm")
        if settings.base_url is None and open_[0].base_url:
            settings = settings.with_(base_url=open_[0].base_url)
    from extractor.batch.provider import BatchProvider

    provider = BatchProvider(settings)
    try:
        seen = []
        for sub in open_:
            assert sub.batch_id is not None
            call = provider.cancel if cancel else provider.retrieve
            seen.append((sub, await call(sub.batch_id)))
        return seen
    finally:
        await provider.aclose()
