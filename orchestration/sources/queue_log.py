"""Parser for Asterisk queue_log files: `epoch|callid|queue|agent|EVENT|data1|...|dataN`.

Pure: bytes in, typed events and quarantined lines out. Every line read ends up in exactly
one of: `events` (loaded), `quarantined` (with a reason) or `duplicate_count`. Events the
parser does not know are kept with their fields; only lines that cannot be an event at all
are quarantined.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from orchestration.sources.text import decode_line

MIN_FIELDS = 5  # time, callid, queue, agent, event
NAMED_DATA_FIELDS = 5  # data1..data5; any further fields travel in data_extra


@dataclass(frozen=True)
class QueueLogEvent:
    line_number: int
    line_hash: str
    event_epoch: float
    callid: str
    queuename: str
    agent: str
    event: str
    data: tuple[str | None, ...]  # data1..data5, None where the line has fewer fields
    data_extra: str | None


@dataclass(frozen=True)
class QuarantinedLine:
    line_number: int
    raw_text: str
    reason: str


@dataclass
class ParsedQueueLog:
    events: list[QueueLogEvent] = field(default_factory=list)
    quarantined: list[QuarantinedLine] = field(default_factory=list)
    duplicate_count: int = 0

    @property
    def lines_read(self) -> int:
        return len(self.events) + len(self.quarantined) + self.duplicate_count


def line_hash(text: str) -> str:
    """Identity of a line: two lines with the same text are exact duplicates."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def parse_queue_log(lines: Iterable[bytes]) -> ParsedQueueLog:
    """Parses raw lines (with or without their line ending) of one queue_log file."""
    parsed = ParsedQueueLog()
    seen: set[str] = set()
    for line_number, raw in enumerate(lines, start=1):
        text = decode_line(raw).rstrip("\r\n")
        digest = line_hash(text)
        if digest in seen:
            parsed.duplicate_count += 1
            continue
        seen.add(digest)
        event_or_reason = _parse_line(text, line_number, digest)
        if isinstance(event_or_reason, str):
            parsed.quarantined.append(QuarantinedLine(line_number, text, event_or_reason))
        else:
            parsed.events.append(event_or_reason)
    return parsed


def _parse_line(text: str, line_number: int, digest: str) -> QueueLogEvent | str:
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
    epoch = _epoch(epoch_text)
    if epoch is None:
        return f"time field {epoch_text!r} is not a Unix epoch"
    if not event.strip():
        return "event name is empty"
    named = data[:NAMED_DATA_FIELDS]
    extra = data[NAMED_DATA_FIELDS:]
    return QueueLogEvent(
        line_number=line_number,
        line_hash=digest,
        event_epoch=epoch,
        callid=callid,
        queuename=queuename,
        agent=agent,
        event=event.strip(),
        data=tuple(named) + (None,) * (NAMED_DATA_FIELDS - len(named)),
        data_extra="|".join(extra) if extra else None,
    )


def _epoch(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None
