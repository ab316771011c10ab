"""Parser for Asterisk CDR CSV files (Master.csv of cdr_csv or cdr_custom, and table exports).

Pure: bytes in, typed records and quarantined lines out. Every line read ends up in exactly one
of: `events` (loaded), `quarantined` (with a reason), `duplicate_count` (a repeat of an earlier
line's exact text) or `header_line_count` (a row naming the columns).

The column layout comes from a header row when the file has one (columns mapped by name, unknown
ones kept in `extra`), else from the data: the first line whose start time and disposition sit
where a known layout puts them decides the layout of the file, never the file name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from orchestration.sources.csv_export import csv_fields
from orchestration.sources.parsed import ParsedFile, QuarantinedLine, line_hash
from orchestration.sources.text import decode_line

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_TIME_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")
_INTEGER_PATTERN = re.compile(r"-?[0-9]+")  # ASCII digits only, as Asterisk writes them

# Values Asterisk writes (ast_cdr_disp2str); used to recognise a layout, not to reject a record.
KNOWN_DISPOSITIONS = frozenset({"ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION"})

_BASE_COLUMNS = (
    "accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp",
    "lastdata", "start", "answer", "end", "duration", "billsec", "disposition", "amaflags",
)  # fmt: skip
_LOG_COLUMNS = ("uniqueid", "userfield")  # cdr.conf [csv] loguniqueid / loguserfield
_NEW_COLUMNS = ("peeraccount", "linkedid", "sequence")  # [csv] newcdrcolumns, Asterisk 1.8+
# The mapping of Asterisk's sample cdr_custom.conf, which also writes to a file named Master.csv.
_CUSTOM_COLUMNS = (
    "clid", "src", "dst", "dcontext", "channel", "dstchannel", "lastapp", "lastdata", "start",
    "answer", "end", "duration", "billsec", "disposition", "amaflags", "accountcode", "uniqueid",
    "userfield", "sequence",
)  # fmt: skip
KNOWN_COLUMNS = frozenset(_BASE_COLUMNS + _LOG_COLUMNS + _NEW_COLUMNS)
# Names table exports (cdr_mysql, cdr_adaptive_odbc, PBXware) give to a known column.
_HEADER_ALIASES = {"calldate": "start"}
_REQUIRED_COLUMNS = frozenset({"start", "duration", "billsec", "disposition"})

_Fields = list[str] | str  # the CSV fields of a line, or the reason it has none


@dataclass(frozen=True)
class CdrLayout:
    name: str
    columns: tuple[str, ...]  # one name per field; names outside KNOWN_COLUMNS go to `extra`

    @property
    def width(self) -> int:
        return len(self.columns)


# cdr_csv with the [csv] options on and off; all widths differ, so the field count picks one.
CDR_CSV_LAYOUTS = tuple(
    CdrLayout("cdr_csv", _BASE_COLUMNS + log + new)
    for log in (_LOG_COLUMNS, ())
    for new in (_NEW_COLUMNS, ())
)
CDR_CUSTOM_LAYOUT = CdrLayout("cdr_custom", _CUSTOM_COLUMNS)


@dataclass(frozen=True)
class CdrRecord:
    line_number: int
    line_hash: str
    accountcode: str | None
    src: str | None
    dst: str | None
    dcontext: str | None
    clid: str | None
    channel: str | None
    dstchannel: str | None
    lastapp: str | None
    lastdata: str | None
    start: datetime  # naive, as written: the file's time zone is configuration
    answer: datetime | None
    end: datetime | None
    duration_seconds: int
    billsec_seconds: int
    disposition: str  # upper-case: ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION, ...
    amaflags: str | None  # as written: DOCUMENTATION in cdr_csv, the number 3 in table exports
    uniqueid: str | None  # a string: system-name prefixed forms like `pbx1-1706420300.0` exist
    userfield: str | None
    linkedid: str | None
    peeraccount: str | None
    sequence: int | None
    extra: dict[str, str | None] | None  # columns the layout has but this record does not know


@dataclass
class ParsedCdr(ParsedFile[CdrRecord]):
    layout: CdrLayout | None = None  # the layout the lines were read with, None if unrecognised


class _Rejected(ValueError):
    """The reason a line cannot be a CDR record."""


def parse_cdr(lines: Iterable[bytes], first_line_number: int = 1) -> ParsedCdr:
    """Parses raw lines (with or without their line ending) of one CDR CSV file.

    `first_line_number` numbers the lines of a file read from the middle (a grown Master.csv).
    Lines read before the layout is known wait until a line (or header) reveals it.
    """
    parsed = ParsedCdr()
    seen: set[str] = set()
    waiting: list[tuple[int, str, _Fields]] = []
    for line_number, raw in enumerate(lines, start=first_line_number):
        text = decode_line(raw).rstrip("\r\n")
        fields = csv_fields(text)
        header = _header_layout(fields)
        if header is not None:
            parsed.header_line_count += 1
            parsed.layout = header
        elif (key := line_hash(text)) in seen:
            parsed.duplicate_count += 1
            continue
        else:
            seen.add(key)
            if parsed.layout is None:
                parsed.layout = _detect_layout(fields)
            waiting.append((line_number, text, fields))
        if parsed.layout is not None:
            for pending in waiting:
                _load_or_quarantine(parsed, *pending)
            waiting.clear()
    for pending in waiting:  # the layout never showed
        _load_or_quarantine(parsed, *pending)
    return parsed


def _load_or_quarantine(parsed: ParsedCdr, line_number: int, text: str, fields: _Fields) -> None:
    """Adds the line to the loaded records or to the quarantine."""
    try:
        parsed.add_event(_record(line_number, text, fields, parsed.layout), line_number, text)
    except _Rejected as rejected:
        parsed.quarantined.append(QuarantinedLine(line_number, text, str(rejected)))


def _header_layout(fields: _Fields) -> CdrLayout | None:
    """The layout a header row names, if this line is one (it names the required columns)."""
    if isinstance(fields, str):
        return None
    names = [_HEADER_ALIASES.get(name.strip().lower(), name.strip().lower()) for name in fields]
    known = [name for name in names if name in KNOWN_COLUMNS]
    if not set(known) >= _REQUIRED_COLUMNS or len(known) != len(set(known)):
        return None
    # Unknown columns keep the header's own spelling as their key in `extra`.
    columns = tuple(
        n if n in KNOWN_COLUMNS else f.strip() for n, f in zip(names, fields, strict=True)
    )
    return CdrLayout("header row", columns)


def _detect_layout(fields: _Fields) -> CdrLayout | None:
    """The headerless layout whose start time and disposition positions fit this line.

    cdr_custom mappings often append columns to the sample's; those are kept as `column_<n>`.
    """
    if isinstance(fields, str):
        return None
    for layout in CDR_CSV_LAYOUTS:
        if layout.width == len(fields) and _fits(layout, fields):
            return layout
    if len(fields) >= CDR_CUSTOM_LAYOUT.width and _fits(CDR_CUSTOM_LAYOUT, fields):
        appended = tuple(f"column_{n}" for n in range(CDR_CUSTOM_LAYOUT.width + 1, len(fields) + 1))
        return CdrLayout(CDR_CUSTOM_LAYOUT.name, CDR_CUSTOM_LAYOUT.columns + appended)
    return None


def _fits(layout: CdrLayout, fields: Sequence[str]) -> bool:
    values = dict(zip(layout.columns, fields, strict=False))  # appended columns do not matter
    return (
        _TIME_PATTERN.fullmatch(values["start"]) is not None
        and values["disposition"].strip().upper() in KNOWN_DISPOSITIONS
    )


def _record(line_number: int, text: str, fields: _Fields, layout: CdrLayout | None) -> CdrRecord:
    """The record on this line, or _Rejected with the reason it cannot be one."""
    if not text.strip():
        raise _Rejected("empty line")
    if isinstance(fields, str):
        raise _Rejected(fields)
    if layout is None:
        raise _Rejected(
            "file layout not recognised: no header row names the columns and no line has its "
            "start time and disposition where cdr_csv or cdr_custom put them"
        )
    if len(fields) != layout.width:
        raise _Rejected(
            f"expected {layout.width} fields for the {layout.name} layout, found {len(fields)}"
        )
    values = {column: _value(value) for column, value in zip(layout.columns, fields, strict=True)}
    start = _time(values, "start")
    if start is None:
        raise _Rejected("start time is missing")
    answer = _time(values, "answer")
    end = _time(values, "end")
    duration = _seconds(values, "duration")
    billsec = _seconds(values, "billsec")
    _check_order(start, answer, end, duration, billsec)
    disposition = values.get("disposition")
    if disposition is None:
        raise _Rejected("disposition is missing")
    return CdrRecord(
        line_number=line_number,
        line_hash=line_hash(text),
        accountcode=values.get("accountcode"),
        src=values.get("src"),
        dst=values.get("dst"),
        dcontext=values.get("dcontext"),
        clid=values.get("clid"),
        channel=values.get("channel"),
        dstchannel=values.get("dstchannel"),
        lastapp=values.get("lastapp"),
        lastdata=values.get("lastdata"),
        start=start,
        answer=answer,
        end=end,
        duration_seconds=duration,
        billsec_seconds=billsec,
        disposition=disposition.strip().upper(),
        amaflags=values.get("amaflags"),
        uniqueid=values.get("uniqueid"),
        userfield=values.get("userfield"),
        linkedid=values.get("linkedid"),
        peeraccount=values.get("peeraccount"),
        sequence=_optional_integer(values, "sequence"),
        extra={k: v for k, v in values.items() if k not in KNOWN_COLUMNS} or None,
    )


def _value(text: str) -> str | None:
    """A field's text; None where it is empty or a NULL literal of a table export."""
    return None if text in ("", "NULL") else text


