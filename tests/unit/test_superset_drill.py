"""The drill to the call, as the generated bundle holds it: team rollups of queue KPIs are
recomputed from counts, measures are not offered to group by, the Operations dashboard goes
Teams -> Agents -> an agent's Calls link, which opens the Calls dashboard filtered to the
agent and the range, and the agent click on Agent performance leaves the Teams row alone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest
import yaml

ASSETS = Path(__file__).resolve().parents[2] / "superset" / "assets"


def _by(kind: str, key: str) -> dict[str, dict[str, Any]]:
    configs = [yaml.safe_load(path.read_text()) for path in (ASSETS / kind).rglob("*.yaml")]
    return {str(config[key]): config for config in configs}


@pytest.fixture(scope="module")
def datasets() -> dict[str, dict[str, Any]]:
    return _by("datasets", "table_name")


@pytest.fixture(scope="module")
def dashboards() -> dict[str, dict[str, Any]]:
    return _by("dashboards", "slug")


@pytest.fixture(scope="module")
def charts() -> dict[str, dict[str, Any]]:
    return _by("charts", "uuid")


def _metric(dataset: dict[str, Any], name: str) -> str:
    return next(m["expression"] for m in dataset["metrics"] if m["metric_name"] == name)


def _table(con: duckdb.DuckDBPyConnection, dataset: dict[str, Any], rows: list[dict]) -> None:
    """The dataset's table with every column, the given values and 0 (or null) elsewhere."""
    columns = dataset["columns"]
    con.execute(
        f"create table {dataset['table_name']} ("
        + ", ".join(f"{c['column_name']} {c['type']}" for c in columns)
        + ")"
    )
    for row in rows:
        values = [
            row.get(c["column_name"], 0 if c["type"] in ("BIGINT", "INTEGER") else None)
            for c in columns
        ]
        con.execute(
            f"insert into {dataset['table_name']} values ({', '.join('?' for _ in columns)})",
            values,
        )


