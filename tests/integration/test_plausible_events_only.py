"""Plausible events only (issue 18): a queue_log line with epoch 0 published a 1969 stint,
counted in offered, in every queue mart; one with epoch 2099 made freshness blame every other
source as 632,425 h stale. Every source's implausible lines are quarantined at ingest with
the reason, the ledger still adds up, freshness is computed over the plausible events, and a
connected source with no event at all is stale (hand-written landing files)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from orchestration.pipeline import run_warehouse_job
from tests.support import make_warehouse, run_fixture_pipeline

pytestmark = pytest.mark.slow

# New York: the CDR's and surveys' wall-clock times go through the zone.
CONFIG = """
center: {name: Plausible, timezone: America/New_York}
quality:
  freshness:
    max_lag_hours: {queue_log: 1, cdr: 1, crm: 24, survey: 24}
"""
# 1793628000 = Monday 2 November 2026 14:00:00 UTC (09:00 EST). c0 is stamped epoch 0 and
# c99 2099-01-01 00:00:00 UTC: both are quarantined.
QUEUE_LOG = """\
1793628000|c1|q1|NONE|ENTERQUEUE||5551230001|1
1793628030|c1|q1|NONE|ABANDON|1|1|30
1793628100|c2|q1|NONE|ENTERQUEUE||5551230002|1
1793628160|c2|q1|NONE|ABANDON|1|1|60
0|c0|q1|NONE|ENTERQUEUE||5551230000|1
4070908800|c99|q1|NONE|ENTERQUEUE||5551239999|1
"""
_CDR = (
    '"","{src}","100","from-pstn","","PJSIP/trunk-a-1","","Queue","q1",'
    '"{start}","","{start}",{duration},0,"NO ANSWER","DOCUMENTATION"'
)
# The CDR's start is the PBX's wall clock (New York): 1969-12-31 19:00:00 is epoch 0.
CDR = (
    "\n".join(
        [
            _CDR.format(src="5551230001", start="2026-11-02 09:00:00", duration=30),
            _CDR.format(src="5551230000", start="1969-12-31 19:00:00", duration=0),
            _CDR.format(src="5551239999", start="2099-01-01 00:00:00", duration=0),
        ]
    )
    + "\n"
)
CONTACTS = """\
Id,Name,Phone,SystemModstamp
003A1,Ann Lee,5551230001,2026-11-02T13:00:00.000Z
003A2,Old Clock,5551230000,1970-01-01T00:00:00.000Z
"""
SURVEYS = """\
response_id,uniqueid,submitted_at,csat
r1,c1,2026-11-02T14:05:00Z,4
r99,c99,2099-01-01T00:00:00Z,5
"""
BEFORE_START = "is before data_start 2000-01-01 (America/New_York)"
AFTER_LOAD = "is more than 24 h (future_tolerance_hours) after the load time"


def _rows(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the serving warehouse, the build warehouse) of a run over every source."""
    root = tmp_path_factory.mktemp("plausible")
    landing = {
        "queue_log": QUEUE_LOG,
        "Master.csv": CDR,
        "crm/Contact.csv": CONTACTS,
        "surveys/survey.csv": SURVEYS,
    }
    serving = run_fixture_pipeline(root, CONFIG, landing)
    return serving, make_warehouse(root, root / "center.yml").build_path


def test_implausible_lines_are_quarantined_with_the_reason(published: tuple[Path, Path]) -> None:
    _, build = published
    quarantined = _rows(
        build,
        "select source, regexp_extract(source_file, '[^/]+$'), line_number, raw_text, reason"
        " from raw.raw_quarantine order by 1, 3",
    )
    reasons = [(source, name, line, reason) for source, name, line, _, reason in quarantined]
    assert [r[:3] for r in reasons] == [
        ("cdr", "Master.csv", 2),
        ("cdr", "Master.csv", 3),
        ("crm", "Contact.csv", 3),
        ("queue_log", "queue_log", 5),
        ("queue_log", "queue_log", 6),
        ("survey", "survey.csv", 3),
    ]
    by_line = {(source, line): reason for source, _, line, reason in reasons}
    assert by_line[("queue_log", 5)] == (
        "event time 1970-01-01 00:00:00 UTC is before data_start 2000-01-01 (America/New_York)"
    )
    assert by_line[("queue_log", 6)].startswith("event time 2099-01-01 00:00:00 UTC " + AFTER_LOAD)
    assert by_line[("cdr", 2)] == by_line[("queue_log", 5)]  # 19:00 in New York is epoch 0
    assert by_line[("cdr", 3)].startswith("event time 2099-01-01 05:00:00 UTC " + AFTER_LOAD)
    assert by_line[("crm", 3)].endswith(BEFORE_START)
    assert by_line[("survey", 3)].startswith("event time 2099-01-01 00:00:00 UTC " + AFTER_LOAD)
    texts = {(source, line): text for source, _, line, text, _ in quarantined}
    assert texts[("queue_log", 5)] == "0|c0|q1|NONE|ENTERQUEUE||5551230000|1"
    assert texts[("survey", 3)] == "r99,c99,2099-01-01T00:00:00Z,5"


