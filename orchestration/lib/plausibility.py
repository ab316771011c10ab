"""Plausible event times: an event the center cannot have had is quarantined at ingest.

A PBX whose clock was reset logs epoch 0 (1970); one set years ahead logs 2099. Loaded, such
an event makes a stint decades away from every other, counted in offered, and a newest event
that makes every other source look stale for years. So every source's parsed rows are split,
once, right before they load: an event before the center's `data_start` (its local midnight)
or more than `future_tolerance_hours` after the load time goes to raw.raw_quarantine with
its line and the reason, and counts as quarantined in the file's ledger. The event time is
the row's partition time (RawSource.event_at_sql, UTC): queue_log's epoch, the CDR's start
(the PBX's wall clock, in its zone), the CRM version time, the survey's submitted_at.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from orchestration.lib.center_config import Center

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

    from orchestration.lib.raw_store import PartitionZones, RawSource
    from orchestration.sources.parsed import ParsedFile

_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class PlausibleTimes:
    """The event times a load accepts: from local midnight of `data_start` in `center_zone`
    to `future_tolerance_hours` after `load_at` (naive UTC), both ends included."""

    data_start: dt.date
    center_zone: str
    load_at: dt.datetime
    future_tolerance_hours: float

    @classmethod
    def of(cls, center: Center, load_at: dt.datetime | None = None) -> PlausibleTimes:
        """The center's window for a load at `load_at` (naive UTC; default now)."""
        now = load_at or dt.datetime.now(dt.UTC).replace(tzinfo=None)
        return cls(center.data_start, center.timezone, now, center.future_tolerance_hours)

    @property
    def earliest(self) -> dt.datetime:
        midnight = dt.datetime.combine(self.data_start, dt.time(), ZoneInfo(self.center_zone))
        return midnight.astimezone(dt.UTC).replace(tzinfo=None)

    @property
    def latest(self) -> dt.datetime:
        return self.load_at + dt.timedelta(hours=self.future_tolerance_hours)

    def reason(self, event_at: dt.datetime | None) -> str | None:
        """Why an event at `event_at` (naive UTC; None: past any timestamp) is implausible,
        or None."""
        after_load = (
            f"more than {self.future_tolerance_hours:g} h (future_tolerance_hours) after the"
            f" load time {self.load_at:{_TIME_FORMAT}} UTC"
        )
        if event_at is None:
            return f"event time is past the year 2262, {after_load}"
        if event_at < self.earliest:
            return (
                f"event time {event_at:{_TIME_FORMAT}} UTC is before data_start"
                f" {self.data_start} ({self.center_zone})"
            )
        if event_at > self.latest:
            return f"event time {event_at:{_TIME_FORMAT}} UTC is {after_load}"
        return None


def quarantine_implausible(
    con: duckdb.DuckDBPyConnection,
    source: RawSource,
    zones: PartitionZones,
    times: PlausibleTimes,
    parsed: ParsedFile,
    rows: pd.DataFrame,
) -> pd.DataFrame:
    """The plausible rows of `rows` (the parsed file's events, in order); the others are set
    aside into the file's quarantine (ParsedFile.set_aside) with the reason."""
    if rows.empty:
        return rows
    con.register("rows_to_check", rows.assign(row_position=range(len(rows))))
    try:
        # Only the implausible rows come back to Python (a month's log has 10^5 rows); a null
        # time is one past pandas' timestamps (queue_log_rows).
        implausible = con.execute(
            "select row_position, event_at from ("
            f" select row_position, {zones.event_at_sql(source)} as event_at from rows_to_check"
            ") where event_at is null or event_at < ? or event_at > ? order by 1",
            [times.earliest, times.latest],
        ).fetchall()
    finally:
        con.unregister("rows_to_check")
    reasons = {
        position: reason
        for position, event_at in implausible
        if (reason := times.reason(event_at)) is not None
    }
    parsed.set_aside(reasons)
    return rows.drop(index=rows.index[list(reasons)]).reset_index(drop=True)
