"""The outbound funnel, trunk usage and cost-per-call marts equal the simulator's ground truth
over the simulated month, and the data tells the seeds' story: the new-hire telesales group
converts at about half the tenured group's rate. The truth is derived here in Python from
the simulator's files, independently of dbt."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from orchestration.simulate.output import (
    AGENT_LOGINS_FILE,
    OUTBOUND_ATTEMPTS_FILE,
    TRUNK_CALLS_FILE,
    WINDOW_TRUTH_FILE,
)
from tests.conftest import SimulatedRun

pytestmark = pytest.mark.slow

FUNNEL_KEYS = ["local_date", "campaign_id", "agent_id", "team_name"]
FUNNEL_COUNTS = ["dial_count", "connect_count", "machine_answer_count", "intent_count",
                 "conversion_count", "not_converted_count", "conversion_pending_count"]  # fmt: skip


@pytest.fixture(scope="module")
def truth_attempts(simulated_run: SimulatedRun) -> pd.DataFrame:
    run = simulated_run
    attempts = run.truth_file(OUTBOUND_ATTEMPTS_FILE).set_index("uniqueid")
    for flag in ["is_machine", "is_connect", "is_intent", "is_converted"]:
        attempts[flag] = attempts[flag] == "true"
    attempts["local_date"] = attempts["local_date"].map(dt.date.fromisoformat)
    data_end = int(run.truth_file(WINDOW_TRUTH_FILE)["data_end_epoch"].iloc[0])
    data_end_date = run.local_dates(pd.Series([data_end])).iloc[0]
    window = dt.timedelta(days=run.config.outbound.attribution_days)
    complete = attempts["local_date"] + window <= data_end_date
    attempts["conversion_status"] = np.select(
        [~attempts["is_connect"], attempts["is_converted"], complete],
        [None, "converted", "not_converted"],
        "pending",
    )
    attempts["revenue"] = (
        attempts["amount"].replace("", "0").astype(float).where(attempts["is_converted"], 0.0)
    )
    attempts["team_name"] = [
        run.team_on(a, d) for a, d in zip(attempts["agent_id"], attempts["local_date"], strict=True)
    ]
    return attempts


def test_every_attempt_has_its_true_funnel_outcome(
    simulated_run: SimulatedRun, truth_attempts: pd.DataFrame
) -> None:
    warehouse = simulated_run.query(
        "select attempt_id, campaign_id, agent_id, trunk_id, is_connect, is_intent,"
        " conversion_status, coalesce(revenue, 0) as revenue from marts.fct_outbound_attempts",
    ).set_index("attempt_id")
    expected = truth_attempts.rename(columns={"campaign": "campaign_id", "trunk": "trunk_id"})
    columns = ["campaign_id", "agent_id", "trunk_id", "is_connect", "is_intent",
               "conversion_status"]  # fmt: skip
    expected = expected.replace({"": None})
    assert len(expected) > 5000
    assert warehouse.index.sort_values().equals(expected.index.sort_values())
    actual = warehouse.loc[expected.index]
    for column in columns:
        assert actual[column].astype(object).where(actual[column].notna(), None).tolist() == (
            expected[column].tolist()
        ), column
    assert np.allclose(actual["revenue"].astype(float), expected["revenue"])
    assert set(expected["conversion_status"].dropna()) == {"converted", "not_converted", "pending"}


def test_funnel_mart_equals_truth(
    simulated_run: SimulatedRun, truth_attempts: pd.DataFrame
) -> None:
    truth = truth_attempts.rename(columns={"campaign": "campaign_id"}).copy()
    truth["dial_count"] = 1
    truth["connect_count"] = truth["is_connect"]
    truth["machine_answer_count"] = truth["is_machine"]
    truth["intent_count"] = truth["is_intent"]
    for status in ["converted", "not_converted", "pending"]:
        column = "conversion_count" if status == "converted" else f"{status}_count"
        column = "conversion_pending_count" if status == "pending" else column
        truth[column] = truth["conversion_status"] == status
    expected = truth.groupby(FUNNEL_KEYS)[[*FUNNEL_COUNTS, "revenue"]].sum().sort_index()
    mart = simulated_run.query("select * from marts.mart_outbound_funnel_daily")
    mart["local_date"] = pd.to_datetime(mart["local_date"]).dt.date
    actual = mart.groupby(FUNNEL_KEYS)[[*FUNNEL_COUNTS, "revenue"]].sum().sort_index()
    assert actual.index.equals(expected.index)
    pd.testing.assert_frame_equal(
        actual[FUNNEL_COUNTS].astype("int64"), expected[FUNNEL_COUNTS].astype("int64")
    )
    assert np.allclose(actual["revenue"].astype(float), expected["revenue"])


def _truth_logged_seconds(run: SimulatedRun) -> dict[tuple[str, dt.date], int]:
    """Logged-in seconds per (agent, local day) from the truth's login spans."""
    logins = run.truth_file(AGENT_LOGINS_FILE)
    zone = run.config.center.timezone
    logged: dict[tuple[str, dt.date], int] = {}
    for agent, start, end in logins[["agent_id", "login_epoch", "logout_epoch"]].to_numpy():
        start, end = int(start), int(end)
        while start < end:  # split at local midnights
            local = pd.Timestamp(start, unit="s", tz="UTC").tz_convert(zone)
            midnight = (local.normalize() + pd.Timedelta(days=1)).tz_localize(None)
            cut = min(end, int(midnight.tz_localize(zone).timestamp()))
            logged[(agent, local.date())] = logged.get((agent, local.date()), 0) + cut - start
            start = cut
    return logged


