"""A manager drills down by clicking: a team's row in the Teams table cross-filters the
Agents table to that team, then an agent's id cross-filters the Calls table to their calls."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Page

from tests.e2e.superset_app import (
    RENDER_TIMEOUT_MS,
    RunningSuperset,
    chart,
    logged_in_page,
    open_dashboard,
    table_column,
    wait_for_chart,
)

pytestmark = pytest.mark.e2e


def _click_cell(page: Page, title: str, text: str) -> None:
    cell = (
        chart(page, title).locator("tbody td").filter(has_text=re.compile(f"^{re.escape(text)}$"))
    )
    cell.first.click()


def _wait_until_column_is(page: Page, title: str, header: str, value: str) -> list[str]:
    """Waits until every row of the table's column holds `value` (the cross-filter applied)."""
    for _ in range(RENDER_TIMEOUT_MS // 1_000):
        shown = table_column(page, title, header)
        if shown and set(shown) == {value}:
            return shown
        page.wait_for_timeout(1_000)
    raise AssertionError(f"{title}.{header} still shows {sorted(set(shown))}, not only {value}")


def test_team_to_agent_to_calls(superset: RunningSuperset, serving_path: Path) -> None:
    with duckdb.connect(str(serving_path), read_only=True) as con:
        team_agents = {a for (a,) in con.execute(
            "select distinct agent_id from marts.mart_agent_kpis_daily"
            " where team_name = 'Support B'").fetchall()}  # fmt: skip
    with logged_in_page(superset, "manager", "drill_down.png") as page:
        open_dashboard(page, superset, "agent-performance", "Teams")
        wait_for_chart(page, "Calls handled")

        _click_cell(page, "Teams", "Support B")
        _wait_until_column_is(page, "Agents", "Team", "Support B")
        agents = set(table_column(page, "Agents", "Agent"))
        assert agents <= team_agents and agents

        agent = sorted(agents)[0]
        _click_cell(page, "Agents", agent)
        _wait_until_column_is(page, "Calls handled", "Agent", agent)
