"""The provider's Files and Batch API (OpenAI; Azure OpenAI's Global Batch takes the same
calls): upload a request file, create a batch, read its status, download its files, cancel.

Calls go through the same retrying transport as chat requests (transient failures retried,
``Retry-After`` honoured, the SDK's own retries off); failures become :mod:`extractor.errors`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx2
import openai

from extractor.batch.lines import ENDPOINT
from extractor.errors import ConfigError, TransientError
from extractor.llm.errors import translate
from extractor.llm.transport import CALL_STATS, AsyncRetryingTransport, CallStats, RetryPolicy
from extractor.settings import PLACEHOLDER_KEY, Settings

FILE_TIMEOUT = 600.0  # seconds for one upload or download of up to 200 MB
TERMINAL = frozenset({"completed", "expired", "failed", "cancelled"})
CREATE_ATTEMPTS = 3
LIST_PAGES = 10  # pages of 100 batches searched for one adopted after a crash


@dataclass(frozen=True, slots=True)
class BatchInfo:
    """What the provider says about one batch."""

    id: str
    status: str
    input_file_id: str
    output_file_id: str | None = None
    error_file_id: str | None = None
    total: int = 0
    completed: int = 0
    failed: int = 0
    errors: tuple[str, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def terminal(self) -> bool:
        """No line will change any more: the files can be read."""
        return self.status in TERMINAL

    @classmethod
    def of(cls, batch: Any) -> BatchInfo:
        counts = batch.request_counts
        errors = getattr(batch.errors, "data", None) or []
        return cls(
            id=batch.id,
            status=batch.status,
            input_file_id=batch.input_file_id,
            output_file_id=batch.output_file_id,
            error_file_id=batch.error_file_id,
            total=counts.total if counts else 0,
            completed=counts.completed if counts else 0,
            failed=counts.failed if counts else 0,
            errors=tuple(
                f"{e.code or 'error'}: {e.message or ''}" + (f" (line {e.line})" if e.line else "")
                for e in errors
            ),
            metadata=dict(batch.metadata or {}),
        )


class BatchProvider:
    """Files and batches at one endpoint; pass ``client`` to use your own ``AsyncOpenAI``.

    Creating a batch is the one call never retried blindly: a retry after a lost reply could
    start the same batch twice (and bill it twice). After a failed create the batch is looked
    for by its input file (:meth:`find`) before creating again (:meth:`create_once`).
    """

    def __init__(self, settings: Settings, *, client: openai.AsyncOpenAI | None = None) -> None:
        self.settings = settings
        self._owned = client is None
        inner = httpx2.AsyncHTTPTransport() if client is None else None  # one pool for both
        self.client = client or self._client(settings.max_attempts, inner)
        self._once = client or self._client(1, inner)

    def _client(self, attempts: int, inner: Any) -> openai.AsyncOpenAI:
        s = self.settings
        policy = RetryPolicy(max_attempts=attempts, max_total_wait=s.max_retry_wait)
        http = httpx2.AsyncClient(
            transport=AsyncRetryingTransport(inner, policy, None),
            timeout=httpx2.Timeout(s.request_timeout, connect=min(s.request_timeout, 10.0)),
        )
        return openai.AsyncOpenAI(
            api_key=s.api_key or PLACEHOLDER_KEY,
            base_url=s.base_url,
            max_retries=0,
            timeout=s.request_timeout,
            http_client=http,
        )

    async def _call(self, what: str, coro: Any) -> Any:
        stats = CallStats()
        token = CALL_STATS.set(stats)
        try:
            return await coro
        except openai.NotFoundError:
            where = self.settings.base_url or "the OpenAI API"
            raise ConfigError(
                f"{what} is not known at {where} (HTTP 404): the endpoint has no Batch API, "
                "or the batch belongs to another key or endpoint"
            ) from None
        except openai.OpenAIError as exc:
            raise translate(exc, stats, self.settings) from exc
        finally:
            CALL_STATS.reset(token)

    async def upload(self, name: str, content: bytes) -> str:
        """Upload a request file (``purpose=batch``); its file id."""
        uploaded = await self._call(
            "the Files API",
            self.client.files.create(
                file=(name, content, "application/jsonl"), purpose="batch", timeout=FILE_TIMEOUT
            ),
        )
        return str(uploaded.id)

    async def create(
        self, input_file_id: str, metadata: dict[str, str], *, maybe_created: bool = False
    ) -> BatchInfo:
        """Start the batch of ``input_file_id``, or adopt the one a lost reply (or a run killed
        before it saved the batch id: ``maybe_created``) already started."""
        for attempt in range(CREATE_ATTEMPTS):
            if (attempt or maybe_created) and (found := await self.find(input_file_id)):
                return found
            try:
                return await self.create_once(input_file_id, metadata)
            except TransientError:
                if attempt == CREATE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def create_once(self, input_file_id: str, metadata: dict[str, str]) -> BatchInfo:
        """One create call, not retried by the transport."""
        batch = await self._call(
            "the Batch API",
            self._once.batches.create(
                input_file_id=input_file_id,
                endpoint=ENDPOINT,
                completion_window="24h",
                metadata=metadata,
            ),
        )
        return BatchInfo.of(batch)

    async def retrieve(self, batch_id: str) -> BatchInfo:
        batch = await self._call(f"batch {batch_id}", self.client.batches.retrieve(batch_id))
        return BatchInfo.of(batch)

    async def cancel(self, batch_id: str) -> BatchInfo:
        batch = await self._call(f"batch {batch_id}", self.client.batches.cancel(batch_id))
        return BatchInfo.of(batch)

    async def find(self, input_file_id: str) -> BatchInfo | None:
        """The batch made from ``input_file_id``, if any (newest first, a bounded search)."""
        after: str | None = None
        for _ in range(LIST_PAGES):
            kwargs: dict[str, Any] = {"limit": 100}
            if after:
                kwargs["after"] = after
            page = await self._call("the Batch API", self.client.batches.list(**kwargs))
            for batch in page.data:
                if batch.input_file_id == input_file_id:
                    return BatchInfo.of(batch)
            if not page.has_more or not page.data:
                return None
            after = page.data[-1].id
        return None

    async def content(self, file_id: str) -> bytes:
        """The bytes of an output or error file."""
        reply = await self._call(
            f"file {file_id}", self.client.files.content(file_id, timeout=FILE_TIMEOUT)
        )
        return bytes(reply.content)

    async def aclose(self) -> None:
        if self._owned:
            await self.client.close()
            await self._once.close()
