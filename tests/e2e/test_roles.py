"""Each role of superset/access.yaml logs in and sees what it should, in the browser (one
session per role): exactly the dashboards the table gives it (every language version), every
chart of each drawn with data and none in error, and one figure per dashboard equal to the
serving mart's under the role's row filter (a team lead's teams, an agent's own rows). The
center manager's pass also takes the README's screenshots (test-artifacts/dashboard_<slug>.png).
The shared analyst reads only the shared marts (no PII dataset, no SQL Lab)."""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from tests.e2e.browser import ARTIFACTS
from tests.e2e.superset_app import (
    ECHARTS_ANIMATION_MS,
    SUPERSET_DIR,
    RunningSuperset,
    big_number,
    chart,
    logged_in_page,
    open_dashboard,
    wait_for_chart,
)
from tests.support import superset_script

pytestmark = pytest.mark.e2e

access = superset_script("access")
ASSETS = SUPERSET_DIR / "assets"
# The figure checked on each dashboard: spec -> (chart, metric); a big number's text, or the
# sum of a table's metric column over its rows.
PROBES = {
    "operations": ("offered_total", "offered"),
    "calls": ("calls_matching", "calls"),
    "agent_performance": ("agent_team_table", "handled"),
    "customer_experience": ("cx_csat_total", "csat"),
    "data_quality": ("dq_check_pass_rate", "check_pass_rate"),
    "lines_and_cost": ("lines_peak_total", "peak_concurrent_calls"),
    "outbound_sales": ("outbound_dials_total", "dials"),
    "shared_kpis": ("shared_handled_total", "handled_calls"),
}
# What Superset draws in place of a chart that has no rows.
EMPTY_TEXTS = ("No results were returned", "No data", "No records found")
# A user of each role: a fixed demo user, or SQL finding one in the serving file.
USERS = {
    access.CENTER_MANAGER: "manager",
    access.QA: "qa",
    access.SHARED_ANALYST: "analyst",
    access.SUPPORT_LEAD: "select distinct manager_user_id from marts.dim_agents"
    " where is_current and team_name = 'Support A'",
    access.TELESALES_LEAD: "select distinct manager_user_id from marts.dim_agents"
    f" where is_current and team_name in ({access.TELESALES_TEAMS}) order by 1 limit 1",
    access.AGENT: "select crm_user_id from marts.dim_agents where is_current and agent_id = '1009'",
}


