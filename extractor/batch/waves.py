"""The second wave of a Batch API run: requests whose line did not give a valid answer.

An answer that failed validation is re-asked with its validation error (the messages
instructor's re-ask appends: the answer, then the error); an error line, an expired line or a
request missing from both files is asked again as it was. Where, by ``second_wave``:

- ``"sync"``: at once, through the synchronous path (retrying transport, instructor's own
  re-asks, the cache), ``concurrency`` at a time;
- ``"batch"``: in a new batch, polled and collected like the first.

Each request gets at most ``max_reasks`` more answers after its first (the same bound as the
synchronous path's re-asks); then its inputs get an error record saying what went wrong last.
A line of a cancelled batch, or of a batch the provider failed as a whole (a wrong file, an
account's enqueued-token limit), is not asked again: asking a whole batch synchronously would
cost the full price. Its inputs stay undone for the next run.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from extractor.batch.lines import request_line, split
from extractor.errors import ExtractorError, InvalidAnswerError, TransientError
from extractor.llm.completions import reask_tail, request_body
from extractor.outcome import Usage

if TYPE_CHECKING:
    from extractor.batch.ledger import Planned
    from extractor.batch.via_batch import BatchApiRun
    from extractor.document import Document


@dataclass(slots=True)
class Failure:
    """A request whose latest line gave no valid answer."""

    key: str
    kind: str  # "invalid", "error", "expired", "missing", "cancelled"
    message: str
    attempts: int
    usage: Usage
    completion: Any = None
    reask: Exception | None = None

    def final(self) -> ExtractorError:
        """The error recorded when no more answers may be asked for."""
        n = f"{self.attempts} time(s)"
        if self.kind == "invalid":
            error: ExtractorError = InvalidAnswerError(
                f"the model's answer failed validation {n} through the Batch API (last: "
                f"{self.message}); try a stronger model or more re-asks (max_reasks)",
                attempts=self.attempts,
            )
        elif self.kind == "expired":
            error = TransientError(
                f"the batch expired before this request ran ({n}); "
                "re-run with --retry-errors to submit it again",
                attempts=self.attempts,
            )
        else:
            error = TransientError(
                f"the Batch API gave no answer {n} (last: {self.message}); "
                "re-run with --retry-errors to submit it again",
                attempts=self.attempts,
            )
        error.usage = self.usage
        return error


class Waves:
    """Asks a run's failed requests again, or records them as failed."""

    def __init__(self, run: BatchApiRun, concurrency: int) -> None:
        self.run = run
        self.concurrency = max(concurrency, 1)

    async def handle(self, failures: list[Failure], wave: int) -> None:
        run = self.run
        again: list[Failure] = []
        for failure in failures:
            if failure.kind == "cancelled":
                continue  # left undone: a re-run submits it again
            if failure.attempts > run.settings.max_reasks:
                run.ledger.fail(failure.key, failure.final(), batch=failure.usage)
            else:
                again.append(failure)
        run.stats.second_wave += len(again)
        if not again:
            return
        if run.options.second_wave == "batch":
            await self._batch(again, wave + 1)
        else:
            await self._sync(again)

    def _first(self, key: str) -> tuple[Planned, Document] | None:
        """The first input waiting for ``key`` that still reads as planned."""
        for planned in self.run.ledger.pending(key):
            if (doc := self.run.ledger.load(planned)) is not None:
                return planned, doc
        return None

    def _request(
        self, failure: Failure, doc: Document
    ) -> tuple[list[dict[str, Any]], dict[str, Any], list[dict[str, Any]]]:
        """The messages first sent, the body first sent, and the re-ask's extra messages
        (none unless the answer was invalid)."""
        run = self.run
        messages, _, _ = run.extractor.request(doc)
        body = request_body(run.settings, run.asking, messages)
        if failure.reask is None or failure.completion is None:
            return messages, body, []
        return messages, body, reask_tail(run.settings, body, failure.completion, failure.reask)

    # -- through a new batch ---------------------------------------------------------------
    async def _batch(self, failures: list[Failure], wave: int) -> None:
        prior: dict[str, list[int]] = {}

        def lines() -> Iterator[tuple[str, bytes]]:
            for failure in failures:
                first = self._first(failure.key)
                if first is None:
                    continue
                u = failure.usage
                prior[failure.key] = [
                    failure.attempts,
                    u.prompt_tokens,
                    u.completion_tokens,
                    u.requests,
                ]
                _, body, tail = self._request(failure, first[1])
                body = {**body, "messages": [*body["messages"], *tail]}
                yield failure.key, request_line(failure.key, body)

        for part in split(lines(), self.run.options.limits):
            await self.run.submit(part, wave, {key: prior[key] for key in part.keys})

    # -- through the synchronous path ------------------------------------------------------
    async def _sync(self, failures: list[Failure]) -> None:
        limit = asyncio.Semaphore(self.concurrency)

        async def one(failure: Failure) -> None:
            async with limit:
                await self._sync_one(failure)

        await asyncio.gather(*(one(f) for f in failures))

    async def _sync_one(self, failure: Failure) -> None:
        run = self.run
        first = self._first(failure.key)
        if first is None:
            return
        planned, doc = first
        try:
            messages, _, tail = self._request(failure, doc)
            if tail:  # re-ask with the validation error; instructor re-asks further itself
                answer = await run.extractor.llm.acomplete(run.asking, [*messages, *tail])
                outcome = run.extractor.finish_answer(answer, doc)
            else:
                outcome = await run.extractor.arun(doc)
        except Exception as exc:  # one input's failure is its record, never the run's end
            record = run.ledger.failure_record(planned.source, planned.sha, exc, doc)
            usage = record.usage + failure.usage
            run.ledger.write(dataclasses.replace(record, usage=usage), batch=failure.usage)
        else:
            outcome = dataclasses.replace(outcome, usage=failure.usage + outcome.usage)
            run.ledger.write(run.ledger.ok(planned, outcome, first=True), batch=failure.usage)
        for other in run.ledger.pending(failure.key):  # identical requests: the cache answers them
            if (other_doc := run.ledger.load(other)) is None:
                continue
            try:
                shared = await run.extractor.arun(other_doc)
            except Exception as exc:
                run.ledger.write(
                    run.ledger.failure_record(other.source, other.sha, exc, other_doc),
                    batch=Usage(),
                )
            else:
                run.ledger.write(run.ledger.ok(other, shared, first=False), batch=Usage())
