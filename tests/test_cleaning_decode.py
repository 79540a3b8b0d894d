"""decode(): bytes of unknown encoding in, normalised text out, or a one-line InputError."""

from __future__ import annotations

import codecs

import pytest

from extractor.cleaning import decode
from extractor.errors import InputError

_TEXT = "Café “Zürich” – 3 000 € naïve 日本語 🎉\n"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(_TEXT.encode("utf-8"), _TEXT, id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + _TEXT.encode("utf-8"), _TEXT, id="utf-8-bom"),
        pytest.param(_TEXT.encode("utf-16"), _TEXT, id="utf-16-bom"),
        pytest.param(codecs.BOM_UTF16_BE + _TEXT.encode("utf-16-be"), _TEXT, id="utf-16-be-bom"),
        pytest.param(_TEXT.encode("utf-32"), _TEXT, id="utf-32-bom"),
        pytest.param(
            ("Senior engineer\n" * 20).encode("utf-16-le"), "Senior engineer\n" * 20, id="utf-16-le"
        ),
        pytest.param(
            "Développeur à Paris, salaire très élevé".encode("latin-1"),
            "Développeur à Paris, salaire très élevé",
            id="latin-1",
        ),
        pytest.param(
            "Café crème, 3–5 jours, €40k, naïve “quotes”".encode("cp1252"),
            "Café crème, 3–5 jours, €40k, naïve “quotes”",
            id="cp1252",
        ),
        pytest.param(
            "Привет, вакансия разработчика в Москве".encode("cp1251"),
            "Привет, вакансия разработчика в Москве",
            id="cp1251",
        ),
        pytest.param("TikTokâ€™s privacy".encode(), "TikTok’s privacy", id="mojibake"),
        pytest.param("CafÃ© crÃ¨me".encode(), "Café crème", id="mojibake-latin"),
        pytest.param(b"a\r\nb\rc\n", "a\nb\nc\n", id="line-breaks"),
        pytest.param(b"a\x00b\x07c\td\x1b\x7fe", "abc\tde", id="control-chars"),
        pytest.param("Cafe\u0301".encode(), "Café", id="nfc"),
        # normal text is left alone: curly quotes, ligatures, full width, entities
        pytest.param(
            "“ﬁne” ＡＢＣ &amp; <b>".encode(), "“ﬁne” ＡＢＣ &amp; <b>", id="normal-text-unchanged"
        ),
    ],
)
def test_decode(raw: bytes, expected: str) -> None:
    assert decode(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b" \n\t \r\n", "empty", id="whitespace"),
        pytest.param(b"\x00\x01\x02\x03" * 10, "no text|binary", id="controls-only"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF", id="pdf"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG", id="png"),
        pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG", id="jpeg"),
        pytest.param(b"PK\x03\x04\x14\x00\x06\x00", "ZIP", id="zip"),
        pytest.param(b"\x1f\x8b\x08\x00\x00\x00", "gzip", id="gzip"),
        pytest.param(b"\x00\x00\x01\x00data\x00\x00\x00\x02" * 50, "binary", id="nul-heavy"),
        pytest.param(bytes(range(256)) * 8, "not text", id="undecodable"),
        pytest.param(codecs.BOM_UTF16_LE + b"\x00\xd8", "utf-16", id="broken-utf-16"),
    ],
)
def test_decode_rejects(raw: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        decode(raw)
    assert "\n" not in str(info.value)
