"""CSV exports of business systems (CRM, surveys): records that may span lines, ISO times.

The reader never raises on a file's content. A record it cannot read (an unbalanced quote,
a field count other than the header's) is quarantined with the line it starts on and the
reason, and the records after it load. A file it cannot read at all (no header, not text)
is quarantined whole, with the reason that applies.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator
from typing import TypeVar
from zoneinfo import ZoneInfo

from orchestration.sources.parsed import ParsedFile, QuarantinedLine
from orchestration.sources.text import decode_line

Row = TypeVar("Row")

# Excel writes "Unicode text" tab-separated and, in many locales, CSV semicolon-separated.
_DELIMITERS = (",", "\t", ";")
_UNBALANCED = "unbalanced quote: a quoted field opens on this line and never closes"


def parse_csv_export(
    lines: list[bytes],
    *,
    what: str,
    columns: frozenset[str],
    file_problem: Callable[[list[str]], str | None],
    to_row: Callable[[list[str], list[str], int], Row | str],
    identity: Callable[[Row], str],
) -> ParsedFile[Row]:
    """A header-first export (`what`, e.g. "survey export"), record by record.

    A first line naming none of `columns` (lower-case) is no header, and the whole file is
    quarantined, that line included. If `file_problem(header)` names one (a required column
    missing), every record is quarantined with it: nothing half-loads. Else `to_row(header,
    values, line_number)` gives the row or the reason to quarantine it, and a row with the
    `identity` of an earlier one is an exact duplicate.
    """
    parsed: ParsedFile[Row] = ParsedFile()
    texts = [decode_line(line) for line in lines]
    if not texts:
        return parsed
    delimiter = _delimiter(texts[0])
    header = csv_fields(texts[0], delimiter)
    unreadable = _unreadable_header(what, texts[0], header, columns)
    if unreadable is not None:
        parsed.quarantined += [QuarantinedLine(n, t, unreadable) for n, t in enumerate(texts, 1)]
        return parsed
    assert not isinstance(header, str)  # _unreadable_header said why otherwise
    parsed.header_line_count = 1
    problem = file_problem(header)
    if problem is not None:
        parsed.quarantined += [
            QuarantinedLine(n, text, problem) for n, text, _ in _records(texts, delimiter, 0)
        ]
        return parsed
    seen: set[str] = set()
    for line_number, text, values in _records(texts, delimiter, len(header)):
        row = values if isinstance(values, str) else to_row(header, values, line_number)
        if isinstance(row, str):
            parsed.quarantined.append(QuarantinedLine(line_number, text, row))
        elif identity(row) in seen:
            parsed.duplicate_count += 1
        else:
            seen.add(identity(row))
            parsed.add_event(row, line_number, text)
    return parsed


def _delimiter(header: str) -> str:
    """The delimiter that splits the header into the most columns (a comma on a tie)."""
    columns = {d: csv_fields(header, d) for d in _DELIMITERS}
    return max(_DELIMITERS, key=lambda d: len(columns[d]) if isinstance(columns[d], list) else 0)


def _unreadable_header(
    what: str, text: str, header: list[str] | str, columns: frozenset[str]
) -> str | None:
    """Why the first line is no header at all, or None."""
    if "\x00" in text:
        return (
            f"{what} is not text in a known encoding: its first line holds NUL bytes "
            "(UTF-16 without a byte-order mark, or a binary file)"
        )
    if isinstance(header, str):
        return f"{what} has no header: its first line is {header}"
    if not {name.strip().lower() for name in header} & columns:
        return f"{what} has no header: its first line names none of its columns"
    return None


def csv_fields(text: str, delimiter: str = ",", *, strict: bool = False) -> list[str] | str:
    """The fields of one record's text, or why it is not a CSV record: every CSV reader of
    the sources goes through here, so none raises on a file's content. Not `strict`, a quote
    inside an unquoted field is kept as text (`12" screen`), as sources have always loaded."""
    try:
        return next(csv.reader([text], delimiter=delimiter, strict=strict), [])
    except csv.Error as error:  # a newline outside quotes, a field over the size limit
        return f"not a CSV record: {error}"


def _ends_in_quotes(text: str, delimiter: str, inside: bool) -> bool:
    """Whether a line that starts `inside` a quoted field ends inside one. A quote opens a
    field only at its start; inside, a doubled quote is a quote and a single one closes."""
    position = text.find('"')
    while position != -1:
        if inside and text.startswith('""', position):
            position += 1
        elif inside:
            inside = False
        elif position == 0 or text[position - 1] == delimiter:
            inside = True
        position = text.find('"', position + 1)
    return inside


def _records(
    texts: list[str], delimiter: str, width: int
) -> Iterator[tuple[int, str, list[str] | str]]:
    """(first line number, raw text, values or the reason they cannot be read) per record
    after the header; blank lines are records too (quarantined later), so that every line
    is accounted for. `width` is the header's field count (0: not checked).

    A record goes on to the next line while a quoted field is open (a quoted newline). A
    record so joined must be well-formed and have the header's field count; else its first
    line has an unbalanced quote, that line alone is quarantined and reading resumes at the
    next one, so one stray quote never swallows the lines after it.
    """
    index = 1
    while index < len(texts):
        end = index
        inside = _ends_in_quotes(texts[index], delimiter, inside=False)
        while inside and end + 1 < len(texts):
            end += 1
            inside = _ends_in_quotes(texts[end], delimiter, inside=True)
        text = "\n".join(texts[index : end + 1])
        values = _UNBALANCED if inside else csv_fields(text, delimiter, strict=end > index)
        if end > index and (isinstance(values, str) or width and len(values) != width):
            end, text, values = index, texts[index], _UNBALANCED
        if isinstance(values, str):
            yield index + 1, text, values
        elif width and len(values) != width:
            yield index + 1, text, f"expected {width} fields as in the header, found {len(values)}"
        else:
            yield index + 1, text, values
        index = end + 1


def iso_utc(text: str, naive_zone: str = "UTC") -> dt.datetime | None:
    """ISO 8601 date-times (Salesforce's 2026-11-02T14:03:11.000Z, ...+0000) as naive UTC;
    one without an offset is on the wall clock of `naive_zone`."""
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(naive_zone))
    try:
        return parsed.astimezone(dt.UTC).replace(tzinfo=None)
    except OverflowError:  # a sentinel at the calendar's edge (9999-12-31 west of UTC)
        return None
