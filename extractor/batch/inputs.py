"""Finding and reading input files: a streaming, loop-safe walk and a guarded read.

Folders are walked recursively in sorted order without ever listing the whole tree in memory;
symlinked folders are followed once (a symlink loop is reported, not followed forever). Files
named explicitly are always taken; files found in folders must match one of the globs.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from extractor.errors import ConfigError, InputError

DEFAULT_GLOBS: tuple[str, ...] = ("*.txt", "*.md", "*.html", "*.htm", "*.csv")
MAX_INPUT_BYTES = 10 * 1024 * 1024  # larger files are refused: see README "Limits"


@dataclass(frozen=True, slots=True)
class InputItem:
    """One input found by the walk, or a problem met on the way (``problem`` is set).

    An input already in memory (a table row) carries its ``content`` and the ``label`` its
    record names as the source; ``path`` then only gives the cleaner a file name.
    """

    path: Path
    problem: InputError | None = None
    content: bytes | None = None
    label: str | None = None

    @property
    def source(self) -> str:
        return str(self.path) if self.label is None else self.label


def check_paths(paths: Sequence[Path]) -> None:
    """Fail fast, before any work, when a named path does not exist."""
    missing = [str(p) for p in paths if not os.path.lexists(p)]
    if missing:
        raise ConfigError(f"no such file or folder: {', '.join(missing)}")


def iter_inputs(paths: Sequence[Path], globs: Sequence[str] = DEFAULT_GLOBS) -> Iterator[InputItem]:
    """Yield inputs under ``paths`` in a stable order, streaming."""
    seen_dirs: set[tuple[int, int]] = set()
    for path in paths:
        if path.is_dir():
            yield from _walk(path, globs, seen_dirs)
        else:
            yield InputItem(path)


def _walk(root: Path, globs: Sequence[str], seen: set[tuple[int, int]]) -> Iterator[InputItem]:
    try:
        info = root.stat()
    except OSError as exc:
        yield InputItem(root, InputError(f"cannot read folder: {exc.strerror or exc}"))
        return
    ident = (info.st_dev, info.st_ino)
    if ident in seen:
        yield InputItem(root, InputError("symlink loop: this folder was already walked"))
        return
    seen.add(ident)
    try:
        with os.scandir(root) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield InputItem(root, InputError(f"cannot list folder: {exc.strerror or exc}"))
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()  # follows symlinks
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(path, globs, seen)
        elif any(fnmatch.fnmatch(entry.name, g) for g in globs):
            yield InputItem(path)


def read_input(path: Path, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """Read one input file; raise InputError with a one-line reason when it cannot be used."""
    try:
        info = path.stat()
    except OSError as exc:
        if os.path.islink(path):
            raise InputError("broken or looping symlink") from None
        raise InputError(f"cannot read file: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a folder, not a file (name it without a file glob to walk it)")
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file (device, pipe or socket)")
    if info.st_size > max_bytes:
        raise InputError(
            f"file is {info.st_size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB input limit"
        )
    try:
        with path.open("rb") as handle:
            return handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from None


def read_item(item: InputItem, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of one walked input: the one read step every batch path shares.

    Raises the walk's problem for the item (a symlink loop, an unreadable folder) or
    ``InputError`` from :func:`read_input`.
    """
    if item.problem is not None:
        raise item.problem
    if item.content is not None:
        if len(item.content) > max_bytes:
            raise InputError(
                f"input is {len(item.content) / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB "
                "input limit"
            )
        return item.content
    return read_input(item.path, max_bytes)
