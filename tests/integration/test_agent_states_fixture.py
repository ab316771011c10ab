"""Agent states on a hand-written queue_log in New York: a 20-minute login from 09:10 gives 5
minutes to 09:00 and 15 to 09:15, its call, ring, wrap-up and lunch land in the right
interval, a login across local midnight is split at midnight, a login with no logout
stays open at the end of the data, a pause that follows an ACW pause in the same second
and outlasts the logout ends at the logout, and a static member (no login) has their call
counted outside logged time. Built by the real pipeline into DuckDB."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd
import pytest

from tests.support import run_fixture_pipeline

pytestmark = pytest.mark.slow

ZONE = ZoneInfo("America/New_York")
CONFIG = "center: {name: Agent state fixture, timezone: America/New_York}\n"


def _epoch(day: int, hour: int, minute: int, second: int = 0) -> int:
    """UTC epoch of a New York wall-clock time in November 2026."""
    return int(dt.datetime(2026, 11, day, hour, minute, second, tzinfo=ZONE).timestamp())


QUEUE_LOG = [
    # 1001: logged in 09:10-09:30; a call rings 3 s, talks 09:20:05-09:25:05; ACW pause 3 s
    # after it for 60 s; a lunch pause 09:27-09:29.
    (_epoch(2, 9, 10), "NONE", "sales", "PJSIP/1001", "ADDMEMBER", ""),
    (_epoch(2, 9, 20), "c.1", "sales", "NONE", "ENTERQUEUE", "", "5551230000", "1"),
    (_epoch(2, 9, 20, 5), "c.1", "sales", "PJSIP/1001", "CONNECT", "5", "c.1b", "3"),
    (_epoch(2, 9, 25, 5), "c.1", "sales", "PJSIP/1001", "COMPLETECALLER", "5", "300", "1"),
    (_epoch(2, 9, 25, 8), "NONE", "sales", "PJSIP/1001", "PAUSE", "ACW"),
    (_epoch(2, 9, 26, 8), "NONE", "sales", "PJSIP/1001", "UNPAUSE", ""),
    (_epoch(2, 9, 27), "NONE", "sales", "PJSIP/1001", "PAUSE", "Lunch"),
    (_epoch(2, 9, 29), "NONE", "sales", "PJSIP/1001", "UNPAUSE", ""),
    (_epoch(2, 9, 30), "NONE", "sales", "PJSIP/1001", "REMOVEMEMBER", ""),
    # 1003: logs in and never out: open at the end of the data.
    (_epoch(2, 22, 0), "NONE", "support", "PJSIP/1003", "ADDMEMBER", ""),
    # 1002: 23:50 to 00:20 across local midnight, in two queues at once (counted once).
    (_epoch(2, 23, 50), "NONE", "sales", "PJSIP/1002", "ADDMEMBER", ""),
    (_epoch(2, 23, 50), "NONE", "support", "PJSIP/1002", "ADDMEMBER", ""),
    (_epoch(3, 0, 20), "NONE", "support", "PJSIP/1002", "REMOVEMEMBER", ""),
    (_epoch(3, 0, 20), "NONE", "sales", "PJSIP/1002", "REMOVEMEMBER", ""),
    # 1004: a static queue member (never logs in): rings 4 s, talks 120 s, wraps up 30 s.
    (_epoch(2, 10, 0), "c.2", "sales", "NONE", "ENTERQUEUE", "", "5551230001", "1"),
    (_epoch(2, 10, 0, 10), "c.2", "sales", "PJSIP/1004", "CONNECT", "10", "c.2b", "4"),
    (_epoch(2, 10, 2, 10), "c.2", "sales", "PJSIP/1004", "COMPLETEAGENT", "10", "120", "1"),
    (_epoch(2, 10, 2, 12), "NONE", "sales", "PJSIP/1004", "PAUSE", "Wrapup"),
    (_epoch(2, 10, 2, 42), "NONE", "sales", "PJSIP/1004", "UNPAUSE", ""),
    # 1005, in two queues (every pause logged twice): logged in 10:00-10:20; a call talks
    # 10:05-10:06, ACW until 10:07, when the UNPAUSE and a Lunch PAUSE share the second;
    # logged out at 10:20 still at lunch (no UNPAUSE follows); back 10:40-10:45, not paused.
    (_epoch(2, 10, 0), "NONE", "sales", "PJSIP/1005", "ADDMEMBER", ""),
    (_epoch(2, 10, 0), "NONE", "support", "PJSIP/1005", "ADDMEMBER", ""),
    (_epoch(2, 10, 4, 58), "c.3", "support", "NONE", "ENTERQUEUE", "", "5551230002", "1"),
    (_epoch(2, 10, 5), "c.3", "support", "PJSIP/1005", "CONNECT", "2", "c.3b", "2"),
    (_epoch(2, 10, 6), "c.3", "support", "PJSIP/1005", "COMPLETECALLER", "2", "60", "1"),
    (_epoch(2, 10, 6), "NONE", "sales", "PJSIP/1005", "PAUSE", "ACW"),
    (_epoch(2, 10, 6), "NONE", "support", "PJSIP/1005", "PAUSE", "ACW"),
    (_epoch(2, 10, 7), "NONE", "sales", "PJSIP/1005", "UNPAUSE", ""),
    (_epoch(2, 10, 7), "NONE", "support", "PJSIP/1005", "UNPAUSE", ""),
    (_epoch(2, 10, 7), "NONE", "sales", "PJSIP/1005", "PAUSE", "Lunch"),
    (_epoch(2, 10, 7), "NONE", "support", "PJSIP/1005", "PAUSE", "Lunch"),
    (_epoch(2, 10, 20), "NONE", "sales", "PJSIP/1005", "REMOVEMEMBER", ""),
    (_epoch(2, 10, 20), "NONE", "support", "PJSIP/1005", "REMOVEMEMBER", ""),
    (_epoch(2, 10, 40), "NONE", "sales", "PJSIP/1005", "ADDMEMBER", ""),
    (_epoch(2, 10, 45), "NONE", "sales", "PJSIP/1005", "REMOVEMEMBER", ""),
]


@pytest.fixture(scope="module")
def serving(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lines = ["|".join(str(field) for field in line) for line in QUEUE_LOG]
    queue_log = "".join(f"{line}\n" for line in lines)
    return run_fixture_pipeline(
        tmp_path_factory.mktemp("agent_states"), CONFIG, {"queue_log": queue_log}
    )


def _query(serving: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(serving), read_only=True) as con:
        return con.execute(sql).df()


def _seconds_by(serving: Path, agent: str, grain: str) -> dict[tuple, int]:
    rows = _query(
        serving,
        f"select cast({grain} as varchar) as period, agent_state, coalesce(pause_reason, ''),"
        " sum(duration_seconds) from marts.fct_agent_state_intervals"
        f" where agent_id = '{agent}' group by all",
    )
    return {(p, s, r): int(n) for p, s, r, n in rows.to_numpy()}


def test_login_from_0910_splits_pro_rata_into_15_minute_intervals(
    serving: Path,
) -> None:
    assert _seconds_by(serving, "1001", "interval_start_at_local") == {
        ("2026-11-02 09:00:00", "idle", ""): 300,
        ("2026-11-02 09:15:00", "ringing", ""): 3,
        ("2026-11-02 09:15:00", "talking", ""): 300,
        ("2026-11-02 09:15:00", "wrap_up", "ACW"): 60,
        ("2026-11-02 09:15:00", "paused", "Lunch"): 120,
        ("2026-11-02 09:15:00", "idle", ""): 900 - 3 - 300 - 60 - 120,
    }


def test_login_across_midnight_is_split_at_local_midnight(serving: Path) -> None:
    assert _seconds_by(serving, "1002", "local_date") == {
        ("2026-11-02", "idle", ""): 600,
        ("2026-11-03", "idle", ""): 1200,
    }
    assert _seconds_by(serving, "1002", "interval_start_at_local") == {
        ("2026-11-02 23:45:00", "idle", ""): 600,
        ("2026-11-03 00:00:00", "idle", ""): 900,
        ("2026-11-03 00:15:00", "idle", ""): 300,
    }


def test_login_without_logout_stays_open(serving: Path) -> None:
    spans = _query(
        serving,
        "select cast(ended_at as varchar) as ended, is_open from marts.fct_agent_state_intervals"
        " where agent_id = '1003' order by started_at",
    )
    # Open from 22:00 until the newest event (1002's logout at 00:20), the last span flagged.
    assert spans["is_open"].tolist() == [False] * (len(spans) - 1) + [True]
    assert spans["ended"].iloc[-1] == "2026-11-03 05:20:00"  # 00:20 in New York, in UTC
    logged = _query(
        serving,
        "select sum(duration_seconds) as s from marts.fct_agent_state_intervals"
        " where agent_id = '1003'",
    )["s"].iloc[0]
    assert logged == 2 * 3600 + 20 * 60


def test_agent_kpi_mart_holds_the_same_split(serving: Path) -> None:
    rows = _query(
        serving,
        "select cast(interval_start_at as varchar), logged_seconds, talk_seconds,"
        " ringing_seconds, acw_seconds, pause_seconds, idle_seconds, handled_count"
        " from marts.mart_agent_kpis_15m where agent_id = '1001' order by 1",
    )
    assert [tuple(row) for row in rows.to_numpy()] == [
        ("2026-11-02 14:00:00", 300, 0, 0, 0, 0, 300, 0),  # 09:00 in New York
        ("2026-11-02 14:15:00", 900, 300, 3, 60, 120, 417, 1),
    ]


def test_pause_after_acw_in_the_same_second_lasts_until_the_logout(serving: Path) -> None:
    assert _seconds_by(serving, "1005", "local_date") == {
        ("2026-11-02", "ringing", ""): 2,
        ("2026-11-02", "talking", ""): 60,
        ("2026-11-02", "wrap_up", "ACW"): 60,
        ("2026-11-02", "paused", "Lunch"): 13 * 60,  # 10:07 to the logout at 10:20
        ("2026-11-02", "idle", ""): 5 * 60 - 2 + 5 * 60,  # 10:00-10:05 and 10:40-10:45
    }


def test_static_member_counts_calls_outside_logged_time(serving: Path) -> None:
    states = _query(
        serving,
        "select agent_state, coalesce(pause_reason, '') as reason, is_logged_in,"
        " sum(duration_seconds) as seconds from marts.fct_agent_state_intervals"
        " where agent_id = '1004' group by all order by seconds",
    )
    assert [tuple(row) for row in states.to_numpy()] == [
        ("ringing", "", False, 4),
        ("wrap_up", "Wrapup", False, 30),
        ("talking", "", False, 120),
    ]
    day = _query(
        serving,
        "select logged_seconds, outside_session_seconds, talk_seconds, acw_seconds,"
        " idle_seconds, handled_count from marts.mart_agent_kpis_daily where agent_id = '1004'",
    )
    assert [tuple(row) for row in day.to_numpy()] == [(0, 154, 120, 30, 0, 1)]