def test_the_quarantine_mart_groups_them_by_kind(published: tuple[Path, Path]) -> None:
    # The Data-quality dashboard's quarantine chart: one kind per end of the window.
    serving, _ = published
    kinds = _rows(
        serving,
        "select reason_kind, sum(quarantined_count) from marts.mart_dq_quarantine_daily"
        " group by 1 order by 1",
    )
    assert kinds == [
        ("event time N-N-N N:N:N UTC is before data_start N-N-N (America/New_York)", 3),
        (
            "event time N-N-N N:N:N UTC is more than N h (future_tolerance_hours) after the"
            " load time N-N-N N:N:N UTC",
            3,
        ),
    ]


def test_the_ledger_adds_up(published: tuple[Path, Path]) -> None:
    _, build = published
    ledger = _rows(
        build,
        "select source, lines_read, loaded_count, quarantined_count, duplicate_count,"
        " header_count from raw.ingest_files order by 1",
    )
    assert ledger == [
        ("cdr", 3, 1, 2, 0, 0),
        ("crm", 3, 1, 1, 0, 1),
        ("queue_log", 6, 4, 2, 0, 0),
        ("survey", 3, 1, 1, 0, 1),
    ]


def test_no_1969_or_2099_stint_in_the_queue_marts(published: tuple[Path, Path]) -> None:
    serving, _ = published
    assert _rows(serving, "select call_id from marts.fct_queue_stints order by 1") == [
        ("c1",),
        ("c2",),
    ]
    # One day, week and month: no 1969 or 2099 row.
    assert _rows(
        serving,
        "select (select list(arrival_date) from marts.mart_queue_kpis_daily),"
        " (select list(arrival_date) from marts.mart_queue_kpis_15m),"
        " (select list(arrival_week_start_date) from marts.mart_queue_kpis_weekly),"
        " (select list(arrival_month_start_date) from marts.mart_queue_kpis_monthly),"
        " (select sum(offered_count) from marts.mart_queue_kpis_daily)",
    ) == [
        (
            [dt.date(2026, 11, 2)],
            [dt.date(2026, 11, 2)],
            [dt.date(2026, 11, 2)],
            [dt.date(2026, 11, 1)],
            2,
        )
    ]


def test_freshness_is_computed_from_the_plausible_events(published: tuple[Path, Path]) -> None:
    serving, _ = published
    freshness = _rows(
        serving,
        "select raw_source, cast(newest_event_at as varchar), round(lag_hours, 2), is_fresh,"
        " stale_reason from marts.mart_dq_source_freshness order by 1",
    )
    # The reference is the newest plausible PBX event, c2's ABANDON at 14:02:40 UTC.
    assert freshness == [
        ("cdr", "2026-11-02 14:00:00", 0.04, True, None),
        ("crm", "2026-11-02 13:00:00", 1.04, True, None),
        ("queue_log", "2026-11-02 14:02:40", 0.0, True, None),
        ("survey", "2026-11-02 14:05:00", -0.04, True, None),
    ]


def test_a_connected_source_without_events_is_stale(tmp_path: Path) -> None:
    # Regression: a CDR whose every line was implausible had no event and was called fresh.
    # (Such a file is now quarantined whole, which blocks before the build: a survey export
    # with its header only has no event either, and nothing quarantined.)
    config = tmp_path / "center.yml"
    config.write_text(CONFIG)
    warehouse = make_warehouse(tmp_path, config)
    landing = Path(warehouse.landing_dir)
    landing.mkdir(parents=True)
    (landing / "queue_log").write_text(QUEUE_LOG)
    (landing / "surveys").mkdir()
    (landing / "surveys" / "responses.csv").write_text(SURVEYS.splitlines(keepends=True)[0])

    result = run_warehouse_job(warehouse)

    assert not result.success
    assert not warehouse.serving_path.exists()
    freshness = _rows(
        warehouse.build_path,
        "select raw_source, is_connected, is_fresh, stale_reason"
        " from marts.mart_dq_source_freshness order by 1",
    )
    assert freshness == [
        ("cdr", False, True, None),
        ("crm", False, True, None),
        ("queue_log", True, True, None),
        (
            "survey",
            True,
            False,
            "survey: stale, files landed but no event loaded (every line quarantined, or a"
            " header only)",
        ),
    ]
