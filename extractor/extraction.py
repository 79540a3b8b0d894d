"""The extraction pipeline: clean, pick a backend, validate, cache, ground.

:class:`Extractor` is the reusable object (hold one for many calls); :func:`extract` and
:func:`aextract` (:mod:`extractor.api`) are thin wrappers that open one, call it once and close it.

Both backends end in the same steps (:meth:`Extractor._grounded`): fill the parts of values that
their text determines (:func:`extractor.evidence.fill`), find evidence for every value in the
source (:func:`extractor.evidence.ground`; the LLM's quotes or the offline rules' spans are the
candidates), then settle the values with none: dropped and listed in ``warnings`` by default,
kept and flagged with ``keep_unsupported``, or the whole input failed with ``strict``
(``UnsupportedValueError``). The LLM is asked for ``{data, quotes}``
(:func:`extractor.evidence.quoted_schema`); the cache stores both, so an answer is grounded again
when the code changed. The finished record is cached too (:meth:`Extractor.recall`), keyed by the
input's bytes, :meth:`Extractor.identity` and the code's version: a re-run's hit skips cleaning
and grounding.
An answer fetched elsewhere (a Batch API line) ends in the same steps:
:meth:`Extractor.request` gives the messages and key, :meth:`Extractor.finish_answer` finishes.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import warnings
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from extractor.cache import KeyMaker, ResultCache, cache_key, code_version, input_key
from extractor.document import Document, Evidence, Unsupported
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
T = TypeVar("T", bound=BaseModel)

# Settings that change the finished record but not the model's answer: in the run key only.
RECORD_ONLY = frozenset({"backend", "as_of", "max_input_tokens", "keep_unsupported", "strict"})
RECORD_VERSION = "1"
"""The shape of a finished record in the cache (see :meth:`Extractor.remember`)."""
_DEFAULTS = Settings()


class OfflineBackendWarning(UserWarning):
    """No LLM endpoint is configured, so the built-in offline (rule-based) backend answers."""


OFFLINE_NOTICE = (
    "no LLM endpoint configured (set OPENAI_API_KEY or OPENAI_BASE_URL): "
    "using the built-in offline backend"
)

OFFLINE_TASKS = frozenset({"job_posting"})
LOCAL_BACKENDS = frozenset({"local", "hybrid"})
MAX_PATHS_SHOWN = 8


def prepare(raw: str | bytes, name: str = "") -> Document:
    """Decode and clean one input (see :mod:`extractor.cleaning`)."""
    from extractor.cleaning import clean

    return clean(raw, name=name)


class Extractor(Generic[T]):
    """Extracts one task's records from texts; reusable, sync and async.

    ``task`` is a task name, a prompt file, a loaded :class:`Task`, or a pydantic model class
    (with optional ``instructions``), as instructor's ``response_model=``. Settings come one
    way: a :class:`Settings` (default: :meth:`Settings.from_env`).

    >>> with Extractor("job_posting") as ex:               # doctest: +SKIP
    ...     outcome = ex.run(page_text)
    ...     print(outcome.data.title, outcome.backend, outcome.evidence)
    """

    def __init__(
        self,
        task: str | Path | Task[T] | type[T] = DEFAULT_TASK,
        settings: Settings | None = None,
        *,
        instructions: str | None = None,
        llm: LLMClient | None = None,
        gate: RateGate | None = None,
    ) -> None:
        self.settings = settings if settings is not None else Settings.from_env()
        self.task: Task[T] = _task(task, instructions)
        self.backend = self.settings.resolved_backend
        if self.backend == "offline" and self.task.name not in OFFLINE_TASKS:
            raise ConfigError(
                f"the offline backend only knows the {', '.join(sorted(OFFLINE_TASKS))} task; "
                f"configure an LLM endpoint (OPENAI_API_KEY / OPENAI_BASE_URL) for {self.task.name!r}"
            )
        if self.settings.backend == "auto" and self.backend == "offline":
            logger.info(OFFLINE_NOTICE)
            warnings.warn(OFFLINE_NOTICE, OfflineBackendWarning, stacklevel=2)
        self._llm = llm
        self._gate = gate
        self._local_engine: LocalEngine | None = None
        # What the LLM is asked for: the schema wrapped as {data, quotes}.
        asking: Task[Any] = self.task
        self._asking = dataclasses.replace(asking, schema=quoted_schema(self.task.schema))
        self._answer_keys: tuple[dict[str, Any], KeyMaker] | None = None
        self._record_prefix: tuple[dict[str, Any], str] | None = None
        self.cache = (
            ResultCache(self.settings.cache_dir)
            if self.settings.use_cache and self.backend != "offline"
            else None
        )

    def identity(self) -> dict[str, Any]:
        """Every setting that changes a result, listed once.

        The resume key of a record (:attr:`run_key`) hashes all of it; the cache key of a model
        answer hashes all but :data:`RECORD_ONLY` (which change grounding, not the answer) plus
        the exact messages sent. Settings added later join only when not at their default, so
        records written before keep their key.
        """
        s = self.settings
        parts: dict[str, Any] = {
            "task": self.task.fingerprint,
            "backend": self.backend,
            "as_of": self.as_of.isoformat(),
        }
        if self.backend == "llm":
            parts.update(
                model=s.model,
                # The concrete mode: "auto" is settled by one probe of the server (llm/probe.py).
                mode=self.llm.mode if s.mode == "auto" else s.mode,
                temperature=s.temperature,
                max_tokens=s.max_output_tokens,
            )
        elif self.backend in LOCAL_BACKENDS:
            parts["model"] = self.model_name
        for name in ("max_input_tokens", "max_reasks", "keep_unsupported", "strict"):
            if getattr(s, name) != getattr(_DEFAULTS, name):
                parts[name] = getattr(s, name)
        return parts

    @property
    def run_key(self) -> str:
        """Identifies the settings that decide a record: a re-run with the same key skips it."""
        return cache_key(**self.identity())[:16]

    def answer_key(self, messages: list[dict[str, str]]) -> str:
        """The cache key of the model's answer to ``messages`` under these settings."""
        parts = {k: v for k, v in self.identity().items() if k not in RECORD_ONLY}
        if self._answer_keys is None or self._answer_keys[0] != parts:
            self._answer_keys = (parts, KeyMaker(**parts, quotes=cache_part(self.task.schema)))
        return self._answer_keys[1].key(messages=messages)

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
                "OPENAI_BASE_URL (any OpenAI-compatible server)"
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
    def run(self, raw: str | bytes | Document, name: str = "") -> Outcome[T]:
        """Extract from one input; raise an ExtractorError subclass on failure."""
        if isinstance(raw, Document):
            return self._run(raw)
        if (hit := self.recall(raw)) is not None:
            return hit
        return self.remember(raw, self._run(prepare(raw, name)))

    def _run(self, doc: Document) -> Outcome[T]:
        if self.backend == "offline":
            return self._offline(doc)
        if self.backend in LOCAL_BACKENDS:
            return self._local(doc)
        messages, key, notes = self._request(doc)
        if (hit := self._cached(key, doc, notes)) is not None:
            return hit
        return self._finish(self.llm.complete(self._asking, messages), key, doc, notes)

    async def arun(self, raw: str | bytes | Document, name: str = "") -> Outcome[T]:
        """The async twin of :meth:`run`: only the network call differs."""
        if isinstance(raw, Document):
            return await self._arun(raw)
        if (hit := self.recall(raw)) is not None:
            return hit
        return self.remember(raw, await self._arun(prepare(raw, name)))

    async def _arun(self, doc: Document) -> Outcome[T]:
        if self.backend == "offline":
            return self._offline(doc)
        if self.backend in LOCAL_BACKENDS:  # CPU-bound: keep the loop (progress) alive
            return await asyncio.to_thread(self._local, doc)
        await self.llm.aresolve_mode()  # mode "auto": probe without blocking the loop
        messages, key, notes = self._request(doc)
        if (hit := self._cached(key, doc, notes)) is not None:
            return hit
        answer = await self.llm.acomplete(self._asking, messages)
        return self._finish(answer, key, doc, notes)

    # -- requests sent outside run (the Batch API) ------------------------------------------
    def request(self, doc: Document) -> tuple[list[dict[str, str]], str, list[str]]:
        """The messages :meth:`run` sends for ``doc``, their cache key, and notes (a cut)."""
        return self._request(doc)

    def from_cache(self, doc: Document) -> Outcome[T] | None:
        """:meth:`run`'s outcome for ``doc`` when the cache holds the answer, else None."""
        _, key, notes = self._request(doc)
        return self._cached(key, doc, notes)

    def finish_answer(self, answer: Answer, doc: Document) -> Outcome[T]:
        """Finish an answer to :meth:`request`'s messages obtained elsewhere (a Batch API
        line) as :meth:`run` finishes its own: cached under the request's key, then grounded."""
        _, key, notes = self._request(doc)
        return self._finish(answer, key, doc, notes)

    # -- finished records ----------------------------------------------------------------
    def record_key(self, raw: str | bytes) -> str:
        """The cache key of the finished record of ``raw``: its bytes, every setting that
        changes a result (:meth:`identity`, the quotes wrapper) and the code's version
        (:func:`code_version`)."""
        identity = self.identity()
        if self._record_prefix is None or self._record_prefix[0] != identity:
            quotes = cache_part(self.task.schema)
            prefix = cache_key(
                record=RECORD_VERSION, code=code_version(), quotes=quotes, **identity
            )
            self._record_prefix = (identity, prefix)
        return input_key(self._record_prefix[1], raw)

    def recall(self, raw: str | bytes) -> Outcome[T] | None:
        """The finished record of ``raw`` from the cache (a hash and one read), or None."""
        if self.cache is None:
            return None
        stored = self.cache.get(self.record_key(raw))
        if stored is None:
            return None
        try:
            return Outcome(
                data=self.task.schema.model_validate(stored["data"]),
                task=self.task.name,
                backend=self.backend,
                model=self.model_name,
                cached=True,
                usage=Usage(),
                warnings=tuple(str(w) for w in stored["warnings"]),
                evidence=tuple(Evidence(**e) for e in stored["evidence"]),
                unsupported=tuple(Unsupported(**u) for u in stored["unsupported"]),
            )
        except (KeyError, TypeError, ValidationError):
            return None

    def remember(self, raw: str | bytes, outcome: Outcome[T]) -> Outcome[T]:
        """Keep ``outcome`` as the finished record of ``raw`` (LLM answers only); return it."""
        if self.cache is not None and self.cache.enabled:
            self.cache.set(
                self.record_key(raw),
                {
                    "data": outcome.data.model_dump(mode="json", exclude_computed_fields=True),
                    "warnings": list(outcome.warnings),
                    "evidence": [dataclasses.asdict(e) for e in outcome.evidence],
                    "unsupported": [dataclasses.asdict(u) for u in outcome.unsupported],
                },
            )
        return outcome

    # -- steps ---------------------------------------------------------------------------
    def prompt_text(self, doc: Document) -> tuple[str, list[str]]:
        """The text sent to the model: the cleaned page, page facts the cleaner set aside, and
        a cut at the input token budget (with a warning)."""
        from extractor.cost.tokens import count_tokens, truncate_to_tokens

        notes: list[str] = []
        text = doc.text
        facts = [s.text for s in doc.signals if s.text and s.text not in text]
        if facts:
            text += "\n\n[Also on the page, outside the posting body]\n" + "\n".join(facts)
        budget = self.settings.max_input_tokens
        # A token is at least one UTF-8 byte: a text of at most ``budget`` bytes fits uncounted.
        if len(text) > budget // 4 and len(text.encode()) > budget and count_tokens(text) > budget:
            text = truncate_to_tokens(text, budget)
            notes.append(f"input cut to the first {budget} tokens (max_input_tokens)")
        return text, notes

    def _request(self, doc: Document) -> tuple[list[dict[str, str]], str, list[str]]:
        text, notes = self.prompt_text(doc)
        messages = self.task.render(text, as_of=self.as_of.isoformat())
        return messages, self.answer_key(messages), notes

    def _cached(self, key: str, doc: Document, notes: list[str]) -> Outcome[T] | None:
        if self.cache is None:
            return None
        stored = self.cache.get(key)
        notes.extend(self._drain_cache_warnings())  # this call's own list, not the document's
        if stored is None:
            return None
        try:
            data = self.task.schema.model_validate(stored["data"])
            quotes = [q for q in stored.get("quotes", []) if isinstance(q, dict)]
        except (KeyError, TypeError, ValidationError):
            return None
        return self._grounded(data, doc, notes, quotes=quotes, cached=True, usage=Usage())

    def _finish(self, answer: Answer, key: str, doc: Document, notes: list[str]) -> Outcome[T]:
        data: BaseModel = getattr(answer.data, "data", answer.data)
        quotes = [q.model_dump() for q in getattr(answer.data, "quotes", [])]
        if self.cache is not None:
            # Computed fields (pay.annual_min) would fail extra="forbid" when read back.
            stored = data.model_dump(mode="json", exclude_computed_fields=True)
            self.cache.set(key, {"data": stored, "quotes": quotes})
            notes.extend(self._drain_cache_warnings())
        return self._grounded(data, doc, notes, quotes=quotes, cached=False, usage=answer.usage)

    def _drain_cache_warnings(self) -> list[str]:
        if self.cache is None or not self.cache.warnings:
            return []
        drained, self.cache.warnings = self.cache.warnings, []
        return drained

    def _offline(self, doc: Document) -> Outcome[T]:
        from extractor.offline import extract_posting

        result = extract_posting(doc, as_of=self.as_of)
        try:
            data = self.task.schema.model_validate(result.data)
        except ValidationError as exc:
            raise InvalidAnswerError(
                f"offline backend produced an invalid record: {exc.error_count()} error(s)"
            ) from exc
        notes = [w for w in result.warnings if w not in doc.warnings]
        rules = rule_candidates(list(result.evidence))
        return self._grounded(data, doc, notes, rules=rules, cached=False, usage=Usage())

    def _local(self, doc: Document) -> Outcome[T]:
        found = self.local_engine.extract(doc, as_of=self.as_of)
        notes = [w for w in found.warnings if w not in doc.warnings]
        notes.extend(self._drain_cache_warnings())
        return self._grounded(
            found.data, doc, notes, rules=found.rules, cached=found.cached, usage=found.usage
        )

    def _grounded(
        self,
        model: BaseModel,
        doc: Document,
        notes: list[str],
        *,
        cached: bool,
        usage: Usage,
        quotes: list[dict[str, Any]] | None = None,
        rules: list[Candidate] | None = None,
    ) -> Outcome[T]:
        """Fill, ground and settle ``model`` against ``doc.source`` (see the module docstring)."""
        schema = self.task.schema
        data = model.model_dump(mode="json", exclude_computed_fields=True)
        # fill() edits in place: a second dump is its own copy (several times cheaper than deepcopy).
        filled = fill(model.model_dump(mode="json", exclude_computed_fields=True), as_of=self.as_of)
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
                f"(strict): {paths}",
                attempts=1,
                usage=usage,
            )
        keep = self.settings.keep_unsupported
        settled, evidence, unsupported = settle(schema, data, found, keep=keep)
        if unsupported:
            notes = [
                *notes,
                f"{len(unsupported)} value(s) with no evidence in the source "
                f"{'kept (keep_unsupported)' if keep else 'dropped'}: {paths}",
            ]
        return Outcome(
            data=settled,  # type: ignore[arg-type]  # validated by self.task.schema, a type[T]
            task=self.task.name,
            backend=self.backend,
            model=self.model_name,
            cached=cached,
            usage=usage,
            warnings=(*doc.warnings, *notes),
            evidence=tuple(evidence),
            unsupported=tuple(unsupported),
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

    def __enter__(self) -> Extractor[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Extractor[T]:
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


def _task(task: str | Path | Task[T] | type[T], instructions: str | None) -> Task[T]:
    if isinstance(task, Task):
        return task
    if isinstance(task, type):
        return Task.from_schema(task, instructions)
    if instructions is not None:
        raise TypeError("instructions= goes with a schema class, not a task name or file")
    return load_task(task)  # type: ignore[return-value]  # a named task's schema is its own
