"""Each role of superset/access.yaml logs in and sees what it should, in the browser: a team
lead only their team's agents, an agent only their own rows, the shared analyst only the
shared marts (no PII dataset, no SQL Lab)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.e2e.superset_app import (
    RunningSuperset,
    logged_in_page,
    open_dashboard,
    table_column,
    wait_for_chart,
)

pytestmark = pytest.mark.e2e

AGENTS = "Agents"


def _rows(serving_path: Path, sql: str, *params: object) -> list[tuple]:
    with duckdb.connect(str(serving_path), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def _agents_shown(superset: RunningSuperset, username: str, screenshot: str) -> set[str]:
    with logged_in_page(superset, username, screenshot) as page:
        open_dashboard(page, superset, "agent-performance", AGENTS)
        wait_for_chart(page, "Calls handled")
        return set(table_column(page, AGENTS, "Agent"))


def test_team_lead_sees_only_their_teams_agents(
    superset: RunningSuperset, serving_path: Path
) -> None:
    ((lead, team),) = _rows(
        serving_path,
        "select distinct manager_user_id, team_name from marts.dim_agents"
        " where is_current and team_name = 'Support A'",
    )
    expected = {a for (a,) in _rows(serving_path,
        "select distinct agent_id from marts.mart_agent_kpis_daily where team_name in"
        " (select team_name from marts.dim_agents where manager_user_id = ?)", lead)}  # fmt: skip
    everyone = {a for (a,) in _rows(serving_path,
        "select distinct agent_id from marts.mart_agent_kpis_daily")}  # fmt: skip
    assert team == "Support A" and 0 < len(expected) < len(everyone)
    assert _agents_shown(superset, lead, "role_team_lead.png") == expected


def test_agent_sees_only_their_own_rows(superset: RunningSuperset, serving_path: Path) -> None:
    ((user_id,),) = _rows(
        serving_path,
        "select crm_user_id from marts.dim_agents where is_current and agent_id = '1009'",
    )
    with logged_in_page(superset, user_id, "role_agent.png") as page:
        open_dashboard(page, superset, "agent-performance", AGENTS)
        agents = set(table_column(page, AGENTS, "Agent"))
        calls = set(table_column(page, "Calls handled", "Agent"))
    assert agents == {"1009"} and calls == {"1009"}


def test_shared_analyst_reads_only_the_shared_marts(superset: RunningSuperset) -> None:
    analyst, admin = superset.api("analyst"), superset.api("admin")
    readable = {
        d["table_name"] for d in analyst.get("/api/v1/dataset/?q=(page_size:100)")["result"]
    }
    assert readable == {"shared_cx_daily", "shared_contact_mix_daily"}
    # Not listed, and not readable either: the callback worklist holds callers' numbers.
    assert analyst.status(f"/api/v1/dataset/{admin.dataset_id('mart_callbacks')}") in (403, 404)
    assert analyst.status("/api/v1/sqllab/") in (401, 403)
    assert admin.status("/api/v1/sqllab/") == 200
    with logged_in_page(superset, "analyst", "role_shared_analyst_sqllab.png") as page:
        response = page.goto(f"{superset.url}/sqllab/")
        assert response is not None and response.status == 403
