"""The JSONL record: one line per input, the contract between a batch run and its users.

    {"source", "sha256", "task", "status": "ok"|"error", "backend", "model", "cached",
     "data", "error": {"type", "message"}, "usage", "warnings", "evidence", "unsupported",
     "run_key", "as_of"}

:class:`Record` (made with :meth:`Record.ok` or :meth:`Record.failure`) is the only place these fields are named: the sink, CSV, ``review``, ``eval``
and the run's counters all go through it. Fields are only ever added, never renamed; a line
written before a field existed reads with that field's default. ``run_key`` identifies the
settings that produced the record (see ``Extractor.identity``), so a re-run knows what is done;
``as_of`` is the day relative dates were resolved against.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from typing import Any, Literal

from pydantic import BaseModel

from extractor.document import Evidence, Unsupported
from extractor.errors import ExtractorError
from extractor.outcome import Outcome, Usage

Status = Literal["ok", "error"]
MAX_MESSAGE = 500


def sha256_hex(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


DoneKey = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Done:
    """What a line of OUT says about its input: its done key and whether it succeeded."""

    key: DoneKey
    ok: bool


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """Why an input failed: the error's type name and a one-line message, never a traceback."""

    type: str
    message: str


@dataclass(frozen=True, slots=True)
class Record:
    """One input's result, ok or error, exactly as written to a line of OUT."""

    source: str
    sha256: str | None
    task: str
    status: Status
    backend: str
    model: str | None
    cached: bool
    data: dict[str, Any] | None
    error: ErrorInfo | None
    usage: Usage
    warnings: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    unsupported: tuple[Unsupported, ...]
    run_key: str
    as_of: str | None = None

    # -- making one ----------------------------------------------------------------------
    @classmethod
    def ok(
        cls,
        source: str,
        sha256: str,
        outcome: Outcome[BaseModel],
        *,
        run_key: str,
        as_of: str | None = None,
    ) -> Record:
        """The record of a successful extraction."""
        return cls(
            source=source,
            sha256=sha256,
            task=outcome.task,
            status="ok",
            backend=outcome.backend,
            model=outcome.model,
            cached=outcome.cached,
            data=outcome.data.model_dump(mode="json"),
            error=None,
            usage=outcome.usage,
            warnings=tuple(outcome.warnings),
            evidence=tuple(outcome.evidence),
            unsupported=tuple(outcome.unsupported),
            run_key=run_key,
            as_of=as_of,
        )

    @classmethod
    def failure(
        cls,
        source: str,
        sha256: str | None,
        exc: BaseException,
        *,
        task: str,
        backend: str,
        model: str | None,
        run_key: str,
        warnings: tuple[str, ...] | list[str] = (),
        as_of: str | None = None,
    ) -> Record:
        """The record of a failed input: a type and a one-line message, never a traceback."""
        usage = exc.usage if isinstance(exc, ExtractorError) else None
        kind = type(exc).__name__ if isinstance(exc, ExtractorError) else "InternalError"
        message = " ".join(str(exc).split()) or kind
        if not isinstance(exc, ExtractorError):
            message = f"unexpected {type(exc).__name__}: {message}"
        return cls(
            source=source,
            sha256=sha256,
            task=task,
            status="error",
            backend=backend,
            model=model,
            cached=False,
            data=None,
            error=ErrorInfo(kind, message[:MAX_MESSAGE]),
            usage=usage if isinstance(usage, Usage) else Usage(),
            warnings=tuple(warnings),
            evidence=(),
            unsupported=(),
            run_key=run_key,
            as_of=as_of,
        )

    # -- lines ---------------------------------------------------------------------------
    @property
    def done_key(self) -> DoneKey:
        """What makes an input done: (source, sha256 of its bytes, run_key)."""
        return (self.source, self.sha256 or "", self.run_key)

    @property
    def done(self) -> Done:
        return Done(self.done_key, self.status == "ok")

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready mapping, fields in their contract order."""
        return {
            "source": self.source,
            "sha256": self.sha256,
            "task": self.task,
            "status": self.status,
            "backend": self.backend,
            "model": self.model,
            "cached": self.cached,
            "data": self.data,
            "error": None if self.error is None else _plain(self.error),
            "usage": self.usage.as_dict(),
            "warnings": list(self.warnings),
            "evidence": [_plain(e) for e in self.evidence],
            "unsupported": [_plain(u) for u in self.unsupported],
            "run_key": self.run_key,
            "as_of": self.as_of,
        }

    def to_line(self) -> str:
        """One compact JSON line, newline included."""
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n"

    @classmethod
    def from_dict(cls, raw: Any) -> Record:
        """Read a record back; raise ``ValueError`` for anything that is not one."""
        if not isinstance(raw, dict):
            raise ValueError("not a JSON object")
        try:
            error = raw.get("error")
            return cls(
                source=_text(raw["source"], "source"),
                sha256=raw.get("sha256"),
                task=str(raw.get("task", "")),
                status="ok" if raw["status"] == "ok" else "error",
                backend=str(raw.get("backend", "")),
                model=raw.get("model"),
                cached=bool(raw.get("cached", False)),
                data=raw["data"] if isinstance(raw.get("data"), dict) else None,
                error=ErrorInfo(str(error["type"]), str(error["message"]))
                if isinstance(error, dict)
                else None,
                usage=Usage(**{k: int(v) for k, v in (raw.get("usage") or {}).items()}),
                warnings=tuple(str(w) for w in raw.get("warnings") or ()),
                evidence=tuple(Evidence(**e) for e in raw.get("evidence") or ()),
                unsupported=tuple(Unsupported(**u) for u in raw.get("unsupported") or ()),
                run_key=_text(raw.get("run_key", ""), "run_key"),
                as_of=raw.get("as_of"),
            )
        except KeyError as exc:
            raise ValueError(f"no {exc.args[0]!r} field") from exc
        except (TypeError, ValueError) as exc:
            raise ValueError(f"not an extractor record: {exc}") from exc

    @classmethod
    def from_line(cls, line: str | bytes) -> Record:
        """Parse one line of OUT; raise ``ValueError`` for a line that is not a record."""
        try:
            raw = json.loads(line)
        except ValueError as exc:
            raise ValueError(f"not JSON: {getattr(exc, 'msg', exc)}") from exc
        return cls.from_dict(raw)

    # -- the flat view (CSV) -------------------------------------------------------------
    def columns(self) -> dict[str, Any]:
        """The record's own fields as flat scalar columns, in :meth:`to_dict`'s order: ``error``
        and ``usage`` spread out (``error_type``, ``prompt_tokens``…); ``data`` is flattened
        apart by the CSV format; ``evidence`` and ``unsupported`` are left out."""
        flat: dict[str, Any] = {}
        for name, value in self.to_dict().items():
            if name == "error":
                flat["error_type"] = value and value["type"]
                flat["error_message"] = value and value["message"]
            elif name == "usage":
                flat.update(value)
            elif name not in ("data", "evidence", "unsupported"):
                flat[name] = value
        return flat


FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Record))
COLUMNS: tuple[str, ...] = tuple(
    Record("", None, "", "ok", "", None, False, None, None, Usage(), (), (), (), "").columns()
)
"""The flat columns of :meth:`Record.columns`, in order (the CSV's record columns)."""


def _plain(value: Any) -> dict[str, Any]:
    return {f.name: getattr(value, f.name) for f in fields(value)}


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} is not text")
    return value
