"""What every source parser returns: rows, quarantined lines, and counts that account for
every line read."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Row = TypeVar("Row")


def line_hash(text: str) -> str:
    """Identity of a line: two lines with the same text are exact duplicates."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class QuarantinedLine:
    line_number: int
    raw_text: str
    reason: str


@dataclass
class ParsedFile(Generic[Row]):
    """Every line read is exactly one of: a row (`events`), quarantined (with a reason), an
    exact duplicate of an earlier line, or a header line naming the columns."""

    events: list[Row] = field(default_factory=list)
    quarantined: list[QuarantinedLine] = field(default_factory=list)
    duplicate_count: int = 0
    header_line_count: int = 0
    # The raw text of each event, by its line number: what the quarantine keeps if a check
    # after parsing sets the event aside (set_aside).
    texts: dict[int, str] = field(default_factory=dict)

    def add_event(self, event: Row, line_number: int, text: str) -> None:
        self.events.append(event)
        self.texts[line_number] = text

    def set_aside(self, reasons: dict[int, str]) -> None:
        """Quarantines the events at these positions of `events` with their reasons (a check
        after parsing, orchestration/lib/plausibility.py); every line stays counted once."""
        if not reasons:
            return
        for position, reason in sorted(reasons.items()):
            number = self.events[position].line_number  # type: ignore[attr-defined]
            self.quarantined.append(QuarantinedLine(number, self.texts[number], reason))
        self.events = [e for position, e in enumerate(self.events) if position not in reasons]

    @property
    def lines_read(self) -> int:
        return (
            len(self.events) + len(self.quarantined) + self.duplicate_count + self.header_line_count
        )
