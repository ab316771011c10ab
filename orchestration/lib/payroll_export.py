"""The payroll export: each month's agent scorecard as CSV and XLSX for the salary system,
read from the published serving warehouse (what was checked is what is paid)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

EXPORT_DIR = "exports"
# One row per agent and month: the score with its ranks and changes, then each KPI's value
# and attainment side by side.
_SCORECARD_SQL = """
select
    strftime(scorecard.month_start_date, '%Y-%m') as month,
    scorecard.agent_id,
    agents.agent_name,
    scorecard.team_name,
    scorecard.role,
    round(scorecard.score, 2) as score,
    scorecard.team_rank,
    scorecard.center_rank,
    round(scorecard.score_change_month, 2) as score_change_month,
    round(scorecard.score_change_year, 2) as score_change_year
from marts.mart_agent_scorecard_monthly as scorecard
left join (
    select agent_id, max_by(agent_name, valid_from) as agent_name
    from marts.dim_agents
    group by 1
) as agents
    on scorecard.agent_id = agents.agent_id
order by month, center_rank, agent_id
"""
_KPI_SQL = """
select strftime(month_start_date, '%Y-%m') as month, agent_id, kpi, kpi_value, attainment
from marts.fct_agent_kpis_monthly
"""


def scorecard_table(serving_path: Path) -> pd.DataFrame:
    """Every month's scorecard, wide: one row per agent and month."""
    with duckdb.connect(str(serving_path), read_only=True) as con:
        scorecard = con.execute(_SCORECARD_SQL).df()
        kpis = con.execute(_KPI_SQL).df()
    wide = kpis.pivot_table(
        index=["month", "agent_id"], columns="kpi", values=["kpi_value", "attainment"]
    )
    wide.columns = [f"{kpi}_{'value' if part == 'kpi_value' else 'attainment'}"
                    for part, kpi in wide.columns]  # fmt: skip
    return scorecard.merge(wide.round(4).reset_index(), on=["month", "agent_id"], how="left")


def write_payroll_exports(serving_path: Path, warehouse_dir: Path) -> list[Path]:
    """`exports/scorecard_<yyyy-mm>.csv` and `.xlsx` per month; returns the files written."""
    table = scorecard_table(serving_path)
    out = warehouse_dir / EXPORT_DIR
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for month, rows in table.groupby("month"):
        stem = out / f"scorecard_{month}"
        rows.to_csv(stem.with_suffix(".csv"), index=False)
        rows.to_excel(stem.with_suffix(".xlsx"), index=False, sheet_name=f"scorecard {month}")
        written += [stem.with_suffix(".csv"), stem.with_suffix(".xlsx")]
    return written
