"""Decoding of source text whose encoding nobody declared.

Two steps. A whole file first: a byte-order mark declares its encoding (Excel's "Unicode
text" is UTF-16 with one), and such a file is turned into UTF-8 before its lines are split,
because a UTF-16 newline is two bytes that a byte-level split would cut. Then every line
of a file without a mark is decoded on its own (`decode_line`), since PBX logs mix
encodings from line to line.
"""

from __future__ import annotations

import codecs

# UTF-8 first (Asterisk's default); GB18030 next, a superset of GBK, for Chinese deployments;
# Latin-1 last because it maps every byte, so decoding never fails and no byte is lost.
_ENCODINGS = ("utf-8", "gb18030", "latin-1")

# UTF-32 LE's mark starts with UTF-16 LE's; no source writes UTF-32, so it is not looked for.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def as_utf8(data: bytes) -> bytes:
    """A file's bytes in UTF-8 without its byte-order mark, if it has one; else unchanged.

    Bytes the marked encoding cannot decode (a cut last code unit) stay visible as \\x..
    escapes in the line they belong to rather than vanish.
    """
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            text = data[len(mark) :].decode(encoding, errors="backslashreplace")
            return text.encode("utf-8", errors="backslashreplace")
    return data


def decode_line(raw: bytes) -> str:
    """Decodes one line with the first encoding that accepts all of its bytes."""
    for encoding in _ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte string")  # pragma: no cover
