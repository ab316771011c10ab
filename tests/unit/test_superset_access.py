"""Access by role, as superset/access.yaml says and superset/access.py derives it: every name
in the table is a dashboard spec, the center manager has every spec, each role reads every
dataset behind every chart and filter of every rendered version of its dashboards, and the
demo's team leads and agents land in the telesales or the support role by their team's work."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from tests.support import SUPERSET_DIR, superset_script

access = superset_script("access")
ASSETS = SUPERSET_DIR / "assets"
ROLES = access.read_roles()
SPECS = access.read_specs()


@functools.cache
def _configs(kind: str) -> dict[str, dict[str, Any]]:
    """uuid -> parsed YAML of every bundle file of one kind (read once: YAML parsing is slow)."""
    configs = [yaml.safe_load(p.read_text()) for p in (ASSETS / kind).rglob("*.yaml")]
    return {str(config["uuid"]): config for config in configs}


def test_every_name_in_the_table_is_a_spec() -> None:
    for role in ROLES.values():
        named = [pattern for pattern in role["dashboards"] if "*" not in pattern]
        assert set(named) <= set(SPECS), role
        assert access.role_dashboards(role, SPECS)


def test_a_name_that_is_no_spec_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"no dashboard spec \['call_list'\]"):
        access.role_dashboards({"dashboards": ["operations", "call_list"]}, SPECS)


def test_the_center_manager_has_every_spec() -> None:
    assert access.role_dashboards(ROLES[access.CENTER_MANAGER], SPECS) == sorted(SPECS)
    assert "shared_kpis" in SPECS


def test_each_role_has_the_dashboards_it_can_use() -> None:
    dashboards = {name: access.role_dashboards(role, SPECS) for name, role in ROLES.items()}
    assert dashboards == {
        access.CENTER_MANAGER: sorted(SPECS),
        access.SUPPORT_LEAD: ["agent_performance", "calls", "customer_experience", "operations"],
        access.TELESALES_LEAD: ["outbound_sales"],
        access.AGENT: ["agent_performance", "calls"],
        access.TELESALES_AGENT: ["outbound_sales"],
        access.QA: ["calls", "customer_experience", "data_quality"],
        access.SHARED_ANALYST: ["shared_kpis"],
    }


def test_role_datasets_are_those_behind_its_dashboards_and_its_extras() -> None:
    specs = {
        "a": {
            "charts": {"c1": {"dataset": "d1"}, "c2": {"dataset": "d2"}},
            "filters": [{"name": "Date range"}, {"name": "F", "column": "x", "dataset": "d3"}],
        },
        "b": {"charts": {"c3": {"dataset": "d4"}}},
    }
    role = {"dashboards": ["a"], "datasets": ["x_*"]}
    tables = ["d1", "d2", "d3", "d4", "x_1", "y_1", "d1_zh", "d4_zh"]  # Chinese copies of d1, d4
    assert access.role_datasets(role, specs, tables) == {"d1", "d2", "d3", "x_1", "d1_zh"}
    everything = {"d1", "d2", "d3", "d4", "d1_zh", "d4_zh"}
    assert access.role_datasets({"dashboards": ["*"]}, specs, tables) == everything


def test_every_rendered_dashboard_is_a_spec_and_every_spec_is_rendered() -> None:
    rendered = access.rendered_dashboards()
    dashboards = _configs("dashboards")
    assert set(rendered) == set(dashboards)
    assert set(rendered.values()) == set(SPECS)
    for uuid, spec in rendered.items():
        if dashboards[uuid]["dashboard_title"] == SPECS[spec]["title"]:  # the English one
            assert dashboards[uuid]["slug"] == SPECS[spec]["slug"]


@pytest.mark.parametrize("role_name", list(ROLES))
def test_a_role_reads_every_dataset_of_every_chart_it_lists(role_name: str) -> None:
    """Read from the bundle (every language version), not from the specs the grants come from."""
    datasets = {uuid: d["table_name"] for uuid, d in _configs("datasets").items()}
    charts = _configs("charts")
    granted = access.role_datasets(ROLES[role_name], SPECS, datasets.values())
    mine = set(access.role_dashboards(ROLES[role_name], SPECS))
    rendered = access.rendered_dashboards()
    needed = set()
    for uuid, dashboard in _configs("dashboards").items():
        if rendered[uuid] not in mine:
            continue
        for node in dashboard["position"].values():
            if isinstance(node, dict) and node.get("type") == "CHART":
                needed.add(datasets[charts[node["meta"]["uuid"]]["dataset_uuid"]])
        for native in dashboard["metadata"]["native_filter_configuration"]:
            needed |= {datasets[t["datasetUuid"]] for t in native["targets"] if t}
    assert needed and needed <= granted


def test_the_shared_analyst_reads_only_the_shared_marts() -> None:
    datasets = [d["table_name"] for d in _configs("datasets").values()]
    granted = access.role_datasets(ROLES[access.SHARED_ANALYST], SPECS, datasets)
    shared = {"shared_cx_daily", "shared_contact_mix_daily"}
    assert granted == shared | {f"{mart}_zh" for mart in shared}  # and their Chinese copies


def test_team_leads_and_agents_see_only_their_rows() -> None:
    filters = {name: role.get("row_filter", {}).get("column") for name, role in ROLES.items()}
    assert filters == {
        access.CENTER_MANAGER: None,
        access.SUPPORT_LEAD: "team_name",
        access.TELESALES_LEAD: "team_name",
        access.AGENT: "agent_id",
        access.TELESALES_AGENT: "agent_id",
        access.QA: None,
        access.SHARED_ANALYST: None,
    }


def test_a_lead_reads_every_queue_but_only_their_teams_agents() -> None:
    """The queue marts' team_name is the queue's owning team, not the lead's agents' team."""
    team_rows = ROLES[access.SUPPORT_LEAD]["row_filter"]
    columns = ["team_name", "agent_id"]
    assert not access.filters_rows(team_rows, "mart_queue_kpis_daily", columns)
    assert not access.filters_rows(team_rows, "mart_queue_kpis_daily_zh", columns)
    assert access.filters_rows(team_rows, "mart_agent_kpis_daily", columns)
    assert access.filters_rows(team_rows, "mart_agent_kpis_daily_zh", columns)
    assert not access.filters_rows(team_rows, "mart_agent_kpis_daily", ["agent_id"])


def test_demo_users_are_telesales_when_their_team_dials(tmp_path: Path) -> None:
    serving = tmp_path / "serving.duckdb"
    with duckdb.connect(str(serving)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.dim_agents as select * from (values"
            " ('a1', 'Ann One', 'Inbound', 'lead1', 'Lea Der', true),"
            " ('a2', 'Bo Two', 'Dialers', 'lead2', 'Mo Ss', true),"
            " ('a3', 'Cy', 'Dialers', 'lead2', 'Mo Ss', true),"
            " ('a4', 'Di Old', 'Dialers', 'lead1', 'Lea Der', false),"
            " ('a5', 'Ed New', null, null, null, true))"
            " as t(crm_user_id, agent_name, team_name, manager_user_id, manager_name, is_current)"
        )
        con.execute(
            "create table marts.mart_outbound_funnel_daily as"
            " select 'Dialers' as team_name union all select 'Dialers'"
        )
    users = {(u.username, u.first_name, u.last_name, u.role) for u in access.demo_users(serving)}
    assert users == {
        ("manager", "Center", "Manager", access.CENTER_MANAGER),
        ("qa", "Quality", "Analyst", access.QA),
        ("analyst", "Shared", "Analyst", access.SHARED_ANALYST),
        ("lead1", "Lea", "Der", access.SUPPORT_LEAD),  # a1's team; a4 left Dialers
        ("lead2", "Mo", "Ss", access.TELESALES_LEAD),
        ("a1", "Ann", "One", access.AGENT),
        ("a2", "Bo", "Two", access.TELESALES_AGENT),
        ("a3", "Cy", "Cy", access.TELESALES_AGENT),
        ("a5", "Ed", "New", access.AGENT),  # no team yet: support
    }
