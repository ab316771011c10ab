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

    @property
    def lines_read(self) -> int:
        return (
            len(self.events) + len(self.quarantined) + self.duplicate_count + self.header_line_count
        )
