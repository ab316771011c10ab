"""queue_log exported from the realtime/ODBC table: columns by name, time zones, faults."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from orchestration.lib.landing import LandingFile, complete_lines
from orchestration.lib.raw_loader import ingest_source, queue_log_rows
from orchestration.lib.raw_store import QUEUE_LOG, PartitionZones, ensure_raw_tables
from orchestration.sources.queue_log import parse_queue_log
from orchestration.sources.queue_log_table import parse_queue_log_table
from tests.support import FIXTURES, REALDATA

REALTIME_HEADER = b"time,callid,queuename,agent,event,data1,data2,data3,data4,data5"


def _utc(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).replace(tzinfo=None)


def test_realtime_datetime_is_read_on_the_pbx_clock() -> None:
    parsed = parse_queue_log_table(
        [
            REALTIME_HEADER,
            b"2026-03-08 01:59:59.500000,1.1,q1,NONE,ENTERQUEUE,,5551234,1,,",
            b"2026-03-08 03:00:00,1.1,q1,PJSIP/7009,CONNECT,3,1.2,2,,",
        ],
        "America/New_York",
    )
    assert [_utc(e.event_epoch) for e in parsed.events] == [
        dt.datetime(2026, 3, 8, 6, 59, 59, 500000),  # EST, just before the spring-forward
        dt.datetime(2026, 3, 8, 7, 0, 0),  # 03:00 EDT: half a second after the line above
    ]
    assert parsed.events[1].data == ("3", "1.2", "2", None, None)


def test_single_data_column_is_split_on_pipes() -> None:
    parsed = parse_queue_log_table(
        [
            b"time,callid,queuename,agent,event,data",
            b"1717397271,1717397243.239826,1501,PJSIP/7009,CONNECT,12|1717397259.239827|11",
        ],
        "UTC",
    )
    (event,) = parsed.events
    assert (event.event_epoch, event.data[:3]) == (1717397271.0, ("12", "1717397259.239827", "11"))
    # The same event as a line of the pipe-delimited log has the same identity.
    (line,) = parse_queue_log(
        [b"1717397271|1717397243.239826|1501|PJSIP/7009|CONNECT|12|1717397259.239827|11"]
    ).events
    assert event.event_hash == line.event_hash


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (
            b"2026-03-08 03:00:00,1.1,q1,NONE,ENTERQUEUE",
            "expected 10 columns as in the header, found 5",
        ),
        (
            b"yesterday,1.1,q1,NONE,ENTERQUEUE,,,,,",
            "time column 'yesterday' is neither a datetime nor a Unix epoch",
        ),
        (b"2026-03-08 03:00:00,1.1,q1,NONE,,,,,,", "event name is empty"),
        (b",,,,,,,,,", "empty line"),
    ],
)
def test_faulty_rows_are_quarantined_with_reason(row: bytes, reason: str) -> None:
    parsed = parse_queue_log_table([REALTIME_HEADER, row], "UTC")
    assert [(q.line_number, q.reason) for q in parsed.quarantined] == [(2, reason)]
    assert parsed.lines_read == 2 and parsed.header_line_count == 1


def test_a_header_without_required_columns_quarantines_every_row() -> None:
    parsed = parse_queue_log_table([b"when,who,what", b"1,2,3", b"4,5,6"], "UTC")
    assert not parsed.events
    assert {q.reason for q in parsed.quarantined} == {
        "the header has no column for time, callid, queuename, event (columns: when, who, what)"
    }


def test_pbxware_export_is_fully_accounted_for() -> None:
    lines = (REALDATA / "pbxware-voipoffice" / "queue_log.original.csv").read_bytes().splitlines()
    parsed = parse_queue_log_table(lines, "America/Bogota")
    assert (
        len(parsed.events),
        len(parsed.quarantined),
        parsed.duplicate_count,
        parsed.header_line_count,
    ) == (1000, 0, 0, 1)
    # date_time is the UTC epoch; the local `time` column is kept among the extra columns.
    first = parsed.events[0]
    assert (first.event_epoch, first.event) == (1543527289.0, "QUEUESTART")
    assert '"time": "2018-11-29 16:34:49"' in first.extra_columns


ROW_IDS = FIXTURES / "queue_log" / "table_export_row_ids.csv"


def test_rows_differing_only_by_table_id_are_distinct() -> None:
    # Regression: PBXware's table export holds OUTDIAL rows that differ only by their id; they
    # were dropped as duplicates. Rows 7 and 8 differ only by id; row 9 is exported twice.
    parsed = parse_queue_log_table(ROW_IDS.read_bytes().splitlines(), "UTC")
    assert [(e.line_number, e.event) for e in parsed.events] == [
        (2, "OUTDIAL"),
        (3, "OUTDIAL"),
        (4, "OUTCONGESTION"),
    ]
    assert (parsed.duplicate_count, parsed.header_line_count) == (1, 1)
    # A flat log has no row id: the same two OUTDIAL lines are one event and a duplicate.
    flat = parse_queue_log([b"1543852004|1543852004.1575|NONE|Agent/1126|OUTDIAL|142"] * 2)
    assert (len(flat.events), flat.duplicate_count) == (1, 1)


def test_rows_differing_only_by_table_id_both_load() -> None:
    with duckdb.connect() as con:
        ensure_raw_tables(con)
        (entry,), _ = ingest_source(
            con,
            QUEUE_LOG,
            [LandingFile(ROW_IDS)],
            lambda lines, plan: parse_queue_log_table(lines, "UTC"),
            queue_log_rows,
            PartitionZones(center_zone="UTC", pbx_zone="UTC"),
        )
        loaded = con.execute("select line_number from raw.queue_log order by 1").fetchall()
    assert loaded == [(2,), (3,), (4,)]
    assert (entry.lines_read, entry.loaded_count, entry.duplicate_count) == (5, 3, 1)


def test_a_field_over_the_csv_size_limit_is_quarantined_not_raised() -> None:
    # Regression (issue 18): the csv module raised "field larger than field limit" and the
    # whole ingest step failed; random bytes appended without a newline make such a field.
    garbage = b"1543852004,1.1,q1,NONE,ENTERQUEUE," + b"x" * 140_000 + b",,,,"
    parsed = parse_queue_log_table([REALTIME_HEADER, garbage], "UTC")
    assert [(q.line_number, q.reason) for q in parsed.quarantined] == [
        (2, "not a CSV record: field larger than field limit (131072)")
    ]
    assert (parsed.events, parsed.lines_read) == ([], 2)


def test_a_utf16_export_with_its_mark_loads(tmp_path: Path) -> None:
    # Encodings are detected for every source, not only the business exports.
    export = tmp_path / "queue_log.csv"
    text = ROW_IDS.read_bytes().decode("utf-8")
    export.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    lines, _ = complete_lines(LandingFile(export).read_bytes(), keep_partial=True)
    parsed = parse_queue_log_table(lines, "UTC")
    expected = parse_queue_log_table(ROW_IDS.read_bytes().splitlines(), "UTC")
    assert (parsed.events, parsed.quarantined) == (expected.events, expected.quarantined)
    assert [e.event for e in parsed.events] == ["OUTDIAL", "OUTDIAL", "OUTCONGESTION"]