def test_logged_hours_equal_the_truth_logins(simulated_run: SimulatedRun) -> None:
    actual = simulated_run.query(
        "select agent_id, local_date, logged_seconds from intermediate.int_agent_logged_time_daily",
    )
    assert {
        (agent, pd.Timestamp(day).date()): seconds for agent, day, seconds in actual.to_numpy()
    } == _truth_logged_seconds(simulated_run)


def test_new_hires_convert_at_about_half_the_tenured_rate(simulated_run: SimulatedRun) -> None:
    rates = simulated_run.query(
        "select team_name, sum(conversion_count) * 1.0 / nullif(sum(connect_count), 0)"
        " as conversion_rate"
        " from marts.mart_outbound_funnel_daily group by team_name",
    ).set_index("team_name")["conversion_rate"]
    ratio = rates["Telesales New"] / rates["Telesales Tenured"]
    assert 0.35 <= ratio <= 0.65, rates.to_dict()


def _sweep_peaks(calls: pd.DataFrame) -> dict[tuple[str, str, int], int]:
    """Peak simultaneous calls per (trunk, direction, 15-minute interval start epoch): a sweep
    over the net change of held calls at each second (a call holds its trunk over [start,
    end))."""
    peaks: dict[tuple[str, str, int], int] = {}
    for direction in ["inbound", "outbound", "all"]:
        chosen = calls if direction == "all" else calls[calls["direction"] == direction]
        for trunk, rows in chosen.groupby("trunk"):
            changes: dict[int, int] = {}
            for start, end in rows[["start_epoch", "end_epoch"]].to_numpy():
                changes[start] = changes.get(start, 0) + 1
                changes[end] = changes.get(end, 0) - 1
            first = rows["start_epoch"].min() // 900 * 900
            last = rows["end_epoch"].max() // 900 * 900
            level, times = 0, sorted(changes)
            position = 0
            for interval in range(first, last + 1, 900):
                # The level at the interval's first second: changes up to it included.
                while position < len(times) and times[position] <= interval:
                    level += changes[times[position]]
                    position += 1
                peak = level
                while position < len(times) and times[position] < interval + 900:
                    level += changes[times[position]]
                    peak = max(peak, level)
                    position += 1
                peaks[(trunk, direction, interval)] = peak
    return peaks


