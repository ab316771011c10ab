"""The agent KPI marts hold each agent's true logged time, talk time and handled calls per
local day over the simulated month (telesales agents' outbound talk included), with the
agent's team of that day. The truth is derived here in Python from the simulator's files."""

from __future__ import annotations

import pandas as pd
import pytest

from orchestration.simulate.output import OUTBOUND_ATTEMPTS_FILE
from tests.conftest import SimulatedRun

pytestmark = pytest.mark.slow


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
