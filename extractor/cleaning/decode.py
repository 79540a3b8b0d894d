"""Bytes of unknown encoding in, clean Unicode text out, or an ``InputError`` saying why not.

Order: refuse empty and binary input; honour a byte-order mark; take UTF-8 when it decodes;
otherwise ask charset-normalizer (preferring Windows-1252 when it is as plausible as the winner,
since short Western text is often mistaken for other Latin code pages). Then ``normalize_text``
repairs mojibake with ftfy, drops control characters and unifies line breaks.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer
import ftfy

from extractor.errors import InputError

__all__ = ["decode", "normalize_text"]

# Magic numbers of formats that are not text, with the name used in the error message.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"\x7fELF", "an executable"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_NUL_SHARE = 0.1  # more NULs than this (in the first 4 KiB) and no BOM: binary, or BOM-less UTF-16
_SAMPLE = 4096

# ftfy settings that repair mojibake but leave normal text alone (no quote uncurling, no
# ligature or width folding, no HTML unescaping: entities are the HTML parser's business).
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization="NFC",
    explain=False,
)
# What ftfy could repair: a UTF-8 lead byte read as Latin-1/Windows-1252 followed by a
# continuation byte read the same way, C1 controls, or lone surrogates. Text without any of
# these is left alone without paying for ftfy (about a millisecond per posting).
_SUSPECT = re.compile(
    "[\xc2-\xf4][\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039"
    "\u203a\u20ac\u2122]|[\x80-\x9f\ud800-\udfff]"
)
_RARE_BREAKS = ("\x0b", "\x0c", "\x85", "\u2028", "\u2029")
# Also invisible format characters that split words or reorder what a reader sees (zero-width
# space, soft hyphen, word joiner, LRM/RLM, bidi embeddings, overrides and isolates); ZWJ/ZWNJ
# only where they touch ASCII or a space (they matter inside emoji, Indic and Persian words).
_CONTROLS = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f\xad\ufeff\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069]"
    "|(?<=[\x00-\x7f])[\u200c\u200d]+|[\u200c\u200d]+(?=[\x00-\x7f]|$)"
)


def decode(raw: bytes) -> str:
    """Decode ``raw`` (any common encoding) into normalised text.

    Raises ``InputError`` for empty or whitespace-only input, binary data and undecodable bytes.
    """
    if not raw.strip():
        raise InputError("input is empty")
    kind = _binary_kind(raw)
    if kind:
        raise InputError(f"input is binary data ({kind}), not text")
    text = normalize_text(_to_str(raw))
    if not text.strip():
        raise InputError("input has no text (only whitespace or control characters)")
    return text


def normalize_text(text: str) -> str:
    """Repair mojibake (ftfy), unify line breaks to ``\\n``, drop control characters, NFC."""
    if _maybe_mojibake(text) or "\x1b" in text:
        text = ftfy.fix_text(text, _FTFY)  # "\x1b": terminal escapes
    # str methods are ten times faster than a regex pass: test first, rewrite when needed
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for brk in _RARE_BREAKS:
        if brk in text:
            text = text.replace(brk, "\n")
    if not text.replace("\n", "").replace("\t", "").isprintable():
        text = _CONTROLS.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def _maybe_mojibake(text: str) -> bool:
    if text.isascii():
        return False
    # The suspects U+0080..U+00FF and surrogates start with these bytes in UTF-8.
    data = text.encode("utf-8", "surrogatepass")
    if b"\xc2" not in data and b"\xc3" not in data and b"\xed" not in data:
        return False
    return _SUSPECT.search(text) is not None


def _binary_kind(raw: bytes) -> str:
    for magic, name in _MAGIC:
        if raw.startswith(magic):
            return name
    if raw[8:12] == b"WEBP" and raw.startswith(b"RIFF"):
        return "a WebP image"
    return ""


def _to_str(raw: bytes) -> str:
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"input starts with a {codec} byte-order mark but is not {codec}"
                ) from exc
    sample = raw[:_SAMPLE]
    if sample.count(0) > _NUL_SHARE * len(sample):
        return _bomless_utf16(raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _mixed_utf8(raw) or _guess(raw)


_STRAY = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def _mixed_utf8(raw: bytes) -> str:
    """UTF-8 with fewer stray bytes than real multi-byte characters (a line pasted from a
    Windows-1252 page): each stray byte read as Windows-1252. "" when it does not look so."""
    text = raw.decode("utf-8", "surrogateescape")
    stray = len(_STRAY.findall(text))
    if not 0 < stray < len(_NON_ASCII.findall(text)) - stray:
        return ""
    return _STRAY.sub(lambda m: bytes([ord(m.group()) - 0xDC00]).decode("cp1252", "replace"), text)


def _bomless_utf16(raw: bytes) -> str:
    """UTF-16 without a BOM puts the NULs of ASCII text all in even or all in odd positions."""
    sample = raw[:_SAMPLE]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) / 2
    codec = "utf-16-le" if odd > 0.6 * half and even == 0 else ""
    codec = "utf-16-be" if even > 0.6 * half and odd == 0 else codec
    if codec and len(raw) % 2 == 0:
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            pass
    raise InputError("input is binary data (many NUL bytes), not text")


def _guess(raw: bytes) -> str:
    matches = charset_normalizer.from_bytes(raw)
    best = matches.best()
    if best is None:
        raise InputError("input is not text in any known encoding")
    chosen = best
    for match in matches:
        if (
            match.encoding == "cp1252"
            and match.chaos <= best.chaos + 0.01
            and match.coherence >= best.coherence - 0.01
        ):
            chosen = match
            break
    return str(chosen)
