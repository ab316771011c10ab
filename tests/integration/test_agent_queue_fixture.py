"""Agent x queue time, interface mapping and Wazo's WRAPUPSTART on a hand-written Wazo-style
queue_log (tests/fixtures/queue_log/wazo_agent_interfaces_and_queues.queue_log, UTC, 2 November
2026). Agent 52 logs in by callback at 07:55 and is added to sales and support under its
interface Local/id-61@agentcallback (mapped to 52 by the center config) at 08:00; it answers a
call 08:30:05-08:35:05 (2 s ring), wraps up 30 s (WRAPUPSTART), pauses everywhere for Lunch
09:00-09:30 (PAUSEALL) and in sales for a Break 10:00-10:15 (by interface); it leaves support
at 11:00 and sales and the callback login at 12:00. Local/id-99@agentcallback, which nothing
maps, pauses in sales 10:00-10:05. Built by the real pipeline into DuckDB."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.support import REPO_ROOT, run_fixture_pipeline

pytestmark = pytest.mark.slow

FIXTURE = (
    REPO_ROOT / "tests" / "fixtures" / "queue_log" / "wazo_agent_interfaces_and_queues.queue_log"
)
CONFIG = (
    "center: {name: Agent x queue fixture, timezone: UTC}\n"
    "agents: {interfaces: {Local/id-61@agentcallback: '52'}}\n"
)


@pytest.fixture(scope="module")
def serving(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_fixture_pipeline(
        tmp_path_factory.mktemp("agent_queue"), CONFIG, {"queue_log": FIXTURE.read_text()}
    )


def _rows(serving: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(serving), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_logged_and_paused_time_per_queue(serving: Path) -> None:
    # sales: member 08:00-12:00, paused by the PAUSEALL (1800 s) and its own Break (900 s);
    # support: member 08:00-11:00, paused by the PAUSEALL only. id-99 was never a member.
    assert _rows(
        serving,
        "select agent_id, queue_id, cast(local_date as varchar), logged_seconds, paused_seconds"
        " from marts.mart_agent_queue_kpis_daily order by 1, 2",
    ) == [
        ("52", "sales", "2026-11-02", 14400, 2700),
        ("52", "support", "2026-11-02", 10800, 1800),
        ("id-99", "sales", "2026-11-02", 0, 300),
    ]
    # The 15-minute grain adds up to the day, a full quarter at most in each state.
    assert _rows(
        serving,
        "select agent_id, queue_id, sum(logged_seconds), sum(paused_seconds),"
        " max(logged_seconds), max(paused_seconds) from marts.mart_agent_queue_kpis_15m"
        " group by 1, 2 order by 1, 2",
    ) == [
        ("52", "sales", 14400, 2700, 900, 900),
        ("52", "support", 10800, 1800, 900, 900),
        ("id-99", "sales", 0, 300, 0, 300),
    ]


def test_agent_wide_states_keep_the_union_and_count_wrapupstart(serving: Path) -> None:
    # Logged 07:55-12:00 = 14700 s, once although in two queues; WRAPUPSTART is 30 s of ACW.
    assert _rows(
        serving,
        "select logged_seconds, talk_seconds, ringing_seconds, acw_seconds, pause_seconds,"
        " idle_seconds, handled_count from marts.mart_agent_kpis_daily where agent_id = '52'",
    ) == [(14700, 300, 2, 30, 2700, 14700 - 300 - 2 - 30 - 2700, 1)]
    assert _rows(
        serving,
        "select pause_reason, is_after_call_work, pause_seconds"
        " from marts.mart_agent_pause_reasons_daily where agent_id = '52' order by 1",
    ) == [("Break", False, 900), ("Lunch", False, 1800), ("WRAPUPSTART", True, 30)]


def test_unmapped_interface_is_reported_not_dropped(serving: Path) -> None:
    assert _rows(
        serving,
        "select agent_interface, agent_id, mapped_by, is_mapped, event_count"
        " from marts.mart_dq_agent_interfaces order by 1",
    ) == [
        ("Local/id-61@agentcallback", "52", "config", True, 6),
        ("Local/id-99@agentcallback", "id-99", "extension", False, 2),
    ]
