"""The one-call entry points: ``extract`` and ``aextract``.

Each is a thin wrapper over :class:`extractor.Extractor` (open one, call it once, close it), typed
so that the default task returns a :class:`JobPosting` and a schema class ``T`` returns ``T``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from pydantic import BaseModel

from extractor.extraction import Extractor
from extractor.settings import Settings
from extractor.tasks import DEFAULT_TASK, Task

if TYPE_CHECKING:
    from extractor.job_posting import JobPosting

T = TypeVar("T", bound=BaseModel)


@overload
def extract(
    text: str | bytes,
    *,
    schema: type[T],
    instructions: str | None = None,
    settings: Settings | None = None,
    **overrides: Any,
) -> T: ...
@overload
def extract(
    text: str | bytes, *, task: Task[T], settings: Settings | None = None, **overrides: Any
) -> T: ...
@overload
def extract(
    text: str | bytes,
    *,
    task: Literal["job_posting"] = ...,
    settings: Settings | None = None,
    **overrides: Any,
) -> JobPosting: ...
@overload
def extract(
    text: str | bytes, *, task: str | Path, settings: Settings | None = None, **overrides: Any
) -> BaseModel: ...
def extract(
    text: str | bytes,
    *,
    task: str | Path | Task[Any] = DEFAULT_TASK,
    schema: type[BaseModel] | None = None,
    instructions: str | None = None,
    settings: Settings | None = None,
    **overrides: Any,
) -> BaseModel:
    """Extract one record from ``text``: a validated, typed pydantic model.

    ``task`` names a task (default ``job_posting``, returning a :class:`JobPosting`), or pass a
    model class as ``schema`` (with optional ``instructions``). Settings: a :class:`Settings`,
    or its fields as keywords (``model=``, ``base_url=``…) over the environment; an unknown
    keyword is a ``TypeError``. For the backend, evidence and usage, use :class:`Extractor`,
    whose ``run`` returns the whole :class:`Outcome`.
    """
    with Extractor(schema or task, _settings(settings, overrides), instructions=instructions) as ex:
        data: BaseModel = ex.run(text).data
        return data


@overload
async def aextract(
    text: str | bytes,
    *,
    schema: type[T],
    instructions: str | None = None,
    settings: Settings | None = None,
    **overrides: Any,
) -> T: ...
@overload
async def aextract(
    text: str | bytes, *, task: Task[T], settings: Settings | None = None, **overrides: Any
) -> T: ...
@overload
async def aextract(
    text: str | bytes,
    *,
    task: Literal["job_posting"] = ...,
    settings: Settings | None = None,
    **overrides: Any,
) -> JobPosting: ...
@overload
async def aextract(
    text: str | bytes, *, task: str | Path, settings: Settings | None = None, **overrides: Any
) -> BaseModel: ...
async def aextract(
    text: str | bytes,
    *,
    task: str | Path | Task[Any] = DEFAULT_TASK,
    schema: type[BaseModel] | None = None,
    instructions: str | None = None,
    settings: Settings | None = None,
    **overrides: Any,
) -> BaseModel:
    """The async twin of :func:`extract`."""
    chosen = _settings(settings, overrides)
    async with Extractor(schema or task, chosen, instructions=instructions) as ex:
        data: BaseModel = (await ex.arun(text)).data
        return data


def _settings(settings: Settings | None, overrides: dict[str, Any]) -> Settings:
    if settings is not None:
        return settings.with_(**overrides) if overrides else settings
    return Settings.from_env(**overrides)