def _time(values: dict[str, str | None], column: str) -> datetime | None:
    text = values.get(column)
    if text is None:
        return None
    if _TIME_PATTERN.fullmatch(text):
        try:
            return datetime.strptime(text, TIME_FORMAT)
        except ValueError:  # right shape, impossible date such as 2024-02-30
            pass
    raise _Rejected(f"{column} time {text!r} is not a YYYY-MM-DD HH:MM:SS time")


def _seconds(values: dict[str, str | None], column: str) -> int:
    text = values.get(column)
    if text is None:
        raise _Rejected(f"{column} is missing")
    if not _INTEGER_PATTERN.fullmatch(text):
        raise _Rejected(f"{column} {text!r} is not a whole number of seconds")
    if int(text) < 0:
        raise _Rejected(f"{column} {text} is negative")
    return int(text)


def _optional_integer(values: dict[str, str | None], column: str) -> int | None:
    text = values.get(column)
    if text is None:
        return None
    if not _INTEGER_PATTERN.fullmatch(text):
        raise _Rejected(f"{column} {text!r} is not an integer")
    return int(text)


def _check_order(
    start: datetime, answer: datetime | None, end: datetime | None, duration: int, billsec: int
) -> None:
    """Rejects times and durations that contradict each other (a corrupt or re-written row)."""
    if answer is not None and answer < start:
        raise _Rejected(f"answer {answer} is before start {start}")
    if end is not None and end < start:
        raise _Rejected(f"end {end} is before start {start}")
    if end is not None and answer is not None and end < answer:
        raise _Rejected(f"end {end} is before answer {answer}")
    if billsec > duration:
        raise _Rejected(f"billsec {billsec} is longer than duration {duration}")
