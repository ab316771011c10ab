"""The published queue KPI marts equal the simulator's ground truth over the simulated period
in New York (config/example.yml: four ISO weeks that contain the end of DST, Sunday 1 November
2026 with 25 hours), queue by queue and interval by interval. The truth is classified here in
Python, independently of dbt; the period's days, weeks and months come from the config."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd
import pytest

from orchestration.lib.center_config import load_center_config
from tests.conftest import SimulatedRun
from tests.support import EXAMPLE_CONFIG, contract_wait_bands

pytestmark = pytest.mark.slow

COUNTS = [
    "stint_count",
    "offered_count",
    "answered_count",
    "abandoned_count",
    "short_abandoned_count",
    "exit_key_count",
    "transferred_count",
    "answered_within_sl_count",
    "answered_wait_seconds",
    "abandoned_wait_seconds",
]


def _local_days() -> list[dt.date]:
    """The simulated local days (config/example.yml: `simulation.day` and `days`)."""
    simulation = load_center_config(EXAMPLE_CONFIG).simulation
    assert simulation is not None
    return [simulation.day + dt.timedelta(days=n) for n in range(simulation.days)]


def _local_time(day: dt.date, hour: int) -> dt.datetime:
    zone = ZoneInfo(load_center_config(EXAMPLE_CONFIG).center.timezone)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone)


def _utc_offset_hours(day: dt.date) -> int:
    """The center's UTC offset at noon of a local day (-4 in EDT, -5 in EST)."""
    offset = _local_time(day, 12).utcoffset()
    assert offset is not None
    return int(offset.total_seconds() // 3600)


def _hours_long(day: dt.date) -> float:
    """How long the local day really is: 24 hours, or 25 (23) when DST ends (starts)."""
    midnight, next_midnight = _local_time(day, 0), _local_time(day + dt.timedelta(days=1), 0)
    return (next_midnight.timestamp() - midnight.timestamp()) / 3600


LOCAL_DAYS = [day.isoformat() for day in _local_days()]
# ISO weeks (their Mondays) and months the period touches.
WEEKS = sorted({(day - dt.timedelta(days=day.weekday())).isoformat() for day in _local_days()})
MONTHS = sorted({day.replace(day=1).isoformat() for day in _local_days()})
# The local days whose wall clock runs 25 (or 23) hours: DST starts or ends.
DST_CHANGE_DAYS = [day.isoformat() for day in _local_days() if _hours_long(day) != 24]
WITHHELD = "anonymous"  # how the simulated PBX logs a caller who withholds the number


def _truth_stints(run: SimulatedRun) -> pd.DataFrame:
    """One row per non-test stint with the contract's indicators and its local arrival."""
    truth = run.truth[~run.truth["is_test_call"]].copy()
    threshold = truth["queue_id"].map(lambda q: run.config.queue(q).sl_threshold_s)
    truth["stint_count"] = 1
    truth["offered_count"] = truth["outcome"] != "short_abandoned"
    for outcome in ["answered", "abandoned", "short_abandoned", "exit_key"]:
        truth[f"{outcome}_count"] = truth["outcome"] == outcome
    truth["transferred_count"] = truth["is_transferred"]
    truth["answered_within_sl_count"] = truth["answered_count"] & (
        truth["wait_seconds"] <= threshold
    )
    truth["answered_wait_seconds"] = truth["wait_seconds"].where(truth["answered_count"], 0)
    truth["abandoned_wait_seconds"] = truth["wait_seconds"].where(truth["abandoned_count"], 0)
    arrived = pd.to_datetime(truth["arrived_epoch"], unit="s", utc=True)
    truth["arrival_interval_start_at"] = arrived.dt.floor("15min").dt.tz_localize(None)
    truth["arrival_date"] = run.local_dates(truth["arrived_epoch"])
    return truth


def _mart(run: SimulatedRun, name: str) -> pd.DataFrame:
    with duckdb.connect(str(run.warehouse.serving_path), read_only=True) as con:
        return con.execute(f"select * from marts.{name}").df()


def test_counts_per_queue_and_interval_equal_truth(simulated_run: SimulatedRun) -> None:
    keys = ["queue_id", "arrival_interval_start_at"]
    truth = _truth_stints(simulated_run).groupby(keys)[COUNTS].sum().astype("int64")
    mart = _mart(simulated_run, "mart_queue_kpis_15m")
    mart["arrival_interval_start_at"] = mart["arrival_interval_start_at"].astype("datetime64[ns]")
    mart = mart.set_index(keys)[COUNTS].sort_index()
    assert len(truth) > 400  # a week of intervals, not a trivial match
    assert mart.index.equals(truth.index)
    pd.testing.assert_frame_equal(mart, truth, check_dtype=False)


def test_daily_mart_equals_truth_per_local_day(simulated_run: SimulatedRun) -> None:
    truth = _truth_stints(simulated_run)
    bins, labels = contract_wait_bands()
    truth["band"] = pd.cut(truth["wait_seconds"], bins=bins, labels=labels).astype(str)
    keys = ["queue_id", "arrival_date"]
    expected = truth.groupby(keys)[COUNTS].sum().astype("int64")
    answered = truth[truth["answered_count"]]
    bands = answered.groupby([*keys, "band"]).size().unstack(fill_value=0)
    expected[[f"answered_wait_{b}_count" for b in bands.columns]] = bands.to_numpy()
    expected["max_wait_seconds"] = truth.groupby(keys)["wait_seconds"].max()
    mart = _mart(simulated_run, "mart_queue_kpis_daily")
    mart["arrival_date"] = pd.to_datetime(mart["arrival_date"]).dt.date
    mart = mart.set_index(keys)[expected.columns].sort_index()
    # Every simulated local day once: the 25-hour Sunday is one day, not two.
    assert sorted({d.isoformat() for _, d in mart.index}) == LOCAL_DAYS
    pd.testing.assert_frame_equal(mart, expected.loc[mart.index], check_dtype=False)
    assert mart.index.equals(expected.index)


@pytest.mark.parametrize(
    ("mart_name", "period_column", "period_start", "periods"),
    [
        # The ISO weeks (Mondays) and the months the simulated days touch.
        ("mart_queue_kpis_weekly", "arrival_week_start_date", "W-SUN", WEEKS),
        ("mart_queue_kpis_monthly", "arrival_month_start_date", "M", MONTHS),
    ],
)
def test_weekly_and_monthly_marts_equal_truth(
    simulated_run: SimulatedRun,
    mart_name: str,
    period_column: str,
    period_start: str,
    periods: list[str],
) -> None:
    truth = _truth_stints(simulated_run)
    local_days = pd.PeriodIndex(truth["arrival_date"], freq=period_start)
    truth[period_column] = local_days.start_time.date
    keys = ["queue_id", period_column]
    expected = truth.groupby(keys)[COUNTS].sum().astype("int64")
    expected["max_wait_seconds"] = truth.groupby(keys)["wait_seconds"].max()
    mart = _mart(simulated_run, mart_name)
    mart[period_column] = pd.to_datetime(mart[period_column]).dt.date
    mart = mart.set_index(keys)[expected.columns].sort_index()
    assert sorted({d.isoformat() for _, d in mart.index}) == periods
    assert mart.index.equals(expected.index)
    pd.testing.assert_frame_equal(mart, expected, check_dtype=False)


def test_service_level_per_queue_equals_truth(simulated_run: SimulatedRun) -> None:
    truth = _truth_stints(simulated_run).groupby("queue_id")[COUNTS].sum()
    expected = truth["answered_within_sl_count"] / truth["offered_count"]
    with duckdb.connect(str(simulated_run.warehouse.serving_path), read_only=True) as con:
        actual = dict(
            con.execute(
                "select queue_id, sum(sl_met_count) / sum(sl_eligible_count)"
                " from marts.mart_queue_kpis_15m group by 1"
            ).fetchall()
        )
    assert set(actual) == {"sales", "support"}
    for queue, value in actual.items():
        assert value == pytest.approx(expected[queue], abs=1e-9)
        assert 0.5 < value < 1  # a working center, not an empty one


def test_intervals_follow_new_york_wall_clock_across_dst(simulated_run: SimulatedRun) -> None:
    with duckdb.connect(str(simulated_run.warehouse.serving_path), read_only=True) as con:
        offsets = con.execute(
            "select arrival_date, list(distinct datediff('hour', arrival_interval_start_at,"
            " arrival_interval_start_at_local)), min(hour(arrival_interval_start_at_local)),"
            " max(hour(arrival_interval_start_at_local))"
            " from marts.mart_queue_kpis_15m group by 1 order by 1"
        ).fetchall()
    # UTC-4 (EDT) until the night of Saturday to Sunday, UTC-5 (EST) from Sunday 1 November
    # (the zone says which day by day); calls arrive from 08:00 local, the last ones before
    # 18:00 or, transferred from a call answered just before closing, shortly after.
    assert DST_CHANGE_DAYS == ["2026-11-01"]
    assert {_utc_offset_hours(day) for day in _local_days()} == {-4, -5}
    assert [(str(day), hours, first, last in (17, 18)) for day, hours, first, last in offsets] == [
        (day.isoformat(), [_utc_offset_hours(day)], 8, True) for day in _local_days()
    ]


def test_test_calls_are_kept_in_facts_and_left_out_of_kpis(simulated_run: SimulatedRun) -> None:
    with duckdb.connect(str(simulated_run.warehouse.serving_path), read_only=True) as con:
        flagged, in_mart = con.execute(
            "select (select count(*) from marts.fct_queue_stints where is_test_call),"
            " (select sum(stint_count) from marts.mart_queue_kpis_15m)"
        ).fetchone()
    truth = simulated_run.truth
    assert flagged == truth["is_test_call"].sum()  # stints: a test call can be transferred
    simulation = simulated_run.config.simulation
    assert simulation is not None
    test_calls = simulation.test_calls_per_day * simulation.days
    assert truth[truth["is_test_call"]]["call_id"].nunique() == test_calls
    assert in_mart == (~truth["is_test_call"]).sum()


def test_calls_are_stitched_across_transfers_as_in_truth(simulated_run: SimulatedRun) -> None:
    truth = simulated_run.truth.sort_values(["arrived_epoch", "queue_id"])
    expected = truth.groupby("call_id").agg(
        first_queue_id=("queue_id", "first"),
        last_queue_id=("queue_id", "last"),
        final_outcome=("outcome", "last"),
        queue_stint_count=("queue_id", "size"),
        transfer_count=("is_transferred", "sum"),
        total_wait_seconds=("wait_seconds", "sum"),
        is_test_call=("is_test_call", "max"),
    )
    with duckdb.connect(str(simulated_run.warehouse.serving_path), read_only=True) as con:
        calls = (
            con.execute(f"select call_id, {', '.join(expected.columns)} from marts.fct_calls")
            .df()
            .set_index("call_id")
            .sort_index()
        )
    assert (expected["transfer_count"] > 0).sum() > 50  # transfers really were stitched
    pd.testing.assert_frame_equal(calls, expected.sort_index(), check_dtype=False)


def _truth_calls(run: SimulatedRun) -> pd.DataFrame:
    """One row per call of the truth from a known number (no test calls, no withheld
    numbers): caller, arrival, whether answered, last stint."""
    stints = run.truth.sort_values(["arrived_epoch", "queue_id"])
    stints = stints.assign(left_epoch=stints["arrived_epoch"] + stints["wait_seconds"])
    calls = stints.groupby("call_id").agg(
        caller=("caller", "first"),
        arrived=("arrived_epoch", "min"),
        answered=("outcome", lambda o: (o == "answered").any()),
        final=("outcome", "last"),
        left=("left_epoch", "last"),
        test=("is_test_call", "max"),
    )
    calls = calls[~calls["test"] & (calls["caller"] != WITHHELD)]
    return calls.assign(arrival_date=run.local_dates(calls["arrived"]))


def test_cdr_linkedid_ties_every_consult_leg_to_its_caller(simulated_run: SimulatedRun) -> None:
    """The attended-transfer consult legs (uniqueid on ATTENDEDTRANSFER) reach fct_calls'
    linkedid path: each maps to the caller's call, which the truth says was transferred."""
    with duckdb.connect(str(simulated_run.warehouse.serving_path), read_only=True) as con:
        links = con.execute(
            "select consult.call_id, legs.linked_call_id"
            " from staging.stg_pbx__queue_log as consult"
            " left join intermediate.int_call_legs_linked as legs"
            " on consult.call_id = legs.call_leg_id"
            " where consult.event_type = 'ATTENDEDTRANSFER'"
        ).fetchall()
        names = con.execute(
            "select count(*) filter (where caller_id like '\"张伟\" <%'),"
            " count(*) filter (where caller_id like '%\ufffd%')"
            " from staging.stg_pbx__cdr"
        ).fetchone()
    transferred = set(simulated_run.truth.loc[simulated_run.truth["is_transferred"], "call_id"])
    assert len(links) > 5
    assert all(caller in transferred and caller != consult for consult, caller in links)
    # Caller names written in GBK arrive decoded, none garbled.
    assert names[0] > 0 and names[1] == 0


def test_callbacks_equal_truth(simulated_run: SimulatedRun) -> None:
    calls = _truth_calls(simulated_run)
    lost = calls[~calls["answered"] & (calls["final"] != "short_abandoned")]
    answered = calls[calls["answered"]]
    expected = {}
    for call_id, call in lost.iterrows():
        later = answered[
            (answered["caller"] == call["caller"]) & (answered["arrived"] > call["arrived"])
        ]["arrived"]
        expected[call_id] = int(later.min() - call["left"]) if len(later) else None
    with duckdb.connect(str(simulated_run.warehouse.serving_path), read_only=True) as con:
        actual = dict(
            con.execute(
                "select call_id, time_to_recall_seconds from marts.mart_callbacks"
            ).fetchall()
        )
    assert sum(v is not None for v in expected.values()) > 100  # callers really called again
    assert actual == expected


def test_callers_by_frequency_equal_truth(simulated_run: SimulatedRun) -> None:
    calls = _truth_calls(simulated_run)
    per_caller = calls.groupby(["arrival_date", "caller"]).size()
    bands = per_caller.map(lambda n: str(n) if n <= 4 else "5-10" if n <= 10 else ">10")
    expected = bands.groupby(level="arrival_date").value_counts().sort_index()
    with duckdb.connect(str(simulated_run.warehouse.serving_path), read_only=True) as con:
        rows = con.execute(
            "select arrival_date, frequency_band, caller_count"
            " from marts.mart_callers_by_frequency_daily"
        ).fetchall()
    actual = {(d, band): count for d, band, count in rows}
    assert actual == {(d, band): count for (d, band), count in expected.items()}
    assert any(band != "1" for _, band in actual)  # repeat callers exist
