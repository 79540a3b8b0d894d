"""Reading a record's source file back for the review page, safely.

A JSONL file is data that people pass around, so its ``source`` paths are untrusted: a record may
name ``/etc/passwd``, ``../../.ssh/id_rsa``, a symlink out of the folder, a FIFO or a device. The
page embeds a source's text only when all of these hold:

- the path, with every symlink resolved, lies inside the one **source root**;
- it is a regular file of at most 10 MB (a FIFO or device is never opened for reading);
- its bytes hash to the record's ``sha256``: the text is the very input the record was made from.

Otherwise the record's fields are shown without the text, and the note says why.

The default root is found from the JSONL file's own location: its folder, or the nearest ancestor
folder under which most of the records' relative sources exist (``extractor run`` writes sources
relative to the folder it ran in, typically the project folder above ``out/``). The filesystem root
and the home folder itself are never chosen by default; ``--source-root`` sets the root explicitly.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

MAX_SOURCE_BYTES = 10 * 1024 * 1024
_PROBE_LIMIT = 200  # relative sources looked at when choosing the default root


@dataclass(frozen=True, slots=True)
class SourceRead:
    """The outcome of reading one source: its bytes, or why they are not shown."""

    raw: bytes | None
    note: str | None = None


def default_root(jsonl: Path, sources: Iterable[str]) -> Path | None:
    """The nearest folder, from the JSONL's own upwards, holding most relative sources."""
    names = [s for s in sources if s and not Path(s).is_absolute()][:_PROBE_LIMIT]
    refused = {Path("/").resolve(), Path.home().resolve()}
    best: tuple[int, Path] | None = None
    for base in [jsonl.resolve().parent, *jsonl.resolve().parent.parents]:
        if base in refused:
            break
        found = sum(_inside(base / name, base) is not None for name in names)
        if found and (best is None or found > best[0]):
            best = (found, base)
    return best[1] if best else (jsonl.resolve().parent if not names else None)


def read_source(name: str, root: Path | None, sha256: object) -> SourceRead:
    """The source's bytes when it is safe and unchanged to show them; else a note saying why."""
    if not name:
        return SourceRead(None, "the record names no source file")
    if root is None:
        return SourceRead(None, "no source root holds this file: pass --source-root DIR")
    lexical = Path(os.path.normpath(Path(name) if Path(name).is_absolute() else root / name))
    outside = SourceRead(None, f"the source is outside the source root ({root}): not read")
    if not lexical.is_relative_to(root.resolve()):
        return outside
    if not os.path.lexists(lexical):
        return SourceRead(None, f"the source file is gone ({name})")
    path = _inside(lexical, root)
    if path is None:
        return outside
    if not isinstance(sha256, str) or len(sha256) != 64:
        return SourceRead(None, "the record has no sha256 to check the source against: not shown")
    raw, problem = _read_regular(path)
    if raw is None:
        return SourceRead(None, problem)
    if hashlib.sha256(raw).hexdigest() != sha256:
        return SourceRead(None, "the source file changed since extraction (sha256 differs)")
    return SourceRead(raw)


def _inside(path: Path, root: Path) -> Path | None:
    """``path`` with symlinks resolved when it exists inside ``root``; else ``None``."""
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, unreadable, or a symlink loop
        return None
    return resolved if resolved.is_relative_to(root.resolve()) else None


def _read_regular(path: Path) -> tuple[bytes | None, str]:
    """Open without blocking and read only a regular file of at most ``MAX_SOURCE_BYTES``."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        return None, f"cannot read the source file ({exc.strerror or exc})"
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, "the source is not a regular file: not read"
        if info.st_size > MAX_SOURCE_BYTES:
            return None, "the source file is over 10 MB: not shown"
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(MAX_SOURCE_BYTES + 1)
        if len(raw) > MAX_SOURCE_BYTES:
            return None, "the source file is over 10 MB: not shown"
        return raw, ""
    except OSError as exc:
        return None, f"cannot read the source file ({exc.strerror or exc})"
    finally:
        os.close(fd)
