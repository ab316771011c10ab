"""The gates hold what the metric contract promises and nothing more: input the contract
allows publishes (a day of agent events without calls, sources never connected), and a
source quirk is a warning with its count (tests/fixtures/queue_log, hand-written)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.support import run_fixture_pipeline

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parents[1] / "fixtures" / "queue_log"
# Every source has an allowed lag: CDR, CRM and surveys never land a file here.
CONFIG = """
center: {name: Gates, timezone: UTC}
quality:
  freshness:
    max_lag_hours: {queue_log: 1, cdr: 1, crm: 24, survey: 24}
"""


def _run(tmp_path_factory: pytest.TempPathFactory, fixture: str) -> Path:
    text = (FIXTURES / fixture).read_text()
    return run_fixture_pipeline(tmp_path_factory.mktemp(fixture), CONFIG, {"queue_log": text})


def _rows(serving: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(serving), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def agents_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One agent joins q1, pauses 5 minutes and leaves: no call at all."""
    return _run(tmp_path_factory, "agents_only.queue_log")


@pytest.fixture(scope="module")
def stamped_before_enterqueue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """c1 waits 10 s and talks 60 s; c2's CONNECT (wait 4 s) and COMPLETEAGENT are stamped
    31 s and 1 s before its ENTERQUEUE."""
    return _run(tmp_path_factory, "stamped_before_enterqueue.queue_log")


def test_a_day_without_calls_publishes_empty_queue_marts(agents_only: Path) -> None:
    counts = _rows(
        agents_only,
        "select (select count(*) from marts.mart_queue_kpis_daily),"
        " (select count(*) from marts.mart_cx_daily),"
        " (select sum(duration_seconds) from marts.fct_agent_state_intervals"
        "  where agent_state = 'paused')",
    )
    assert counts == [(0, 0, 300)]


def test_sources_never_landed_are_not_connected_and_do_not_block(agents_only: Path) -> None:
    freshness = _rows(
        agents_only,
        "select raw_source, is_connected, is_fresh from marts.mart_dq_source_freshness order by 1",
    )
    assert freshness == [
        ("cdr", False, True),
        ("crm", False, True),
        ("queue_log", True, True),
        ("survey", False, True),
    ]


def test_lines_stamped_before_enterqueue_warn_with_their_count(
    stamped_before_enterqueue: Path,
) -> None:
    stints = _rows(
        stamped_before_enterqueue,
        "select call_id, outcome, wait_seconds from marts.fct_queue_stints order by 1",
    )
    assert stints == [("c1", "answered", 10), ("c2", "answered", 4)]
    assert _rows(
        stamped_before_enterqueue,
        "select answered_count from marts.mart_queue_kpis_daily",
    ) == [(2,)]
    warnings = _rows(
        stamped_before_enterqueue,
        "select check_name, severity, is_blocking, passed, failing_row_count"
        " from marts.mart_dq_check_results where check_name like 'warn_%wait%'"
        " or check_name like 'warn_stint%' order by 1",
    )
    assert warnings == [
        ("warn_call_wait_negative", "WARN", False, True, 0),
        ("warn_stint_lines_stamped_out_of_order", "WARN", False, False, 1),
    ]
