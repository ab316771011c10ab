"""The agent KPI marts hold each agent's true state time (logged, talk, ringing, ACW, pause by
reason, idle) per local day and per 15-minute interval, handled calls and ring-outs, and
every agent metric of the contract, over the simulated month (Mon 12 Oct to Sun 8 Nov 2026
in New York: DST ends on 1 Nov), telesales agents included, with the agent's team of that
day. The truth is derived here in Python from the simulator's files (agent_states.csv: the
states the simulator's agents were in, second by second)."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from orchestration.resources import REPO_ROOT
from orchestration.simulate.output import AGENT_STATES_FILE, OUTBOUND_ATTEMPTS_FILE
from tests.conftest import SimulatedRun

pytestmark = pytest.mark.slow

INTERVAL_SECONDS = 900
STATE_COLUMNS = {
    "talking": "talk_seconds",
    "ringing": "ringing_seconds",
    "wrap_up": "acw_seconds",
    "paused": "pause_seconds",
    "idle": "idle_seconds",
}


def _true_state_pieces(run: SimulatedRun) -> pd.DataFrame:
    """The truth's state spans cut at every 15-minute boundary (UTC boundaries are local
    ones too: New York's offsets are whole hours), with each piece's local date."""
    states = run.truth_file(AGENT_STATES_FILE)
    pieces = []
    for agent, state, reason, start, end in states.to_numpy():
        start, end = int(start), int(end)
        while start < end:
            cut = min(end, (start // INTERVAL_SECONDS + 1) * INTERVAL_SECONDS)
            pieces.append((agent, state, reason, start // INTERVAL_SECONDS * INTERVAL_SECONDS,
                           start, cut - start))  # fmt: skip
            start = cut
    frame = pd.DataFrame(
        pieces, columns=["agent_id", "state", "reason", "interval", "start", "seconds"]
    )
    frame["local_date"] = run.local_dates(frame["start"])
    return frame


def _state_columns(pieces: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    wide = pieces.pivot_table(index=keys, columns="state", values="seconds", aggfunc="sum")
    wide = wide.reindex(columns=list(STATE_COLUMNS), fill_value=0).fillna(0)
    wide = wide.rename(columns=STATE_COLUMNS)
    wide.insert(0, "logged_seconds", wide.sum(axis=1))
    return wide.astype("int64").sort_index()


@pytest.fixture(scope="module")
def true_pieces(simulated_run: SimulatedRun) -> pd.DataFrame:
    return _true_state_pieces(simulated_run)


def _mart_state_seconds(run: SimulatedRun, mart: str, period_sql: str) -> pd.DataFrame:
    """The mart's state seconds per agent and period (`period_sql`, named period)."""
    columns = ", ".join(f"sum({c}) as {c}" for c in ["logged_seconds", *STATE_COLUMNS.values()])
    rows = run.query(
        f"select agent_id, {period_sql} as period, {columns} from marts.{mart}"
        " group by 1, 2 having sum(logged_seconds) > 0"
    )
    return rows.set_index(["agent_id", "period"]).astype("int64").sort_index()


def test_state_seconds_per_agent_day_equal_truth(
    simulated_run: SimulatedRun, true_pieces: pd.DataFrame
) -> None:
    expected = _state_columns(true_pieces, ["agent_id", "local_date"])
    actual = _mart_state_seconds(simulated_run, "mart_agent_kpis_daily", "local_date")
    actual.index = actual.index.set_levels(actual.index.levels[1].date, level=1)
    pd.testing.assert_frame_equal(actual, expected, check_names=False)
    # The month holds the DST change and the agents' stories.
    assert pd.Timestamp("2026-11-01").date() in set(expected.index.get_level_values(1))
    per_agent = expected.groupby(level=0).sum()
    assert per_agent.loc["1008", "acw_seconds"] > per_agent.loc["1001", "acw_seconds"] > 0
    assert per_agent.loc["1002", "acw_seconds"] == 0  # its wrap-up is not logged: idle


