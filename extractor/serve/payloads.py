"""A job's inputs from what the caller sent: items of a JSON body, or an uploaded JSONL file or
zip archive. Everything is read from the request's bytes: no name a caller gives is ever opened
on the server (a zip member's name is only the record's ``source``).

Limits (a violation is an ``InputError`` whose ``status`` detail is the HTTP status to answer):
at most ``max_items`` inputs, each at most ``max_item_bytes`` (UTF-8 bytes of a text, or a zip
member's uncompressed size, checked while reading, whatever the archive's header claims), and
source names unique within a job.
"""

from __future__ import annotations

import fnmatch
import io
import json
import zipfile
from collections.abc import Iterable, Sequence

from pydantic import ValidationError

from extractor.batch.inputs import DEFAULT_GLOBS
from extractor.errors import InputError
from extractor.serve.models import ItemIn

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
TOO_LARGE = 413
INVALID = 422

Inputs = list[tuple[str, bytes]]


def too_large(message: str) -> InputError:
    return InputError(message, status=TOO_LARGE)


def invalid(message: str) -> InputError:
    return InputError(message, status=INVALID)


def from_items(items: Sequence[ItemIn], max_items: int, max_item_bytes: int) -> Inputs:
    """``(source, bytes)`` for each item, sources defaulting to ``item-N``."""
    if len(items) > max_items:
        raise too_large(f"{len(items)} items, over the limit of {max_items} per job")
    inputs: Inputs = []
    for number, item in enumerate(items):
        body = item.body.encode("utf-8", "replace")  # a lone surrogate becomes "?"
        if len(body) > max_item_bytes:
            raise too_large(
                f"item {number} is {len(body):,} bytes, over the limit of {max_item_bytes:,}"
            )
        source = item.source.encode("utf-8", "replace").decode() if item.source else None
        inputs.append((source or f"item-{number}", body))
    return unique(inputs)


def from_upload(data: bytes, max_items: int, max_item_bytes: int) -> Inputs:
    """An uploaded file: a zip archive (by its first bytes), else JSONL of items."""
    if data.startswith(ZIP_MAGIC):
        return from_zip(data, max_items, max_item_bytes)
    items = list(jsonl_items(data))
    if not items:
        raise invalid("the JSONL upload holds no item")
    return from_items(items, max_items, max_item_bytes)


def jsonl_items(data: bytes) -> Iterable[ItemIn]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise invalid("the upload is neither a zip archive nor UTF-8 JSONL") from None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield ItemIn.model_validate(json.loads(line))
        except ValueError as exc:  # JSONDecodeError and ValidationError
            raise invalid(f"line {number} of the JSONL upload: {_reason(exc)}") from None


def from_zip(data: bytes, max_items: int, max_item_bytes: int) -> Inputs:
    """The archive's files matching the default patterns (*.txt, *.md, *.html, *.htm)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if _wanted(m)]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as exc:
        raise invalid(f"the upload is not a readable zip archive: {exc}") from None
    if not members:
        raise invalid(f"the zip archive holds no file matching {', '.join(DEFAULT_GLOBS)}")
    if len(members) > max_items:
        raise too_large(f"{len(members)} files, over the limit of {max_items} per job")
    inputs: Inputs = []
    for member in members:
        if member.flag_bits & 0x1:
            raise invalid(f"{member.filename}: encrypted zip members are not supported")
        if member.file_size > max_item_bytes:
            raise too_large(f"{member.filename} is over the limit of {max_item_bytes:,} bytes")
        try:
            with archive.open(member) as handle:
                body = handle.read(max_item_bytes + 1)  # the header's size may lie
        except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError) as exc:
            raise invalid(f"{member.filename}: cannot unpack ({exc})") from None
        if len(body) > max_item_bytes:
            raise too_large(f"{member.filename} is over the limit of {max_item_bytes:,} bytes")
        inputs.append((member.filename, body))
    return unique(inputs)


def _wanted(member: zipfile.ZipInfo) -> bool:
    name = member.filename.rsplit("/", 1)[-1]
    if member.is_dir() or name.startswith(".") or member.filename.startswith("__MACOSX/"):
        return False
    return any(fnmatch.fnmatch(name.lower(), g) for g in DEFAULT_GLOBS)


def unique(inputs: Inputs) -> Inputs:
    seen: set[str] = set()
    for source, _ in inputs:
        if source in seen:
            raise invalid(f"source {source!r} is used twice: sources must be unique in a job")
        seen.add(source)
    return inputs


def _reason(exc: ValueError) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}" if where else first["msg"]
    return f"not JSON ({getattr(exc, 'msg', exc)})"