def _charts_of(dashboard: dict[str, Any], charts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Chart title -> (its chart config, its placeholder id in the dashboard)."""
    return {
        node["meta"]["sliceName"]: (charts[node["meta"]["uuid"]], node["meta"]["chartId"])
        for node in dashboard["position"].values()
        if isinstance(node, dict) and node.get("type") == "CHART"
    }


def test_team_rollup_recomputes_rates_from_counts(datasets: dict[str, dict[str, Any]]) -> None:
    """Hand-computed. Sales East owns sales (1 of 10 offered abandoned, 9 of 10 within SL)
    and vip (15 of 30, 6 of 30): its abandonment is 16/40 = 40 % and its SL 15/40 = 37.5 %,
    not the means of the queues' rates (30 %, 55 %). Support A owns support alone."""
    dataset = datasets["mart_queue_kpis_daily"]
    with duckdb.connect() as con:
        _table(con, dataset, [
            {"queue_id": "sales", "team_name": "Sales East", "offered_count": 10,
             "abandoned_count": 1, "sl_met_count": 9, "sl_eligible_count": 10},
            {"queue_id": "vip", "team_name": "Sales East", "offered_count": 30,
             "abandoned_count": 15, "sl_met_count": 6, "sl_eligible_count": 30},
            {"queue_id": "support", "team_name": "Support A", "offered_count": 20,
             "abandoned_count": 2, "sl_met_count": 10, "sl_eligible_count": 20},
        ])  # fmt: skip
        rows = con.execute(
            f"select team_name, {_metric(dataset, 'abandonment_rate')},"
            f" {_metric(dataset, 'service_level')} from mart_queue_kpis_daily"
            " group by 1 order by 1"
        ).fetchall()
    assert rows == [("Sales East", 0.4, 0.375), ("Support A", 0.1, 0.5)]


def test_every_queue_dataset_has_the_owning_team(datasets: dict[str, dict[str, Any]]) -> None:
    for grain in ("15m", "daily"):
        columns = {c["column_name"]: c for c in datasets[f"mart_queue_kpis_{grain}"]["columns"]}
        assert columns["team_name"]["verbose_name"] == "Team"
        assert columns["team_name"]["groupby"]


def test_drill_by_offers_labelled_dimensions_only(datasets: dict[str, dict[str, Any]]) -> None:
    columns = {
        (d["table_name"], c["column_name"]): c for d in datasets.values() for c in d["columns"]
    }
    assert not columns["mart_queue_kpis_daily", "offered_count"]["groupby"]
    assert not columns["mart_agent_calls", "total_wait_seconds"]["groupby"]
    assert not columns["mart_agent_kpis_daily", "logged_seconds"]["groupby"]
    # A number that is a dimension (dbt meta.dimension) stays groupable.
    assert columns["mart_queue_kpis_15m", "arrival_hour_local"]["groupby"]
    assert columns["mart_agent_scorecard_monthly", "team_rank"]["groupby"]
    assert columns["mart_agent_calls", "agent_name"]["groupby"]
    assert [k for k, c in columns.items() if c["groupby"] and not c["verbose_name"]] == []


def test_names_sit_beside_the_ids(datasets: dict[str, dict[str, Any]]) -> None:
    for mart in ("mart_agent_kpis_daily", "mart_agent_calls", "mart_agent_scorecard_monthly"):
        names = [c["column_name"] for c in datasets[mart]["columns"]]
        assert {"agent_id", "agent_name", "team_name"} <= set(names), mart
    shared = [d for name, d in datasets.items() if name.startswith("shared_")]
    assert shared and all(
        "agent_name" not in [c["column_name"] for c in d["columns"]] for d in shared
    )


def test_calls_link_opens_the_agents_calls_in_the_range(
    datasets: dict[str, dict[str, Any]], dashboards: dict[str, dict[str, Any]]
) -> None:
    """Agent 1009 worked 29 October and 2 November (3 + 4 calls) in the chart's range: the
    link opens the Calls dashboard on 1009 from 29 October to 3 November (end exclusive)."""
    dataset = datasets["mart_agent_kpis_daily"]
    link = _metric(dataset, "calls_link")
    with duckdb.connect() as con:
        _table(con, dataset, [
            {"agent_id": "1009", "local_date": "2026-10-29", "handled_count": 3},
            {"agent_id": "1009", "local_date": "2026-11-02", "handled_count": 4},
            {"agent_id": "1006", "local_date": "2026-11-02", "handled_count": 5},
        ])  # fmt: skip
        by_agent = dict(
            con.execute(f"select agent_id, {link} from mart_agent_kpis_daily group by 1").fetchall()
        )
        (all_agents,) = con.execute(f"select {link} from mart_agent_kpis_daily").fetchone()
    assert all_agents is None  # no link for rows of several agents
    href, text = re.fullmatch(r'<a href="([^"]+)">([^<]+)</a>', by_agent["1009"]).groups()
    assert text == "7 calls"
    url = urlsplit(href)
    assert url.path == f"/superset/dashboard/{dashboards['calls']['slug']}/"
    filters = {f["name"]: f for f in dashboards["calls"]["metadata"]["native_filter_configuration"]}
    agent, days = filters["Agent"]["id"], filters["Date range"]["id"]
    assert filters["Agent"]["targets"][0]["column"]["name"] == "agent_id"
    assert parse_qs(url.query)["native_filters"] == [
        f"({agent}:(extraFormData:(filters:!((col:agent_id,op:IN,val:!('1009')))),"
        f"filterState:(value:!('1009')),id:{agent},ownState:()),"
        f"{days}:(extraFormData:(time_range:'2026-10-29 : 2026-11-03'),"
        f"filterState:(value:'2026-10-29 : 2026-11-03'),id:{days},ownState:()))"
    ]


def test_calls_dashboard_pages_every_call_and_counts_them(
    dashboards: dict[str, dict[str, Any]], charts: dict[str, dict[str, Any]]
) -> None:
    calls = _charts_of(dashboards["calls"], charts)
    table, _ = calls["Calls"]
    assert table["params"]["server_pagination"] is True
    assert table["params"]["row_limit"] == 500_000  # Superset's ceiling for a server-paged table
    assert {"arrived_at_local", "queue_id", "total_wait_seconds", "talk_seconds", "acw_seconds",
            "final_outcome_label", "transfer_count", "customer_source_label", "csat_score",
            "contact_type"} <= set(table["params"]["all_columns"])  # fmt: skip
    count, _ = calls["Calls matching"]
    assert (count["params"]["metric"], count["dataset_uuid"]) == ("calls", table["dataset_uuid"])
    filters = {f["name"] for f in dashboards["calls"]["metadata"]["native_filter_configuration"]}
    assert filters == {"Date range", "Team", "Agent", "Queue"}
    # No list of rows anywhere stops at a row limit.
    for chart in charts.values():
        if chart["params"].get("query_mode") == "raw":
            assert chart["params"]["server_pagination"] is True, chart["slice_name"]
            assert chart["params"]["row_limit"] == 500_000, chart["slice_name"]


def test_operations_drills_from_team_to_agents(
    dashboards: dict[str, dict[str, Any]],
    charts: dict[str, dict[str, Any]],
    datasets: dict[str, dict[str, Any]],
) -> None:
    """The team clicked in Teams filters the Agents table through its team_name column."""
    by_uuid = {d["uuid"]: d for d in datasets.values()}
    operations = _charts_of(dashboards["operations"], charts)
    teams, agents = operations["Teams"][0], operations["Agents"][0]
    assert teams["params"]["groupby"] == ["team_name"]
    assert by_uuid[teams["dataset_uuid"]]["table_name"] == "mart_queue_kpis_daily"
    assert "team_name" in agents["params"]["groupby"]
    assert "calls_link" in agents["params"]["metrics"]


def test_agent_click_leaves_the_teams_row_alone(
    dashboards: dict[str, dict[str, Any]], charts: dict[str, dict[str, Any]]
) -> None:
    dashboard = dashboards["agent-performance"]
    by_title = _charts_of(dashboard, charts)
    agents, teams = by_title["Agents"][1], by_title["Teams"][1]
    scope = dashboard["metadata"]["chart_configuration"][str(agents)]["crossFilters"]["scope"]
    assert scope == {"rootPath": ["ROOT_ID"], "excluded": [teams]}
