"""The shared reader of CRM and survey exports never raises on a file's content: a broken
record is quarantined with its line and reason, a broken file with the reason that applies."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import pytest

from orchestration.lib.landing import LandingFile, complete_lines
from orchestration.sources.csv_export import iso_utc
from orchestration.sources.survey import parse_survey_export

FIXTURES = Path(__file__).parents[1] / "fixtures" / "csv_export"
UNBALANCED = "unbalanced quote: a quoted field opens on this line and never closes"


def _parse_file(path: Path):
    """As the ingest reads a landing file: its text, its complete lines, the parser."""
    lines, _ = complete_lines(LandingFile(path).read_bytes(), keep_partial=True)
    return parse_survey_export(lines, "UTC")


def test_an_unbalanced_quote_quarantines_its_line_and_the_rest_loads() -> None:
    # Regression (issue 18): one unbalanced quote raised _csv.Error and blocked every publish.
    parsed = _parse_file(FIXTURES / "survey_unbalanced_quote.csv")
    assert [(r.line_number, r.response_id, r.comment) for r in parsed.events] == [
        (2, "R1", "fine"),
        (4, "R3", "two\nlines"),  # a quoted newline: lines 4-5 are one record
        (6, "R4", '12" screen'),  # a quote inside an unquoted field is text
        (7, "R5", "ok"),
    ]
    assert [(q.line_number, q.reason) for q in parsed.quarantined] == [
        (3, UNBALANCED),  # R2 would swallow R3 if it were read on to the next quote
        (8, "expected 5 fields as in the header, found 6"),
        (9, UNBALANCED),  # the last line: its quote is still open at the end of the file
    ]
    assert parsed.quarantined[0].raw_text.startswith("R2,1.2,")
    # 9 physical lines: a header, 4 responses (one on two lines), 3 quarantined records.
    assert (parsed.header_line_count, parsed.duplicate_count, parsed.lines_read) == (1, 0, 8)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-8"])
def test_an_export_with_a_byte_order_mark_loads(tmp_path: Path, encoding: str) -> None:
    # Regression (issue 18): Excel's "Unicode text" (UTF-16 LE, a mark, tabs, CRLF) was
    # quarantined whole as "lacks required column response_id".
    excel = FIXTURES / "survey_excel_unicode_text.csv"
    text = excel.read_bytes().decode("utf-16")
    mark = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}
    path = tmp_path / "survey.csv"
    path.write_bytes(mark.get(encoding, codecs.BOM_UTF8) + text.encode(encoding))
    parsed = _parse_file(path)
    assert parsed.quarantined == []
    assert [(r.response_id, r.csat, r.comment) for r in parsed.events] == [
        ("R1", 5, "Müller was great"),
        ("R2", 3, "客服很好"),
    ]
    assert parsed.events[1].submitted_at == dt.datetime(2026, 11, 2, 9, 16)
    if encoding == "utf-16-le":
        assert path.read_bytes() == excel.read_bytes()


def test_utf16_without_a_mark_is_quarantined_as_unreadable_text(tmp_path: Path) -> None:
    text = (FIXTURES / "survey_unbalanced_quote.csv").read_text().splitlines()[0] + "\n"
    path = tmp_path / "survey.csv"
    path.write_bytes((text + "R1,1.1,2026-11-02T09:15:00Z,5,fine\n").encode("utf-16-le"))
    parsed = _parse_file(path)
    reason = (
        "survey export is not text in a known encoding: its first line holds NUL bytes "
        "(UTF-16 without a byte-order mark, or a binary file)"
    )
    # Split at the newline byte, the two lines of text are three lines of bytes; none is a
    # header, so all three are quarantined.
    assert [(q.line_number, q.reason) for q in parsed.quarantined] == [
        (1, reason), (2, reason), (3, reason),
    ]  # fmt: skip
    assert (parsed.events, parsed.header_line_count) == ([], 0)


def test_a_file_without_its_header_says_so_and_keeps_its_first_line() -> None:
    lines = [b"R1,1.1,2026-11-02T09:15:00Z,5,fine", b"R2,1.2,2026-11-02T09:16:00Z,4,ok"]
    parsed = parse_survey_export(lines, "UTC")
    reason = "survey export has no header: its first line names none of its columns"
    assert [(q.line_number, q.raw_text, q.reason) for q in parsed.quarantined] == [
        (1, "R1,1.1,2026-11-02T09:15:00Z,5,fine", reason),
        (2, "R2,1.2,2026-11-02T09:16:00Z,4,ok", reason),
    ]
    assert (parsed.events, parsed.header_line_count, parsed.lines_read) == ([], 0, 2)


@pytest.mark.parametrize(
    ("text", "zone", "expected"),
    [
        ("2026-11-02T14:03:11.000Z", "UTC", dt.datetime(2026, 11, 2, 14, 3, 11)),
        ("2026-11-02 09:03:11", "America/New_York", dt.datetime(2026, 11, 2, 14, 3, 11)),
        # Sentinels at the calendar's edges cannot be moved to UTC: no time, never a crash.
        ("9999-12-31T23:00:00", "America/New_York", None),
        ("0001-01-01T00:00:00+01:00", "UTC", None),
        ("not a time", "UTC", None),
    ],
)
def test_iso_times_read_as_naive_utc(text: str, zone: str, expected: dt.datetime | None) -> None:
    assert iso_utc(text, zone) == expected
