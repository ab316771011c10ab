"""Implausible event times are quarantined at ingest, in every source, with the reason
(issue 18: an epoch-0 queue_log line published a 1969 stint; one stamped 2099 made every
other source 632,425 h stale)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from orchestration.lib.center_config import Center
from orchestration.lib.landing import LandingFile
from orchestration.lib.plausibility import PlausibleTimes, quarantine_implausible
from orchestration.lib.raw_loader import cdr_rows, ingest_source, queue_log_rows, record_rows
from orchestration.lib.raw_store import (
    CDR,
    CRM,
    QUEUE_LOG,
    SURVEY,
    PartitionZones,
    RawSource,
    ensure_raw_tables,
)
from orchestration.sources.cdr import parse_cdr
from orchestration.sources.crm import CrmRecord, parse_crm_export
from orchestration.sources.parsed import ParsedFile
from orchestration.sources.queue_log import parse_queue_log
from orchestration.sources.queue_log_table import parse_queue_log_table
from orchestration.sources.survey import SurveyResponse, parse_survey_export

ZONE = "America/New_York"
ZONES = PartitionZones(center_zone=ZONE, pbx_zone=ZONE)
LOAD_AT = dt.datetime(2026, 11, 2, 12, 0, 0)  # UTC
TIMES = PlausibleTimes.of(Center(name="test", timezone=ZONE), LOAD_AT)

BEFORE_START = (
    "event time 1970-01-01 00:00:00 UTC is before data_start 2000-01-01 (America/New_York)"
)
IN_2099 = (
    "event time 2099-01-01 00:00:00 UTC is more than 24 h (future_tolerance_hours) after the"
    " load time 2026-11-02 12:00:00 UTC"
)
JUST_BEFORE_START = (
    "event time 2000-01-01 04:59:59 UTC is before data_start 2000-01-01 (America/New_York)"
)
JUST_PAST_TOLERANCE = (
    "event time 2026-11-03 12:00:01 UTC is more than 24 h (future_tolerance_hours) after the"
    " load time 2026-11-02 12:00:00 UTC"
)
# Each case: a time as the source writes it, and the reason it is quarantined (None: loads).
# In UTC: 1970-01-01 00:00 (epoch 0), 2099-01-01 00:00, data_start's local midnight
# (2000-01-01 05:00 UTC, 00:00 EST) and a second before it, 23 h after the load, exactly the
# tolerance after it, and a second more.
CASES = [
    ("1970-01-01 00:00:00", BEFORE_START),
    ("2099-01-01 00:00:00", IN_2099),
    ("2000-01-01 05:00:00", None),
    ("2000-01-01 04:59:59", JUST_BEFORE_START),
    ("2026-11-03 11:00:00", None),
    ("2026-11-03 12:00:00", None),
    ("2026-11-03 12:00:01", JUST_PAST_TOLERANCE),
]


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def _epoch(utc: str) -> str:
    return f"{_utc(utc).timestamp():.0f}"


def _wall_clock(utc: str) -> str:
    """The time as the PBX in New York writes it."""
    return f"{_utc(utc).astimezone(ZoneInfo(ZONE)):%Y-%m-%d %H:%M:%S}"


def _queue_log(utc: str) -> str:
    return f"{_epoch(utc)}|1762088400.{utc[:4]}|sales|NONE|ENTERQUEUE||5551234567|1"


def _queue_log_table(utc: str) -> str:
    # The realtime table's `time` is the PBX's wall clock.
    return f"{_wall_clock(utc)},1762088400.1,sales,NONE,ENTERQUEUE,,5551234567,1,,"


def _cdr(utc: str) -> str:
    start = _wall_clock(utc)
    return (
        f'"","5551234567","100","from-pstn","","PJSIP/trunk-a-1","PJSIP/1001-2","Dial","",'
        f'"{start}","{start}","{start}",0,0,"ANSWERED","DOCUMENTATION"'
    )


def _crm(utc: str) -> str:
    return f"003A{utc[:4]},Ann Lee,{utc.replace(' ', 'T')}.000Z"


def _survey(utc: str) -> str:
    return f"r{utc[:4]},1762088400.1,{utc.replace(' ', 'T')}Z,5"


# Per source kind: its raw source, header, a line at a UTC time, the parser and the rows.
SOURCES: dict[str, tuple[RawSource, str | None, Callable[[str], str], Callable, Callable]] = {
    "queue_log": (
        QUEUE_LOG, None, _queue_log,
        lambda lines: parse_queue_log(lines), queue_log_rows,
    ),
    "queue_log table export": (
        QUEUE_LOG, "time,callid,queuename,agent,event,data1,data2,data3,data4,data5",
        _queue_log_table, lambda lines: parse_queue_log_table(lines, ZONE), queue_log_rows,
    ),
    "cdr": (CDR, None, _cdr, lambda lines: parse_cdr(lines), cdr_rows),
    "crm": (
        CRM, "Id,Name,SystemModstamp", _crm,
        lambda lines: parse_crm_export(lines, "Contact.csv"), record_rows(CrmRecord),
    ),
    "survey": (
        SURVEY, "response_id,uniqueid,submitted_at,csat", _survey,
        lambda lines: parse_survey_export(lines, ZONE), record_rows(SurveyResponse),
    ),
}  # fmt: skip


def _lines(kind: str) -> list[bytes]:
    _, header, line, _, _ = SOURCES[kind]
    texts = ([header] if header else []) + [line(utc) for utc, _ in CASES]
    return [text.encode() for text in texts]


@pytest.mark.parametrize("kind", list(SOURCES))
def test_events_outside_the_plausible_times_are_set_aside_with_the_reason(kind: str) -> None:
    source, header, line, parse, to_rows = SOURCES[kind]
    parsed: ParsedFile = parse(_lines(kind))
    first = 2 if header else 1
    assert (len(parsed.events), parsed.quarantined) == (len(CASES), []), parsed.quarantined
    with duckdb.connect() as con:
        rows = quarantine_implausible(con, source, ZONES, TIMES, parsed, to_rows(parsed))
    expected = [
        (number, line(utc), reason)
        for number, (utc, reason) in enumerate(CASES, start=first)
        if reason is not None
    ]
    assert [(q.line_number, q.raw_text, q.reason) for q in parsed.quarantined] == expected
    kept = [number for number, (_, reason) in enumerate(CASES, start=first) if reason is None]
    assert list(rows["line_number"]) == kept
    assert [e.line_number for e in parsed.events] == kept
    assert parsed.lines_read == len(CASES) + (1 if header else 0)


def test_data_start_is_local_midnight_and_the_tolerance_is_configurable() -> None:
    center = Center(
        name="x", timezone="Asia/Shanghai", data_start=dt.date(2026, 1, 1),
        future_tolerance_hours=2,
    )  # fmt: skip
    times = PlausibleTimes.of(center, LOAD_AT)
    assert times.earliest == dt.datetime(2025, 12, 31, 16, 0)  # 00:00 in Shanghai (UTC+8)
    assert times.latest == dt.datetime(2026, 11, 2, 14, 0)
    assert times.reason(dt.datetime(2025, 12, 31, 16, 0)) is None
    assert times.reason(dt.datetime(2026, 11, 2, 14, 0, 1)) == (
        "event time 2026-11-02 14:00:01 UTC is more than 2 h (future_tolerance_hours) after"
        " the load time 2026-11-02 12:00:00 UTC"
    )


def test_an_epoch_past_any_timestamp_is_quarantined_not_raised() -> None:
    # Epoch 10^12 is the year 33658: past pandas' timestamps, it made the ingest raise.
    parsed = parse_queue_log([b"1000000000000|1.1|sales|NONE|ENTERQUEUE||5551234567|1"])
    with duckdb.connect() as con:
        rows = quarantine_implausible(con, QUEUE_LOG, ZONES, TIMES, parsed, queue_log_rows(parsed))
    assert rows.empty and parsed.events == []
    assert [q.reason for q in parsed.quarantined] == [
        "event time is past the year 2262, more than 24 h (future_tolerance_hours) after the"
        " load time 2026-11-02 12:00:00 UTC"
    ]


def test_quarantined_events_keep_the_ledger_adding_up(tmp_path: Path) -> None:
    # Regression: the epoch-0 and 2099 lines of a live log go to raw.raw_quarantine with
    # their file, line and text; a repeat of one is a duplicate; the ledger adds up.
    log = tmp_path / "queue_log"
    lines = [_queue_log(utc) for utc, _ in CASES] + [_queue_log(CASES[0][0])]
    log.write_text("\n".join(lines) + "\n")
    with duckdb.connect() as con:
        ensure_raw_tables(con)
        (entry,), _ = ingest_source(
            con, QUEUE_LOG, [LandingFile(log, can_grow=True)],
            lambda lines, plan: parse_queue_log(lines, plan.first_line_number),
            queue_log_rows, ZONES, plausible=TIMES,
        )  # fmt: skip
        quarantine = con.execute(
            "select source_file, line_number, raw_text, reason from raw.raw_quarantine order by 2"
        ).fetchall()
        loaded = con.execute("select line_number from raw.queue_log order by 1").fetchall()
        ledger = con.execute(
            "select lines_read, loaded_count, quarantined_count, duplicate_count, header_count"
            " from raw.ingest_files"
        ).fetchone()
    assert quarantine == [
        (str(log), n, lines[n - 1], reason)
        for n, (_, reason) in enumerate(CASES, start=1)
        if reason is not None
    ]
    assert loaded == [(3,), (5,), (6,)]
    assert ledger == (8, 3, 4, 1, 0)
    assert (entry.lines_read, entry.loaded_count, entry.quarantined_count) == (8, 3, 4)


def test_default_window_is_the_schema_default() -> None:
    center = Center(name="defaults")
    assert (center.data_start, center.future_tolerance_hours) == (dt.date(2000, 1, 1), 24)