def test_state_seconds_per_15_minutes_equal_truth(
    simulated_run: SimulatedRun, true_pieces: pd.DataFrame
) -> None:
    expected = _state_columns(true_pieces, ["agent_id", "interval"])
    actual = _mart_state_seconds(
        simulated_run, "mart_agent_kpis_15m", "epoch(interval_start_at)::bigint"
    )
    pd.testing.assert_frame_equal(actual, expected, check_names=False)
    assert (expected["logged_seconds"] <= INTERVAL_SECONDS).all()


def test_pause_time_by_reason_equals_truth(
    simulated_run: SimulatedRun, true_pieces: pd.DataFrame
) -> None:
    paused = true_pieces[true_pieces["state"].isin(["paused", "wrap_up"])]
    expected = paused.groupby(["agent_id", "local_date", "reason"])["seconds"].sum()
    mart = simulated_run.query(
        "select agent_id, local_date, pause_reason, sum(pause_seconds) as seconds"
        " from marts.mart_agent_pause_reasons_daily group by 1, 2, 3"
    )
    mart["local_date"] = pd.to_datetime(mart["local_date"]).dt.date
    actual = mart.set_index(["agent_id", "local_date", "pause_reason"])["seconds"]
    pd.testing.assert_series_equal(
        actual.sort_index().astype("int64"), expected.sort_index().astype("int64"),
        check_names=False,
    )  # fmt: skip
    reasons = set(expected.index.get_level_values(2))
    assert {"Lunch", "Break", "Auto-Pause", "ACW"} <= reasons
    lunch = expected.xs("Lunch", level=2).groupby(level=0).sum()
    assert lunch["1003"] > 1.5 * lunch["1009"]  # 1003 takes long pauses


def _true_counts(run: SimulatedRun) -> pd.DataFrame:
    """Handled calls (answered stints, test calls left out) and ring-outs per agent-day.
    A ring-out is a ringing span the agent's auto-pause follows at once (RINGNOANSWER)."""
    answered = run.truth[(run.truth["outcome"] == "answered") & ~run.truth["is_test_call"]]
    handled = pd.DataFrame(
        {
            "agent_id": answered["agent"].str.split("/").str[-1],
            "local_date": run.local_dates(answered["arrived_epoch"] + answered["wait_seconds"]),
        }
    ).value_counts()
    states = run.truth_file(AGENT_STATES_FILE)
    ends = Counter(
        (agent, end) for agent, state, end in states[["agent_id", "state", "end_epoch"]].to_numpy()
        if state == "ringing"
    )  # fmt: skip
    auto_pauses = states[(states["state"] == "paused") & (states["pause_reason"] == "Auto-Pause")]
    ring_outs = auto_pauses[
        [ends[(a, s)] > 0 for a, s in auto_pauses[["agent_id", "start_epoch"]].to_numpy()]
    ]
    rona = pd.DataFrame(
        {"agent_id": ring_outs["agent_id"], "local_date": run.local_dates(ring_outs["start_epoch"])}
    ).value_counts()
    return pd.DataFrame({"handled_count": handled, "rona_count": rona}).fillna(0).astype("int64")


