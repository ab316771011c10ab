"""The payroll export of the simulated month: each month's scorecard as CSV and XLSX that
open and hold the published scorecard's numbers; the new-hire telesales agents score below
the tenured ones, as the seeds' story goes."""

from __future__ import annotations

import pandas as pd
import pytest

from orchestration.lib.payroll_export import EXPORT_DIR
from tests.conftest import SimulatedRun

pytestmark = pytest.mark.slow


def test_payroll_files_hold_the_published_scorecard(simulated_run: SimulatedRun) -> None:
    mart = simulated_run.query(
        "select strftime(month_start_date, '%Y-%m') as month, agent_id, round(score, 2) as score,"
        " team_rank, center_rank from marts.mart_agent_scorecard_monthly"
    )
    exports = simulated_run.warehouse.serving_path.parent / EXPORT_DIR
    for month, rows in mart.groupby("month"):
        expected = rows.set_index("agent_id")[["score", "team_rank", "center_rank"]].sort_index()
        for frame in (
            pd.read_csv(exports / f"scorecard_{month}.csv", dtype={"agent_id": str}),
            pd.read_excel(exports / f"scorecard_{month}.xlsx", dtype={"agent_id": str}),
        ):
            actual = frame.set_index("agent_id")[["score", "team_rank", "center_rank"]]
            pd.testing.assert_frame_equal(actual.sort_index(), expected, check_dtype=False)
            assert (frame["month"] == month).all() and frame["agent_name"].notna().all()
    assert sorted(mart["month"].unique()) == ["2026-10", "2026-11"]


def test_new_hires_score_below_the_tenured_telesales(simulated_run: SimulatedRun) -> None:
    scores = simulated_run.query(
        "select team_name, avg(score) as score from marts.mart_agent_scorecard_monthly"
        " where team_name like 'Telesales%' group by 1"
    ).set_index("team_name")["score"]
    assert scores["Telesales New"] < scores["Telesales Tenured"]
