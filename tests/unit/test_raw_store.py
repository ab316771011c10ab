"""Raw rows' local day is dbt's: the partition SQL is rendered from the dbt macros."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from orchestration.lib.raw_store import CDR, QUEUE_LOG, PartitionZones

ZONES = PartitionZones(center_zone="America/New_York", pbx_zone="Europe/Paris")


@pytest.mark.parametrize(
    ("event_at", "local_day"),
    [
        ("2026-11-01 04:30:00", dt.date(2026, 11, 1)),  # 00:30 EDT
        ("2026-11-01 03:30:00", dt.date(2026, 10, 31)),  # 23:30 EDT
        ("2026-11-02 04:30:00", dt.date(2026, 11, 1)),  # 23:30 EST, after the fall back
    ],
)
def test_queue_log_rows_fall_on_the_center_local_day(event_at: str, local_day: dt.date) -> None:
    sql = ZONES.event_date_sql(QUEUE_LOG)
    assert "to_center_local" not in sql and "{" not in sql
    with duckdb.connect() as con:
        got = con.execute(f"select {sql} from (select timestamp '{event_at}' as event_at)")
        assert got.fetchone() == (local_day,)


def test_cdr_wall_clock_times_go_through_the_pbx_zone() -> None:
    sql = ZONES.event_date_sql(CDR)
    with duckdb.connect() as con:
        # 05:30 in Paris (CET) is 04:30 UTC, 23:30 in New York the day before (EST).
        got = con.execute(
            f"select {sql} from (select timestamp '2026-11-03 05:30:00' as start_local)"
        )
        assert got.fetchone() == (dt.date(2026, 11, 2),)
