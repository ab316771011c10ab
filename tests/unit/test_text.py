"""A byte-order mark decides a file's encoding; other files are decoded line by line."""

from __future__ import annotations

import pytest

from orchestration.sources.text import as_utf8, decode_line


@pytest.mark.parametrize(
    ("data", "utf8"),
    [
        (b"\xff\xfeA\x00\xe9\x00\n\x00", "Aé\n".encode()),  # UTF-16 LE, as Excel writes it
        (b"\xfe\xff\x00A\x00\xe9\x00\n", "Aé\n".encode()),  # UTF-16 BE
        (b"\xef\xbb\xbfA\xc3\xa9\n", "Aé\n".encode()),  # UTF-8 with a mark: the mark goes
        (b"A\xc3\xa9\n", "Aé\n".encode()),  # no mark: unchanged
        (b"\xb2\xe2\xca\xd4\n", b"\xb2\xe2\xca\xd4\n"),  # GBK, no mark: unchanged
        # A cut last code unit stays visible as an escape, never dropped.
        (b"\xff\xfeA\x00B", b"A\\x42"),
    ],
)
def test_a_byte_order_mark_decides_the_encoding(data: bytes, utf8: bytes) -> None:
    assert as_utf8(data) == utf8


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("Aé".encode(), "Aé"),
        ("测试".encode("gbk"), "测试"),
        (b"caf\xe9", "café"),  # Latin-1: neither UTF-8 nor GB18030
    ],
)
def test_a_line_without_a_mark_takes_the_first_encoding_that_fits(raw: bytes, text: str) -> None:
    assert decode_line(raw) == text