def test_every_agent_metric_equals_truth(
    simulated_run: SimulatedRun, true_pieces: pd.DataFrame
) -> None:
    """Each metric of the contract (the expressions Superset uses, from the dbt manifest)
    per agent-day, against the same formula on the true components."""
    truth = _state_columns(true_pieces, ["agent_id", "local_date"]).join(
        _true_counts(simulated_run), how="outer"
    ).fillna(0)  # fmt: skip
    t, handled, rona = truth, truth["handled_count"], truth["rona_count"]
    busy = t["talk_seconds"] + t["acw_seconds"]
    expected = {
        "logged_hours": t["logged_seconds"] / 3600,
        "aht_seconds": busy / handled.replace(0, np.nan),
        "occupancy": busy / (busy + t["idle_seconds"]).replace(0, np.nan),
        "utilization": busy / t["logged_seconds"].replace(0, np.nan),
        "agent_answer_rate": handled / (handled + rona).replace(0, np.nan),
        "rona": rona,
        "calls_per_hour": handled
        * 3600
        / (t["logged_seconds"] - t["pause_seconds"]).replace(0, np.nan),
        "handled": handled,
        # The state time chart's hours.
        "talk_hours": t["talk_seconds"] / 3600,
        "acw_hours": t["acw_seconds"] / 3600,
        "ringing_hours": t["ringing_seconds"] / 3600,
        "paused_hours": t["pause_seconds"] / 3600,
        "idle_hours": t["idle_seconds"] / 3600,
    }
    manifest = json.loads((REPO_ROOT / "dbt_project/target/manifest.json").read_text())
    metrics = manifest["nodes"]["model.contact_center.mart_agent_kpis_daily"]["config"]["meta"]
    expressions = {m["name"]: m["expression"] for m in metrics["metrics"]}
    assert set(expressions) == set(expected)
    selected = ", ".join(f"{sql} as {name}" for name, sql in expressions.items())
    mart = simulated_run.query(
        f"select agent_id, local_date, {selected} from marts.mart_agent_kpis_daily group by 1, 2"
    )
    mart["local_date"] = pd.to_datetime(mart["local_date"]).dt.date
    actual = mart.set_index(["agent_id", "local_date"]).sort_index()
    expected_frame = pd.DataFrame(expected).reindex(actual.index)
    assert actual.index.equals(truth.sort_index().index)
    pd.testing.assert_frame_equal(
        actual.astype(float), expected_frame.astype(float), check_names=False, rtol=1e-9
    )
    assert (
        truth["rona_count"].groupby(level=0).sum()["1007"]
        > 3 * truth["rona_count"].groupby(level=0).sum().drop("1007").max()
    )  # 1007 lets calls ring out


def test_talk_and_handled_per_agent_day_equal_truth(simulated_run: SimulatedRun) -> None:
    run = simulated_run
    # Test calls are handled by nobody's KPIs, but the agent was talking all the same.
    answered = run.truth[run.truth["outcome"] == "answered"]
    connected = answered["arrived_epoch"] + answered["wait_seconds"]
    inbound = pd.DataFrame(
        {
            "agent_id": answered["agent"].str.split("/").str[-1],
            "local_date": run.local_dates(connected),
            "handled": (~answered["is_test_call"]).astype(int),
            "talk": answered["talk_seconds"].astype(int),
        }
    )
    attempts = run.truth_file(OUTBOUND_ATTEMPTS_FILE)
    attempts = attempts[attempts["answer_epoch"] != ""]
    outbound = pd.DataFrame(
        {
            "agent_id": attempts["agent_id"],
            "local_date": run.local_dates(attempts["start_epoch"]),
            "handled": 0,
            "talk": attempts["end_epoch"].astype(int) - attempts["answer_epoch"].astype(int),
        }
    )
    expected = pd.concat([inbound, outbound]).groupby(["agent_id", "local_date"]).sum()
    mart = run.query(
        "select agent_id, local_date, sum(handled_count) as handled, sum(talk_seconds) as talk"
        " from marts.mart_agent_kpis_daily group by 1, 2 having sum(handled_count) > 0"
        " or sum(talk_seconds) > 0"
    )
    mart["local_date"] = pd.to_datetime(mart["local_date"]).dt.date
    actual = mart.set_index(["agent_id", "local_date"]).sort_index()
    pd.testing.assert_frame_equal(
        actual.astype("int64"), expected.sort_index().astype("int64"), check_names=False
    )


def test_states_add_up_and_teams_follow_the_move(simulated_run: SimulatedRun) -> None:
    rows = simulated_run.query(
        "select agent_id, local_date, team_name, logged_seconds, talk_seconds, ringing_seconds,"
        " acw_seconds, pause_seconds, idle_seconds from marts.mart_agent_kpis_daily"
    )
    parts = rows[["talk_seconds", "ringing_seconds", "acw_seconds", "pause_seconds",
                  "idle_seconds"]].sum(axis=1)  # fmt: skip
    assert (parts == rows["logged_seconds"]).all()
    teams = {
        (agent, pd.Timestamp(day).date()): team
        for agent, day, team in rows[["agent_id", "local_date", "team_name"]].to_numpy()
    }
    assert all(team == simulated_run.team_on(agent, day) for (agent, day), team in teams.items())
    assert {team for (agent, _), team in teams.items() if agent == "1004"} == {
        "Sales East",
        "Support A",
    }
