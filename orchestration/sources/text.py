"""Decoding of PBX text lines whose encoding nobody declared."""

from __future__ import annotations

# UTF-8 first (Asterisk's default); GB18030 next, a superset of GBK, for Chinese deployments;
# Latin-1 last because it maps every byte, so decoding never fails and no byte is lost.
_ENCODINGS = ("utf-8", "gb18030", "latin-1")


def decode_line(raw: bytes) -> str:
    """Decodes one line with the first encoding that accepts all of its bytes."""
    for encoding in _ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte string")  # pragma: no cover
