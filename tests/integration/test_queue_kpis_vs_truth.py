"""The published queue KPI mart equals the simulator's ground truth, queue by queue and
interval by interval (the truth is classified here in Python, independently of dbt)."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from tests.conftest import SimulatedRun

pytestmark = pytest.mark.slow

COUNTS = [
    "stint_count",
    "offered_count",
    "answered_count",
    "abandoned_count",
    "short_abandoned_count",
    "answered_within_sl_count",
]


def _truth_counts(run: SimulatedRun) -> pd.DataFrame:
    truth = run.truth.copy()
    threshold = truth["queue_id"].map(lambda q: run.config.queue(q).sl_threshold_s)
    truth["stint_count"] = 1
    truth["offered_count"] = truth["outcome"] != "short_abandoned"
    for outcome in ["answered", "abandoned", "short_abandoned"]:
        truth[f"{outcome}_count"] = truth["outcome"] == outcome
    truth["answered_within_sl_count"] = truth["answered_count"] & (
        truth["wait_seconds"] <= threshold
    )
    # 15-minute arrival interval, on the UTC instant (the mart's grain).
    truth["arrival_interval_start_at"] = pd.to_datetime(
        truth["arrived_epoch"] // 900 * 900, unit="s"
    )
    return truth.groupby(["queue_id", "arrival_interval_start_at"])[COUNTS].sum().astype("int64")


def _mart_counts(run: SimulatedRun) -> pd.DataFrame:
    with duckdb.connect(str(run.warehouse.serving_path), read_only=True) as con:
        mart = con.sql("select * from marts.mart_queue_kpis_15m").df()
    mart["arrival_interval_start_at"] = mart["arrival_interval_start_at"].astype("datetime64[ns]")
    return mart.set_index(["queue_id", "arrival_interval_start_at"])[COUNTS].sort_index()


def test_counts_per_queue_and_interval_equal_truth(simulated_run: SimulatedRun) -> None:
    truth = _truth_counts(simulated_run)
    mart = _mart_counts(simulated_run)
    assert len(truth) > 50  # a whole day of intervals, not a trivial match
    pd.testing.assert_frame_equal(mart, truth.loc[mart.index], check_dtype=False)
    assert mart.index.equals(truth.index)


def test_service_level_per_queue_equals_truth(simulated_run: SimulatedRun) -> None:
    truth = _truth_counts(simulated_run).groupby("queue_id").sum()
    expected = truth["answered_within_sl_count"] / truth["offered_count"]
    with duckdb.connect(str(simulated_run.warehouse.serving_path), read_only=True) as con:
        actual = (
            con.sql(
                "select queue_id, sum(sl_met_count) / sum(sl_eligible_count) as service_level"
                " from marts.mart_queue_kpis_15m group by 1"
            )
            .df()
            .set_index("queue_id")["service_level"]
        )
    assert set(actual.index) == {"sales", "support"}
    for queue in actual.index:
        assert actual[queue] == pytest.approx(expected[queue], abs=1e-9)
        assert 0.5 < actual[queue] < 1  # a working center, not an empty one


def test_local_interval_is_new_york_wall_clock(simulated_run: SimulatedRun) -> None:
    with duckdb.connect(str(simulated_run.warehouse.serving_path), read_only=True) as con:
        first_local, first_utc, dates = con.execute(
            "select min(arrival_interval_start_at_local), min(arrival_interval_start_at),"
            " list(distinct arrival_date) from marts.mart_queue_kpis_15m"
        ).fetchone()
    # 2026-11-02 is after the fall-back: New York is UTC-5; the center opens at 08:00.
    assert str(first_local) == "2026-11-02 08:00:00"
    assert str(first_utc) == "2026-11-02 13:00:00"
    assert [str(d) for d in dates] == ["2026-11-02"]


def test_daily_mart_equals_truth_with_waits_and_bands(simulated_run: SimulatedRun) -> None:
    truth = simulated_run.truth
    answered = truth[truth["outcome"] == "answered"]
    bands = pd.cut(
        answered["wait_seconds"],
        [-1, 15, 30, 60, 120, 300, float("inf")],
        labels=["0_15", "16_30", "31_60", "61_120", "121_300", "over_300"],
    )
    with duckdb.connect(str(simulated_run.warehouse.serving_path), read_only=True) as con:
        daily = con.execute("select * from marts.mart_queue_kpis_daily").df().set_index("queue_id")
    assert list(daily["arrival_date"].astype(str).unique()) == ["2026-11-02"]
    for queue, row in daily.iterrows():
        queue_answered = answered[answered["queue_id"] == queue]
        queue_abandoned = truth[(truth["queue_id"] == queue) & (truth["outcome"] == "abandoned")]
        assert row["answered_count"] == len(queue_answered)
        assert row["answered_wait_seconds"] == queue_answered["wait_seconds"].sum()
        assert row["abandoned_wait_seconds"] == queue_abandoned["wait_seconds"].sum()
        assert row["max_wait_seconds"] == truth[truth["queue_id"] == queue]["wait_seconds"].max()
        band_counts = bands[answered["queue_id"] == queue].value_counts()
        for band, count in band_counts.items():
            assert row[f"answered_wait_{band}_count"] == count, (queue, band)
