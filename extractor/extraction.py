"""The extraction pipeline: clean, pick a backend, validate, cache, ground.

:class:`Extractor` is the reusable object (hold one for many calls); :func:`extract` and
:func:`aextract` are thin wrappers that open one, call it once and close it.

Both backends end in the same steps (:meth:`Extractor._grounded`): fill the parts of values that
their text determines (:func:`extractor.evidence.fill`), find evidence for every value in the
source (:func:`extractor.evidence.ground`; the LLM's quotes or the offline rules' spans are the
candidates), then settle the values with none: dropped and listed in ``warnings`` by default,
kept and flagged with ``keep_unsupported``, or the whole input failed with ``strict``
(``UnsupportedValueError``). The LLM is asked for ``{data, quotes}``
(:func:`extractor.evidence.quoted_schema`); the cache stores both, so a hit is grounded again.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import logging
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from extractor.cache import ResultCache, cache_key
from extractor.document import Document
from extractor.errors import ConfigError, InvalidAnswerError, UnsupportedValueError
from extractor.evidence import SourceIndex, align_quotes, fill, ground, quoted_schema, settle
from extractor.evidence.ground import Candidate
from extractor.evidence.request import cache_part, rule_candidates
from extractor.outcome import Outcome, Usage
from extractor.settings import Settings
from extractor.tasks import DEFAULT_TASK, Task, load_task

if TYPE_CHECKING:  # the LLM stack (openai, instructor) loads on first use, not at import
    from extractor.llm import Answer, LLMClient
    from extractor.llm.ratelimit import RateGate
    from extractor.local import LocalEngine

logger = logging.getLogger("extractor")

OFFLINE_TASKS = frozenset({"job_posting"})
LOCAL_BACKENDS = frozenset({"local", "hybrid"})
MAX_PATHS_SHOWN = 8


def prepare(raw: str | bytes, name: str = "") -> Document:
    """Decode and clean one input (see :mod:`extractor.cleaning`)."""
    from extractor.cleaning import clean

    return clean(raw, name=name)


class Extractor:
    """Extracts one task's records from texts; reusable, sync and async.

    >>> with Extractor(task="job_posting") as ex:          # doctest: +SKIP
    ...     outcome = ex.run(page_text)
    ...     print(outcome.data.title, outcome.usage)
    """

    def __init__(
        self,
        task: str | Path | Task = DEFAULT_TASK,
        settings: Settings | None = None,
        *,
        llm: LLMClient | None = None,
        gate: RateGate | None = None,
        **overrides: Any,
    ) -> None:
        self.settings = settings.with_(**overrides) if settings else Settings.from_env(**overrides)
        self.task = task if isinstance(task, Task) else load_task(task)
        self.backend = self.settings.resolved_backend
        if self.backend == "offline" and self.task.name not in OFFLINE_TASKS:
            raise ConfigError(
                f"the offline backend only knows the {', '.join(sorted(OFFLINE_TASKS))} task; "
                f"configure an LLM endpoint (OPENAI_API_KEY / OPENAI_BASE_URL) for {self.task.name!r}"
            )
        self._llm = llm
        self._gate = gate
        self._local_engine: LocalEngine | None = None
        self._asking = dataclasses.replace(self.task, schema=quoted_schema(self.task.schema))
        self.cache = (
            ResultCache(self.settings.cache_dir)
            if self.settings.use_cache and self.backend != "offline"
            else None
        )

    @property
    def llm(self) -> LLMClient:
        if self._llm is None:
            from extractor.llm import LLMClient

            self.check_endpoint()
            self._llm = LLMClient(self.settings, gate=self._gate)
        return self._llm

    @property
    def local_engine(self) -> LocalEngine:
        """The in-process model of the local and hybrid backends (loaded on first use)."""
        if self._local_engine is None:
            from extractor.local import LocalEngine, LocalModel, model_file

            path = model_file(self.settings.model_path)
            model = LocalModel(path, threads=self.settings.local_threads)
            self._local_engine = LocalEngine(self.backend, self.task, model, self.cache)
        return self._local_engine

    def check_endpoint(self) -> None:
        """Refuse the LLM backend with neither a key nor an endpoint URL: every request would
        go to OpenAI's API without credentials and fail."""
        if self.backend == "llm" and not self.settings.endpoint_configured:
            raise ConfigError(
                "the llm backend needs an endpoint: set OPENAI_API_KEY (OpenAI) or "
                "OPENAI_BASE_URL / --base-url (any OpenAI-compatible server)"
            )

    @property
    def as_of(self) -> date:
        return self.settings.as_of or date.today()

    @property
    def model_name(self) -> str | None:
        if self.backend in LOCAL_BACKENDS:
            return self.local_engine.model.name
        return self.settings.model if self.backend == "llm" else None

    # -- one input -----------------------------------------------------------------------
    def run(self, raw: str | bytes | Document, name: str = "") -> Outcome[BaseModel]:
        """Extract from one input; raise an ExtractorError subclass on failure."""
        doc = raw if isinstance(raw, Document) else prepare(raw, name)
        if self.backend == "offline":
            return self._offline(doc)
        if self.backend in LOCAL_BACKENDS:
            return self._local(doc)
        messages, key = self._request(doc)
        if (hit := self._cached(key, doc)) is not None:
            return hit
        return self._finish(self.llm.complete(self._asking, messages), key, doc)

    async def arun(self, raw: str | bytes | Document, name: str = "") -> Outcome[BaseModel]:
        """The async twin of :meth:`run`: only the network call differs."""
        doc = raw if isinstance(raw, Document) else prepare(raw, name)
        if self.backend == "offline":
            return self._offline(doc)
        if self.backend in LOCAL_BACKENDS:  # CPU-bound: keep the loop (progress) alive
            return await asyncio.to_thread(self._local, doc)
        await self.llm.aresolve_mode()  # mode "auto": probe without blocking the loop
        messages, key = self._request(doc)
        if (hit := self._cached(key, doc)) is not None:
            return hit
        return self._finish(await self.llm.acomplete(self._asking, messages), key, doc)

    # -- steps ---------------------------------------------------------------------------
    def prompt_text(self, doc: Document) -> tuple[str, list[str]]:
        """The text sent to the model: the cleaned page, page facts the cleaner set aside, and
        a cut at the input token budget (with a warning)."""
        from extractor.cost.tokens import count_tokens, truncate_to_tokens

        warnings: list[str] = []
        text = doc.text
        notes = [s.text for s in doc.signals if s.text and s.text not in text]
        if notes:
            text += "\n\n[Also on the page, outside the posting body]\n" + "\n".join(notes)
        budget = self.settings.max_input_tokens
        # A token is at least one UTF-8 byte: a text of at most ``budget`` bytes fits uncounted.
        if len(text) > budget // 4 and len(text.encode()) > budget and count_tokens(text) > budget:
            text = truncate_to_tokens(text, budget)
            warnings.append(f"input cut to the first {budget} tokens (max_input_tokens)")
        return text, warnings

    def _request(self, doc: Document) -> tuple[list[dict[str, str]], str]:
        text, warnings = self.prompt_text(doc)
        doc.warnings.extend(warnings)
        messages = self.task.render(text, as_of=self.as_of.isoformat())
        s = self.settings
        key = cache_key(
            model=s.model,
            mode=self.llm.mode,  # the concrete mode: "auto" resolves per server
            temperature=s.temperature,
            max_output_tokens=s.max_output_tokens,
            max_reasks=s.max_reasks,
            task=self.task.fingerprint,
            quotes=cache_part(self.task.schema),
            messages=messages,
        )
        return messages, key

    def _cached(self, key: str, doc: Document) -> Outcome[BaseModel] | None:
        if self.cache is None:
            return None
        stored = self.cache.get(key)
        doc.warnings.extend(self._drain_cache_warnings())
        if stored is None:
            return None
        try:
            data = self.task.schema.model_validate(stored["data"])
            quotes = [q for q in stored.get("quotes", []) if isinstance(q, dict)]
        except (KeyError, TypeError, ValidationError):
            return None
        return self._grounded(data, doc, quotes=quotes, cached=True, usage=Usage())

    def _finish(self, answer: Answer, key: str, doc: Document) -> Outcome[BaseModel]:
        data: BaseModel = getattr(answer.data, "data", answer.data)
        quotes = [q.model_dump() for q in getattr(answer.data, "quotes", [])]
        if self.cache is not None:
            # Computed fields (pay.annual_min) would fail extra="forbid" when read back.
            stored = data.model_dump(mode="json", exclude_computed_fields=True)
            self.cache.set(key, {"data": stored, "quotes": quotes})
            doc.warnings.extend(self._drain_cache_warnings())
        return self._grounded(data, doc, quotes=quotes, cached=False, usage=answer.usage)

    def _drain_cache_warnings(self) -> list[str]:
        if self.cache is None or not self.cache.warnings:
            return []
        drained, self.cache.warnings = self.cache.warnings, []
        return drained

    def _offline(self, doc: Document) -> Outcome[BaseModel]:
        from extractor.offline import extract_posting

        result = extract_posting(doc, as_of=self.as_of)
        try:
            data = self.task.schema.model_validate(result.data)
        except ValidationError as exc:
            raise InvalidAnswerError(
                f"offline backend produced an invalid record: {exc.error_count()} error(s)"
            ) from exc
        doc.warnings.extend(w for w in result.warnings if w not in doc.warnings)
        rules = rule_candidates(list(result.evidence))
        return self._grounded(data, doc, rules=rules, cached=False, usage=Usage())

    def _local(self, doc: Document) -> Outcome[BaseModel]:
        found = self.local_engine.extract(doc, as_of=self.as_of)
        doc.warnings.extend(w for w in found.warnings if w not in doc.warnings)
        doc.warnings.extend(self._drain_cache_warnings())
        return self._grounded(
            found.data, doc, rules=found.rules, cached=found.cached, usage=found.usage
        )

    def _grounded(
        self,
        model: BaseModel,
        doc: Document,
        *,
        cached: bool,
        usage: Usage,
        quotes: list[dict[str, Any]] | None = None,
        rules: list[Candidate] | None = None,
    ) -> Outcome[BaseModel]:
        """Fill, ground and settle ``model`` against ``doc.source`` (see the module docstring)."""
        schema = self.task.schema
        data = model.model_dump(mode="json", exclude_computed_fields=True)
        filled = fill(copy.deepcopy(data), as_of=self.as_of)
        try:
            schema.model_validate(filled)
            data = filled
        except ValidationError:
            pass  # a filled part the schema refuses: keep what the backend gave
        index = SourceIndex(doc.source)
        candidates, lost = align_quotes(quotes or [], index)
        found = ground(
            doc.source,
            data,
            [*candidates, *(rules or [])],
            as_of=self.as_of,
            unaligned=lost,
            index=index,
            regions=doc.kept_regions(),
        )
        paths = _paths(u.path for u in found.unsupported)
        if found.unsupported and self.settings.strict:
            raise UnsupportedValueError(
                f"{len(found.unsupported)} value(s) have no evidence in the source "
                f"(--strict): {paths}",
                attempts=1,
                usage=usage,
            )
        keep = self.settings.keep_unsupported
        settled, evidence, unsupported = settle(schema, data, found, keep=keep)
        outcome = self._outcome(settled, doc, cached=cached, usage=usage)
        outcome.evidence = evidence
        outcome.unsupported = unsupported
        if unsupported:
            outcome.warnings.append(
                f"{len(unsupported)} value(s) with no evidence in the source "
                f"{'kept (--keep-unsupported)' if keep else 'dropped'}: {paths}"
            )
        return outcome

    def _outcome(
        self, data: BaseModel, doc: Document, *, cached: bool, usage: Usage
    ) -> Outcome[BaseModel]:
        return Outcome(
            data=data,
            task=self.task.name,
            backend=self.backend,
            model=self.model_name,
            cached=cached,
            usage=usage,
            warnings=list(doc.warnings),
        )

    # -- lifecycle -----------------------------------------------------------------------
    def close(self) -> None:
        if self._llm is not None:
            self._llm.close()
        if self.cache is not None:
            self.cache.close()

    async def aclose(self) -> None:
        if self._llm is not None:
            await self._llm.aclose()
        if self.cache is not None:
            self.cache.close()

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Extractor:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


def _paths(paths: Any) -> str:
    names = list(paths)
    shown = ", ".join(names[:MAX_PATHS_SHOWN])
    return shown + (
        f" and {len(names) - MAX_PATHS_SHOWN} more" if len(names) > MAX_PATHS_SHOWN else ""
    )


def extract(text: str | bytes, *, task: str | Path = DEFAULT_TASK, **settings: Any) -> BaseModel:
    """Extract ``task``'s record from one text; settings as for :class:`Settings`."""
    with Extractor(task, **settings) as ex:
        return ex.run(text).data


async def aextract(
    text: str | bytes, *, task: str | Path = DEFAULT_TASK, **settings: Any
) -> BaseModel:
    """The async twin of :func:`extract`."""
    async with Extractor(task, **settings) as ex:
        return (await ex.arun(text)).data
