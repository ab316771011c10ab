"""CSV exports of business systems (CRM, surveys): records that may span lines, ISO times."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from typing import TypeVar
from zoneinfo import ZoneInfo

from orchestration.sources.parsed import ParsedFile, QuarantinedLine
from orchestration.sources.text import decode_line

Row = TypeVar("Row")


def parse_csv_export(
    lines: list[bytes],
    file_problem: Callable[[list[str]], str | None],
    to_row: Callable[[list[str], list[str], int], Row | str],
    identity: Callable[[Row], str],
) -> ParsedFile[Row]:
    """A header-first CSV export, record by record. If `file_problem(header)` names one (a
    required column missing), every record is quarantined with it: nothing half-loads. Else
    `to_row(header, values, line_number)` gives the row or the reason to quarantine it, and a
    row with the `identity` of an earlier one is an exact duplicate."""
    parsed: ParsedFile[Row] = ParsedFile()
    records = csv_records(lines)
    if not records:
        return parsed
    (_, _, header), *body = records
    parsed.header_line_count = 1
    problem = file_problem(header)
    if problem is not None:
        parsed.quarantined += [QuarantinedLine(n, text, problem) for n, text, _ in body]
        return parsed
    seen: set[str] = set()
    for line_number, text, values in body:
        row = to_row(header, values, line_number)
        if isinstance(row, str):
            parsed.quarantined.append(QuarantinedLine(line_number, text, row))
        elif identity(row) in seen:
            parsed.duplicate_count += 1
        else:
            seen.add(identity(row))
            parsed.events.append(row)
    return parsed


def csv_records(raw_lines: list[bytes]) -> list[tuple[int, str, list[str]]]:
    """(first line number, raw text, values) per CSV record; blank lines are records too
    (quarantined later), so that every line is accounted for."""
    lines = [decode_line(line) for line in raw_lines]
    records = []
    index = 0
    while index < len(lines):
        start = index
        text = lines[index]
        # A record goes on while its quotes are unbalanced (a quoted newline).
        while text.count('"') % 2 and index + 1 < len(lines):
            index += 1
            text += "\n" + lines[index]
        values = next(csv.reader([text]), [])
        records.append((start + 1, text, values))
        index += 1
    return records


def iso_utc(text: str, naive_zone: str = "UTC") -> dt.datetime | None:
    """ISO 8601 date-times (Salesforce's 2026-11-02T14:03:11.000Z, ...+0000) as naive UTC;
    one without an offset is on the wall clock of `naive_zone`."""
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(naive_zone))
    return parsed.astimezone(dt.UTC).replace(tzinfo=None)
