"""Where records go: an append-only file (JSONL, or CSV) that survives crashes and knows what
is done.

- Each record is written as one whole line with a single ``write`` on a file opened with
  ``O_APPEND``, so a crash loses at most the lines not yet written, never half of one; a torn last
  line left by ``kill -9`` is cut off when the next run opens the file.
- A lock file (``OUT.lock``) refuses a second run writing the same file at the same time; it is
  removed when the run ends, and never made for an output that is refused (a folder).
- On open, the records already in the file tell the run which inputs are done: an input is keyed
  by (source, sha256 of its bytes, run_key of the settings). ``retry_errors`` removes the error
  records first (one atomic rewrite) so those inputs are done again and each keeps one record.
- The line format is a :class:`RecordFormat`: JSONL here, CSV in :mod:`extractor.batch.csv_format`.
  A format with a header writes it first and refuses a file whose header differs.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TextIO

import filelock

from extractor.batch.record import Done, DoneKey, Record
from extractor.errors import ConfigError


@dataclass(slots=True)
class Existing:
    """What the output file already holds."""

    ok: set[DoneKey] = field(default_factory=set)
    errors: set[DoneKey] = field(default_factory=set)
    repaired_bytes: int = 0
    bad_lines: int = 0


class RecordFormat(Protocol):
    """How records become lines: each encoded record is exactly one line ending in a newline."""

    name: str

    def header(self) -> str | None:
        """The first line of a new file (with its newline), or None."""

    def encode(self, record: Record) -> str:
        """One whole line, newline included, for ``record``."""

    def decode(self, line: bytes) -> Done | None:
        """What a line says is done; None for a header; raise ValueError for a line that is
        not a record."""


class JsonlFormat:
    """One compact JSON object per line: :meth:`Record.to_line`."""

    name = "jsonl"

    def header(self) -> str | None:
        return None

    def encode(self, record: Record) -> str:
        return record.to_line()

    def decode(self, line: bytes) -> Done | None:
        return Record.from_line(line).done


JSONL = JsonlFormat()


class RecordSink:
    """An exclusive, crash-safe, append-only output (a path, or stdout when None)."""

    def __init__(
        self, path: Path | None, *, retry_errors: bool = False, fmt: RecordFormat = JSONL
    ) -> None:
        self.path = path
        self.retry_errors = retry_errors
        self.fmt = fmt
        self.existing = Existing()
        self._lock: filelock.BaseFileLock | None = None
        self._fd: int | None = None
        self._stream: TextIO | None = None

    def open(self, stream: TextIO | None = None) -> RecordSink:
        if self.path is None:
            import sys

            self._stream = stream or sys.stdout
            if (header := self.fmt.header()) is not None:
                self._stream.write(header)
            return self
        if self.path.is_dir():
            raise ConfigError(f"the output {self.path} is a folder; give a file name with -o")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = filelock.FileLock(f"{self.path}.lock")
        try:
            self._lock.acquire(timeout=0)
        except filelock.Timeout:
            raise ConfigError(
                f"another extractor run is writing {self.path} (lock {self.path}.lock); "
                "wait for it or choose another -o"
            ) from None
        try:
            self._repair()
            self._check_header()
            self._load()
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            if (header := self.fmt.header()) is not None and os.fstat(self._fd).st_size == 0:
                self._append(header.encode())
        except OSError as exc:
            self.close()
            raise ConfigError(f"cannot write {self.path}: {exc.strerror or exc}") from None
        except ConfigError:
            self.close()
            raise
        return self

    def _check_header(self) -> None:
        """Refuse to append to a file whose header is not this format's (other columns)."""
        assert self.path is not None
        header = self.fmt.header()
        if header is None or not self.path.exists():
            return
        with self.path.open("rb") as handle:
            first = handle.readline()
        if first and first.decode("utf-8", "replace") != header:
            raise ConfigError(
                f"{self.path} does not start with the {self.fmt.name} header of this task "
                "(another task, format or version wrote it); choose another -o"
            )

    def _repair(self) -> None:
        """Cut a torn last line (no trailing newline) left by a killed run."""
        assert self.path is not None
        if not self.path.exists():
            return
        with self.path.open("rb+") as handle:
            size = handle.seek(0, os.SEEK_END)
            if size == 0:
                return
            handle.seek(size - 1)
            if handle.read(1) == b"\n":
                return
            keep, pos, chunk = 0, size, 1 << 16
            while pos > 0:
                start = max(pos - chunk, 0)
                handle.seek(start)
                block = handle.read(pos - start)
                nl = block.rfind(b"\n")
                if nl >= 0:
                    keep = start + nl + 1
                    break
                pos = start
            handle.truncate(keep)
            self.existing.repaired_bytes = size - keep

    def _load(self) -> None:
        assert self.path is not None
        if not self.path.exists():
            return
        drop_errors = False
        with self.path.open("rb") as handle:
            for raw in handle:
                try:
                    record = self.fmt.decode(raw)
                except ValueError:
                    self.existing.bad_lines += 1
                    continue
                if record is None:
                    continue
                if record.ok:
                    self.existing.ok.add(record.key)
                else:
                    self.existing.errors.add(record.key)
                    drop_errors = drop_errors or self.retry_errors
        if drop_errors:
            self._drop_error_lines()

    def _drop_error_lines(self) -> None:
        """Rewrite the file without its error records (atomically: temp file + rename)."""
        assert self.path is not None
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        try:
            with os.fdopen(fd, "wb") as out, self.path.open("rb") as src:
                for raw in src:
                    try:
                        record = self.fmt.decode(raw)
                    except ValueError:
                        out.write(raw)
                        continue
                    if record is None or record.ok:
                        out.write(raw)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.existing.errors.clear()

    def is_done(self, key: DoneKey) -> bool:
        return key in self.existing.ok or (key in self.existing.errors and not self.retry_errors)

    def write(self, record: Record) -> None:
        line = self.fmt.encode(record)
        if self._fd is not None:
            self._append(line.encode())
        elif self._stream is not None:
            self._stream.write(line)
            self._stream.flush()

    def _append(self, data: bytes) -> None:
        assert self._fd is not None
        written = os.write(self._fd, data)
        while written < len(data):  # a short write: finish the line
            written += os.write(self._fd, data[written:])

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._lock is not None and self._lock.is_locked:
            self._lock.release()
            # Leave no OUT.lock behind; a run that opened it meanwhile already failed to lock it.
            Path(self._lock.lock_file).unlink(missing_ok=True)

    def __enter__(self) -> RecordSink:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()
