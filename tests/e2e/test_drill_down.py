"""A manager drills to the call in three clicks: the Operations dashboard from the list, a
team's row in its Teams table (the queue KPIs of the queues the team owns), which filters the
Agents table to the team, then an agent's Calls link, which opens the Calls dashboard on
that agent and the days of the range. The count it shows is the mart's, and every call is
reachable: the table pages from the server down to the agent's first call."""

from __future__ import annotations

import math
import re
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Page

from tests.e2e.superset_app import (
    RENDER_TIMEOUT_MS,
    RunningSuperset,
    big_number,
    chart,
    logged_in_page,
    table_column,
    wait_for_chart,
)

pytestmark = pytest.mark.e2e

TEAM, AGENT = "Support A", "1009"  # the team owning the support queue; its star agent
PAGE_LENGTH = 50  # superset/dashboards/calls.yaml


def _wait_until_column_is(page: Page, title: str, header: str, value: str) -> list[str]:
    """Waits until every row of the table's column holds `value` (the cross-filter applied)."""
    shown: list[str] = []
    for _ in range(RENDER_TIMEOUT_MS // 1_000):
        shown = table_column(page, title, header)
        if shown and set(shown) == {value}:
            return shown
        page.wait_for_timeout(1_000)
    raise AssertionError(f"{title}.{header} still shows {sorted(set(shown))}, not only {value}")


def test_operations_to_team_to_agent_to_calls(
    superset: RunningSuperset, serving_path: Path
) -> None:
    with duckdb.connect(str(serving_path), read_only=True) as con:
        team_agents = {a for (a,) in con.execute(
            "select distinct agent_id from marts.mart_agent_kpis_daily where team_name = ?",
            [TEAM]).fetchall()}  # fmt: skip
        # The range of the link: the agent's days in the Agents table (no date filter set).
        calls, first_call = con.execute(
            "select count(*), strftime(min(arrived_at_local), '%Y-%m-%d %H:%M:%S')"
            " from marts.mart_agent_calls where agent_id = ? and arrived_at_local"
            " >= (select min(local_date) from marts.mart_agent_kpis_daily"
            "     where agent_id = ? and team_name = ?)"
            " and arrived_at_local < (select max(local_date) + 1 from marts.mart_agent_kpis_daily"
            "     where agent_id = ? and team_name = ?)",
            [AGENT, AGENT, TEAM, AGENT, TEAM],
        ).fetchone()
    assert AGENT in team_agents and calls > 1_000  # more than a table's old row limit

    with logged_in_page(superset, "manager", "drill_down.png") as page:
        page.goto(f"{superset.url}/dashboard/list/")
        page.get_by_role("link", name="Contact center operations").first.click()  # 1
        wait_for_chart(page, "Teams")
        chart(page, "Teams").locator("tbody td").filter(
            has_text=re.compile(f"^{re.escape(TEAM)}$")
        ).first.click()  # 2
        _wait_until_column_is(page, "Agents", "Team", TEAM)
        agents = set(table_column(page, "Agents", "Agent"))
        assert AGENT in agents and agents <= team_agents

        row = (
            chart(page, "Agents")
            .locator("tbody tr")
            .filter(has=page.locator("td", has_text=re.compile(f"^{AGENT}$")))
        )
        row.get_by_role("link", name=re.compile(r"calls$")).click()  # 3
        page.wait_for_url(re.compile(r"/superset/dashboard/calls/"), timeout=RENDER_TIMEOUT_MS)

        shown = big_number(page, "Calls matching")
        assert shown == f"{calls:,}", f"Calls dashboard shows {shown}, the mart {calls:,}"
        _wait_until_column_is(page, "Calls", "Agent", AGENT)
        # Every call is reachable: the last page holds the agent's first call in the range.
        last_page = str(math.ceil(calls / PAGE_LENGTH))
        chart(page, "Calls").locator(".dt-pagination li").filter(
            has_text=re.compile(f"^{last_page}$")
        ).first.click()
        for _ in range(RENDER_TIMEOUT_MS // 1_000):
            arrived = table_column(page, "Calls", "Arrived")
            if arrived and arrived[-1] == first_call:
                break
            page.wait_for_timeout(1_000)
        assert arrived[-1] == first_call and len(arrived) == calls - PAGE_LENGTH * (
            int(last_page) - 1
        )
