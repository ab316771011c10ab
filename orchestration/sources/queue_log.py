"""Parser for Asterisk queue_log files: `epoch|callid|queue|agent|EVENT|data1|...|dataN`.

Pure: bytes in, typed events and quarantined lines out. Every line read ends up in exactly
one of: `events` (loaded), `quarantined` (with a reason) or `duplicate_count`. Events the
parser does not know are kept with their fields; only lines that cannot be an event at all
are quarantined.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from orchestration.sources.parsed import ParsedFile, QuarantinedLine, line_hash
from orchestration.sources.text import decode_line

MIN_FIELDS = 5  # time, callid, queue, agent, event
NAMED_DATA_FIELDS = 5  # data1..data5; any further fields travel in data_extra


@dataclass(frozen=True)
class QueueLogEvent:
    line_number: int
    # Identity of the event: exact duplicates share it, whatever the file format; a table
    # export's row id is part of it.
    event_hash: str
    event_epoch: float
    callid: str
    queuename: str
    agent: str
    event: str
    data: tuple[str | None, ...]  # data1..data5, None where the line has fewer fields
    data_extra: str | None
    extra_columns: str | None = None  # JSON of unknown columns of a table export


class ParsedQueueLog(ParsedFile[QueueLogEvent]):
    """Parsed queue_log; an event repeats another when its fields do, whatever the format."""

    def add(self, outcome: QueueLogEvent | QuarantinedLine, seen: set[str], text: str) -> None:
        """Files an event (its line's `text`) or a quarantined line, counting repeats as
        duplicates."""
        key = (
            line_hash(outcome.raw_text)
            if isinstance(outcome, QuarantinedLine)
            else outcome.event_hash
        )
        if key in seen:
            self.duplicate_count += 1
        elif isinstance(outcome, QuarantinedLine):
            seen.add(key)
            self.quarantined.append(outcome)
        else:
            seen.add(key)
            self.add_event(outcome, outcome.line_number, text)


def make_event(
    line_number: int,
    epoch: float,
    callid: str,
    queuename: str,
    agent: str,
    event: str,
    data: Sequence[str | None],
    extra_columns: str | None = None,
    row_id: str | None = None,
) -> QueueLogEvent:
    """An event from its fields; its hash ignores trailing empty data fields, which some
    writers (and table exports) drop or pad, and includes a table export's row id."""
    data = list(data)
    while data and not data[-1]:
        data.pop()
    canonical = "|".join([repr(epoch), callid, queuename, agent, event, *map(str, data)])
    if row_id is not None:
        canonical = f"{row_id}#{canonical}"
    named = data[:NAMED_DATA_FIELDS]
    extra = data[NAMED_DATA_FIELDS:]
    return QueueLogEvent(
        line_number=line_number,
        event_hash=line_hash(canonical),
        event_epoch=epoch,
        callid=callid,
        queuename=queuename,
        agent=agent,
        event=event,
        data=tuple(named) + (None,) * (NAMED_DATA_FIELDS - len(named)),
        data_extra="|".join(map(str, extra)) if extra else None,
        extra_columns=extra_columns,
    )


def parse_queue_log(lines: Iterable[bytes], first_line_number: int = 1) -> ParsedQueueLog:
    """Parses raw lines (with or without their line ending) of one queue_log file.

    `first_line_number` numbers the lines of a file read from the middle (a grown live log).
    """
    parsed = ParsedQueueLog()
    seen: set[str] = set()
    for line_number, raw in enumerate(lines, start=first_line_number):
        text = decode_line(raw).rstrip("\r\n")
        outcome = _parse_line(text, line_number)
        parsed.add(
            QuarantinedLine(line_number, text, outcome) if isinstance(outcome, str) else outcome,
            seen,
            text,
        )
    return parsed


def _parse_line(text: str, line_number: int) -> QueueLogEvent | str:
    """The event on this line, or the reason it cannot be one."""
    if not text.strip():
        return "empty line"
    fields = text.split("|")
    if len(fields) < MIN_FIELDS:
        return (
            f"expected at least {MIN_FIELDS} '|'-separated fields "
            f"(time|callid|queue|agent|event), found {len(fields)}"
        )
    epoch_text, callid, queuename, agent, event, *data = fields
    epoch = parse_epoch(epoch_text)
    if epoch is None:
        return f"time field {epoch_text!r} is not a Unix epoch"
    if not event.strip():
        return "event name is empty"
    return make_event(line_number, epoch, callid, queuename, agent, event.strip(), data)


def parse_epoch(text: str) -> float | None:
    """A Unix time as written (seconds, maybe with a fraction), or None."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None
