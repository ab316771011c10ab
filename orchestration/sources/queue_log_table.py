"""Parser for queue_log exported from the realtime/ODBC `queue_log` table (CSV with a header).

Layouts seen: Asterisk's realtime table (`time` as a datetime, `callid, queuename, agent,
event`, then `data1..data5` or one pipe-joined `data`), and PBXware's export (`date_time` as
a Unix epoch, `queue_name`, the agent in `type`, `param1..param3`, plus computed columns).
Columns are found by name; columns the layout does not use are kept as JSON on the event.

A row's identity includes the table's row id (`id`, PBXware's `uid`) when the export has one:
the table holds distinct rows that a flat log could not tell apart (PBXware logs some OUTDIAL
rows twice in the same second), so only a row repeated with its id is a duplicate.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from orchestration.sources.csv_export import csv_fields
from orchestration.sources.parsed import QuarantinedLine
from orchestration.sources.queue_log import (
    ParsedQueueLog,
    QueueLogEvent,
    make_event,
    parse_epoch,
)
from orchestration.sources.text import decode_line

# Business field -> accepted column names, most specific first.
_EPOCH_COLUMNS = ("date_time", "unixtime", "epoch")  # always Unix seconds
_TIME_COLUMNS = ("time", "eventdate")  # a datetime on the PBX's clock, or an epoch
_ROW_ID_COLUMNS = ("id", "uid")
_FIELD_COLUMNS = {
    "callid": ("callid", "uniqueid"),
    "queuename": ("queuename", "queue_name", "queue"),
    "agent": ("agent", "membername", "type"),  # PBXware names the agent column `type`
    "event": ("event", "verb"),
}
_DATA_LAYOUTS = (
    tuple(f"data{i}" for i in range(1, 11)),
    tuple(f"param{i}" for i in range(1, 11)),
)


class _Layout:
    """Where each field sits in the export's columns."""

    def __init__(self, header: list[str]) -> None:
        names = [h.strip().lower() for h in header]
        self.width = len(names)
        self.epoch = next((names.index(c) for c in _EPOCH_COLUMNS if c in names), None)
        self.time = next((names.index(c) for c in _TIME_COLUMNS if c in names), None)
        self.row_id = next((names.index(c) for c in _ROW_ID_COLUMNS if c in names), None)
        self.fields = {
            field: next((names.index(c) for c in candidates if c in names), None)
            for field, candidates in _FIELD_COLUMNS.items()
        }
        self.data = next(
            (
                [names.index(c) for c in layout if c in names]
                for layout in _DATA_LAYOUTS
                if layout[0] in names
            ),
            [names.index("data")] if "data" in names else [],
        )
        self.split_data = names[self.data[0]] == "data" if self.data else False
        used = {self.epoch, *self.fields.values(), *self.data}
        if self.epoch is None:
            used.add(self.time)
        self.extra = [(i, names[i]) for i in range(len(names)) if i not in used]
        missing = [f for f, i in self.fields.items() if i is None and f != "agent"]
        if self.epoch is None and self.time is None:
            missing.insert(0, "time")
        self.problem = (
            f"the header has no column for {', '.join(missing)} (columns: {', '.join(names)})"
            if missing
            else None
        )


def parse_queue_log_table(lines: Iterable[bytes], pbx_zone: str) -> ParsedQueueLog:
    """Parses a CSV export whose first line is the header; `pbx_zone` is the IANA zone of
    datetime (not epoch) columns."""
    parsed = ParsedQueueLog()
    seen: set[str] = set()
    zone = ZoneInfo(pbx_zone)
    layout: _Layout | None = None
    for line_number, raw in enumerate(lines, start=1):
        text = decode_line(raw).rstrip("\r\n")
        row = csv_fields(text)
        if layout is None:
            layout = _Layout(row if isinstance(row, list) else [])
            parsed.header_line_count = 1
            continue
        outcome = layout.problem or (
            row if isinstance(row, str) else _event(layout, row, line_number, zone)
        )
        parsed.add(
            QuarantinedLine(line_number, text, outcome) if isinstance(outcome, str) else outcome,
            seen,
            text,
        )
    return parsed


def _event(
    layout: _Layout, row: list[str], line_number: int, zone: ZoneInfo
) -> QueueLogEvent | str:
    if not any(cell.strip() for cell in row):
        return "empty line"
    if len(row) != layout.width:
        return f"expected {layout.width} columns as in the header, found {len(row)}"
    epoch = _row_epoch(layout, row, zone)
    if isinstance(epoch, str):
        return epoch
    values = {f: (row[i] if i is not None else "NONE") for f, i in layout.fields.items()}
    if not values["event"].strip():
        return "event name is empty"
    data: list[str | None] = [row[i] for i in layout.data]
    if layout.split_data:
        data = data[0].split("|") if data[0] else []
    extra = {name: row[i] for i, name in layout.extra if row[i] != ""}
    return make_event(
        line_number,
        epoch,
        values["callid"],
        values["queuename"],
        values["agent"],
        values["event"].strip(),
        data,
        json.dumps(extra, sort_keys=True) if extra else None,
        row_id=row[layout.row_id] if layout.row_id is not None else None,
    )


def _row_epoch(layout: _Layout, row: list[str], zone: ZoneInfo) -> float | str:
    """Unix time of the row, or the reason there is none."""
    if layout.epoch is not None:
        epoch = parse_epoch(row[layout.epoch])
        return (
            epoch
            if epoch is not None
            else (f"time column {row[layout.epoch]!r} is not a Unix epoch")
        )
    text = row[layout.time].strip()
    epoch = parse_epoch(text)
    if epoch is not None:
        return epoch
    try:
        wall = dt.datetime.fromisoformat(text)
    except ValueError:
        return f"time column {text!r} is neither a datetime nor a Unix epoch"
    # A wall-clock time in the repeated hour of a fall-back night is ambiguous; fold=0 takes
    # its first occurrence, as Asterisk's realtime table gives no way to tell.
    return (wall if wall.tzinfo else wall.replace(tzinfo=zone)).timestamp()