def _rows(serving_path: Path, sql: str, *params: object) -> list[tuple]:
    with duckdb.connect(str(serving_path), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


@functools.cache
def _bundle(kind: str) -> dict[str, dict[str, Any]]:
    """Stem -> parsed YAML of every bundle file of one kind."""
    return {p.stem: yaml.safe_load(p.read_text()) for p in (ASSETS / kind).rglob("*.yaml")}


def _d3(value: float, d3format: str) -> str:
    """`value` as d3 renders the formats of the probed metrics (",d" and ".N%", rounding half
    up as JavaScript's toFixed)."""
    if d3format == ",d":
        return f"{int(Decimal(value).quantize(Decimal(1), ROUND_HALF_UP)):,}"
    places = int(d3format.removeprefix(".").removesuffix("%"))
    percent = (Decimal(repr(value)) * 100).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return f"{percent}%"


def _expected_figure(serving: Path, role: dict[str, Any], username: str, spec: dict) -> str:
    """The probe metric of a dashboard over the whole serving mart under the role's row filter
    (with the chart's fixed filters), formatted as the chart shows it."""
    chart_name, metric_name = PROBES[spec["name"]]
    chart_spec = spec["charts"][chart_name]
    dataset = _bundle("datasets")[chart_spec["dataset"]]
    (metric,) = [m for m in dataset["metrics"] if m["metric_name"] == metric_name]
    where = [f"{column} = '{value}'" for column, op, value in chart_spec.get("where", [])]
    assert all(op == "==" for _, op, _ in chart_spec.get("where", []))
    row_filter = role.get("row_filter")
    columns = [c["column_name"] for c in dataset["columns"]]
    if row_filter and access.filters_rows(row_filter, dataset["table_name"], columns):
        where.append(row_filter["clause"].replace("{{ current_username() }}", username))
    sql = f"select {metric['expression']} from marts.{dataset['table_name']}"
    ((value,),) = _rows(serving, sql + (" where " + " and ".join(where) if where else ""))
    assert value, f"{spec['name']}: no {metric_name} for {username}"
    return _d3(value, metric["d3format"])


def _figure_shown(page: Any, spec: dict, title: str) -> str:
    """The probe's figure on the page: a big number's text, or a table's metric column summed
    (read by position: the grouped columns, then the metrics)."""
    chart_name, metric_name = PROBES[spec["name"]]
    chart_spec = spec["charts"][chart_name]
    if chart_spec["kind"] == "big_number":
        return big_number(page, title)
    index = len(chart_spec["groupby"]) + chart_spec["metrics"].index(metric_name) + 1
    cells = wait_for_chart(page, title).locator(f"tbody tr td:nth-child({index})")
    return f"{sum(int(text.replace(',', '')) for text in cells.all_inner_texts()):,}"


@pytest.mark.parametrize("role_name", list(USERS))
def test_role_lists_and_draws_exactly_its_dashboards(
    superset: RunningSuperset, serving_path: Path, role_name: str
) -> None:
    username = USERS[role_name]
    if username.startswith("select"):
        ((username,),) = _rows(serving_path, username)
    role = access.read_roles()[role_name]
    specs = access.read_specs()
    mine = set(access.role_dashboards(role, specs))
    rendered = access.rendered_dashboards()
    dashboards = [d for d in _bundle("dashboards").values() if rendered[str(d["uuid"])] in mine]
    listed = superset.api(username).get("/api/v1/dashboard/?q=(page_size:100)")["result"]
    assert sorted(d["slug"] for d in listed) == sorted(d["slug"] for d in dashboards)

    problems, figures = [], {}
    slug = role_name.lower().replace(" ", "_")
    with logged_in_page(superset, username, f"role_{slug}.png") as page:
        page.set_viewport_size({"width": 1400, "height": 1600})
        for dashboard in sorted(dashboards, key=lambda d: d["slug"]):
            spec = {"name": rendered[str(dashboard["uuid"])]}
            spec |= specs[spec["name"]]
            nodes = dashboard["position"]
            titles = [n["meta"]["sliceName"] for n in nodes.values()
                      if isinstance(n, dict) and n.get("type") == "CHART"]  # fmt: skip
            open_dashboard(page, superset, dashboard["slug"], titles[0])
            for title in titles:
                holder = chart(page, title)
                holder.scroll_into_view_if_needed()  # charts below the fold load when seen
                wait_for_chart(page, title)
                text = holder.inner_text()
                if holder.locator('[role="alert"]').count() or any(e in text for e in EMPTY_TEXTS):
                    problems.append((dashboard["slug"], title, text[:200]))
            probe = nodes[f"CHART-{PROBES[spec['name']][0].replace('_', '-')}"]["meta"]
            figures[dashboard["slug"]] = (
                _figure_shown(page, spec, probe["sliceName"]),
                _expected_figure(serving_path, role, username, spec),
            )
            if role_name == access.CENTER_MANAGER:
                page.evaluate("window.scrollTo(0, 0)")  # the sticky header on top
                page.wait_for_timeout(ECHARTS_ANIMATION_MS)
                screenshot = ARTIFACTS / f"dashboard_{dashboard['slug']}.png"
                page.screenshot(path=str(screenshot), full_page=True)
    assert not problems
    assert {slug: shown for slug, (shown, _) in figures.items()} == {
        slug: expected for slug, (_, expected) in figures.items()
    }


def test_shared_analyst_reads_only_the_shared_marts(superset: RunningSuperset) -> None:
    analyst, admin = superset.api("analyst"), superset.api("admin")
    readable = {
        d["table_name"] for d in analyst.get("/api/v1/dataset/?q=(page_size:100)")["result"]
    }
    shared = {"shared_cx_daily", "shared_contact_mix_daily"}
    assert readable == shared | {f"{mart}_zh" for mart in shared}  # and their Chinese copies
    # Not listed, and not readable either: the callback worklist holds callers' numbers.
    assert analyst.status(f"/api/v1/dataset/{admin.dataset_id('mart_callbacks')}") in (403, 404)
    assert analyst.status("/api/v1/sqllab/") in (401, 403)
    assert admin.status("/api/v1/sqllab/") == 200
    with logged_in_page(superset, "analyst", "role_shared_analyst_sqllab.png") as page:
        response = page.goto(f"{superset.url}/sqllab/")
        assert response is not None and response.status == 403