def test_trunk_usage_equals_truth(simulated_run: SimulatedRun) -> None:
    calls = simulated_run.truth_file(TRUNK_CALLS_FILE)
    calls[["start_epoch", "end_epoch"]] = calls[["start_epoch", "end_epoch"]].astype(int)
    mart = simulated_run.query(
        "select trunk_id, direction, epoch(interval_start_at) as interval_epoch,"
        " attempt_count, failure_count, peak_concurrent_calls, capacity"
        " from marts.mart_trunk_usage_15m",
    )
    actual = {
        (t, d, int(i)): p
        for t, d, i, p in mart[
            ["trunk_id", "direction", "interval_epoch", "peak_concurrent_calls"]
        ].to_numpy()
    }
    assert actual == _sweep_peaks(calls)
    # An attempt is a leg (a caller's call keeps its trunk across transfers), at its start.
    legs = calls.sort_values("start_epoch").drop_duplicates(["uniqueid", "direction"])
    both = pd.concat([legs, legs.assign(direction="all")])
    both["interval_epoch"] = both["start_epoch"] // 900 * 900
    both["failure"] = both["disposition"].isin(["BUSY", "FAILED", "CONGESTION"])
    expected = both.groupby(["trunk", "direction", "interval_epoch"]).agg(
        attempts=("uniqueid", "size"), failures=("failure", "sum")
    )
    counted = mart[mart["attempt_count"] > 0].set_index(
        ["trunk_id", "direction", "interval_epoch"]
    )[["attempt_count", "failure_count"]]
    assert {(t, d, int(i)): (int(a), int(f)) for (t, d, i), (a, f) in counted.iterrows()} == {
        key: (int(a), int(f)) for key, (a, f) in expected.iterrows()
    }
    capacity = {t.trunk_id: t.capacity for t in simulated_run.config.trunks}
    assert dict(zip(mart["trunk_id"], mart["capacity"], strict=True)) == capacity
    # trunk-c fills at peaks (occupancy near 100 %) and fails dials most often.
    by_trunk = mart[mart["direction"] == "all"].groupby("trunk_id")
    occupancy = by_trunk["peak_concurrent_calls"].max() / pd.Series(capacity)
    failure_rate = by_trunk["failure_count"].sum() / by_trunk["attempt_count"].sum()
    assert occupancy["trunk-c"] >= 0.9 and failure_rate.idxmax() == "trunk-c"


def test_cost_per_call_inputs_equal_truth(
    simulated_run: SimulatedRun, truth_attempts: pd.DataFrame
) -> None:
    """Per local day and team: handled calls, billed line seconds and logged seconds, so
    that cost per call = (hourly cost x logged hours + line cost x billed minutes) / handled."""
    run = simulated_run
    stints = run.truth.sort_values(["arrived_epoch", "queue_id"])
    answered = stints[(stints["outcome"] == "answered") & ~stints["is_test_call"]]
    calls = answered.groupby("call_id").agg(agent=("agent", "last"))
    calls = calls.join(stints.groupby("call_id").agg(arrived=("arrived_epoch", "min"),
                                                     queue=("queue_id", "last")))  # fmt: skip
    trunk_calls = run.truth_file(TRUNK_CALLS_FILE)
    inbound = trunk_calls[trunk_calls["direction"] == "inbound"].set_index("uniqueid")
    billed = (
        (inbound["end_epoch"].astype(int) - inbound["start_epoch"].astype(int))
        .groupby(level=0)
        .sum()
    )
    calls["billed"] = billed.reindex(calls.index).fillna(0)
    calls["local_date"] = run.local_dates(calls["arrived"])
    calls["team"] = [
        run.team_on(a, d) for a, d in zip(calls["agent"], calls["local_date"], strict=True)
    ]
    outbound = truth_attempts.assign(
        handled=truth_attempts["is_connect"].astype(int),
        billed=truth_attempts["billsec"].astype(int),
        team=truth_attempts["team_name"],
    )
    expected = (
        pd.concat(
            [
                calls.assign(handled=1)[["local_date", "team", "handled", "billed"]],
                outbound[["local_date", "team", "handled", "billed"]],
            ]
        )
        .groupby(["local_date", "team"])[["handled", "billed"]]
        .sum()
    )
    mart = run.query(
        "select local_date, team_name, sum(handled_count) as handled,"
        " sum(billed_seconds) as billed, sum(logged_seconds) as logged,"
        " sum(agent_cost) as agent_cost, sum(line_cost) as line_cost"
        " from marts.mart_cost_per_call_daily group by 1, 2",
    )
    mart["local_date"] = pd.to_datetime(mart["local_date"]).dt.date
    mart = mart.set_index(["local_date", "team_name"]).sort_index()
    with_calls = mart[mart["handled"] > 0][["handled", "billed"]].astype("int64")
    pd.testing.assert_frame_equal(
        with_calls, expected[expected["handled"] > 0].astype("int64"), check_names=False
    )
    costs = run.config.costs
    assert np.allclose(mart["agent_cost"], mart["logged"] / 3600 * costs.agent_hourly_cost)
    assert np.allclose(mart["line_cost"], mart["billed"] / 60 * costs.line_cost_per_minute)
    logged = pd.Series(_truth_logged_seconds(run))
    logged.index = pd.MultiIndex.from_tuples(
        [(d, run.team_on(a, d)) for a, d in logged.index], names=["local_date", "team_name"]
    )
    logged = logged.groupby(level=[0, 1]).sum().sort_index()
    assert np.allclose(mart["logged"].reindex(logged.index), logged)
