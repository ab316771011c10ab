"""Center config validation: clear errors that name the file and the key."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from orchestration.lib.center_config import (
    CenterConfig,
    CenterConfigError,
    default_dbt_vars,
    load_center_config,
    sqlfluff_context_toml,
)
from orchestration.resources import REPO_ROOT
from tests.support import EXAMPLE_CONFIG


def test_example_config_feeds_dbt_vars() -> None:
    config = load_center_config(EXAMPLE_CONFIG)
    dbt_vars = config.dbt_vars()
    targets = dbt_vars.pop("scorecard_targets")
    # Scorecard targets come one row per team and KPI: 4 inbound teams x 3, 2 outbound x 3.
    assert len(targets) == 18
    assert {"role": "outbound", "team_name": "Telesales New", "kpi": "conversion_rate",
            "target": 0.05, "weight": 0.5} in targets  # fmt: skip
    assert dbt_vars == {
        "timezone": "America/New_York",
        "pbx_timezone": "America/New_York",
        "short_abandon_s": 5,
        "in_queue_horizon_s": 14400,
        "test_numbers": ["5550000000", "5550000001"],
        "sl_variants": ["negative", "ignored", "positive", "answered_only"],
        "default_sl_threshold_s": 20,
        "default_sl_variant": "negative",
        "queues": [
            {
                "queue_id": "sales",
                "sl_threshold_s": 20,
                "sl_variant": "negative",
                "team": "Sales East",
            },
            {
                "queue_id": "support",
                "sl_threshold_s": 30,
                "sl_variant": "negative",
                "team": "Support A",
            },
        ],  # fmt: skip
        "phone_country_code": "1",
        "phone_trunk_prefix": "1",
        "repeat_window_days": 7,
        "acw_pause_reasons": ["ACW", "Wrapup"],
        "crm_custom_fields": {
            "Account": ["Tier__c", "Risk_Level__c"],
            "Contact": ["Member_Level__c"],
        },
        "contact_type_top_n": 8,
        "outbound_dial_contexts": ["from-internal"],
        "intent_dispositions": ["Interested", "Callback Requested", "Sale"],
        "attribution_days": 14,
        "trunks": [
            {"trunk_id": "trunk-a", "capacity": 30},
            {"trunk_id": "trunk-b", "capacity": 30},
            {"trunk_id": "trunk-c", "capacity": 20},
        ],
        "agent_hourly_cost": 24.0,
        "line_cost_per_minute": 0.012,
        "attainment_cap": 1.2,
        "volume_anomaly_tolerance": 0.5,
        "freshness_reference": "data",
        "freshness_max_lag_hours": {"queue_log": 1, "cdr": 1, "crm": 24, "survey": 24},
        "late_arrival_grace_days": 1,
        "agent_interfaces": [],
        "agent_open_span_end": "data",
        "membership_counts_as_login": True,
        "shared_min_group_agents": 5,
        "shared_min_group_calls": 10,
    }


def test_agents_settings_reach_dbt(tmp_path: Path) -> None:
    # Wazo's callback interface of agent 52 (xivo-dao fixture J7), a live center, Wazo's
    # reading of membership.
    path = tmp_path / "center.yml"
    path.write_text(
        "center: {name: X}\nagents: {interfaces: {Local/id-61@agentcallback: '52'},"
        " open_span_end: clock, membership_counts_as_login: false}\n"
    )
    dbt_vars = load_center_config(path).dbt_vars()
    assert dbt_vars["agent_interfaces"] == [
        {"interface": "Local/id-61@agentcallback", "agent_id": "52"}
    ]
    assert (dbt_vars["agent_open_span_end"], dbt_vars["membership_counts_as_login"]) == (
        "clock",
        False,
    )
    context = tomllib.loads(sqlfluff_context_toml(dbt_vars))
    assert context["tool"]["sqlfluff"]["templater"]["dbt"]["context"] == dbt_vars


def test_dbt_vars_are_every_var_the_dbt_project_reads() -> None:
    """dbt_project.yml holds no var values: each var() without a default in the dbt project
    comes from the config, and the config passes no var dbt does not read."""
    # The project's own files (not target/, where every pipeline run leaves a compiled copy).
    project = REPO_ROOT / "dbt_project"
    paths = [project / "dbt_project.yml"] + [
        path for folder in ("models", "macros", "tests") for path in (project / folder).rglob("*")
    ]
    read = {
        match.group(1)
        for path in paths
        if path.suffix in {".sql", ".yml"}
        for match in re.finditer(r"""var\(\s*['"](\w+)['"]\s*\)""", path.read_text())
    }
    assert read == set(default_dbt_vars())


def test_sqlfluff_context_holds_the_dbt_vars() -> None:
    # make lint hands sqlfluff the vars as TOML: nested tables and floats must survive.
    dbt_vars = load_center_config(EXAMPLE_CONFIG).dbt_vars()
    context = tomllib.loads(sqlfluff_context_toml(dbt_vars))
    assert context["tool"]["sqlfluff"]["templater"]["dbt"]["context"] == dbt_vars


def test_unlisted_queue_gets_contract_defaults() -> None:
    queue = load_center_config(EXAMPLE_CONFIG).queue("billing")
    assert (queue.sl_threshold_s, queue.sl_variant) == (20, "negative")


def test_a_queue_without_team_is_its_own_team() -> None:
    config = CenterConfig.model_validate(
        {"center": {"name": "X"}, "queues": [{"queue_id": "billing"}]}
    )
    assert config.dbt_vars()["queues"] == [
        {"queue_id": "billing", "sl_threshold_s": 20, "sl_variant": "negative", "team": "billing"}
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("center: {name: X, timezone: Mars/Olympus}", "center.timezone: Value error, unknown IANA"),
        ("center: {name: X}\nqueues: [{queue_id: q, sl_variant: best}]", "queues.0.sl_variant"),
        ("center: {name: X, short_abandon: 5}", "center.short_abandon: Extra inputs"),
        ("queues: []", "center: Field required"),
        ("center: [unclosed", "not valid YAML"),
        ("center: {name: X, default_country: XX}", "center.default_country: Value error, unknown"),
        ("center: {name: X}\ncrm: {custom_fields: {Lead: [A__c]}}", "crm.custom_fields.Lead"),
        ("center: {name: X}\nagents: {open_span_end: now}", "agents.open_span_end"),
        ("center: {name: X}\ncrm: {custom_fields: {Account: [a b]}}", "not a Salesforce field"),
        (
            "center: {name: X}\nscorecard: {roles: [{role: r, teams: [t],"
            " targets: {csat: 0.8}, weights: {fcr_rate: 1}}]}",
            "give each target KPI one positive weight",
        ),
        (
            "center: {name: X}\nsimulation: {seed: 1, day: 2026-11-02, open_hour: 8,"
            " close_hour: 18, agents: [{agent_id: '1', queues: [q]}], queue_traffic:"
            " [{queue_id: q, peak_calls_per_hour: 1, mean_talk_s: 1, mean_patience_s: 1,"
            " timeout_s: 1, transfer_to: billing}]}",
            "transfer_to 'billing' is not a simulated queue (q)",
        ),
        (
            "center: {name: X}\nsimulation: {seed: 1, day: 2026-11-02, open_hour: 8,"
            " close_hour: 18, test_calls_per_day: 1, agents: [{agent_id: '1', queues: [q]}],"
            " queue_traffic: [{queue_id: q, peak_calls_per_hour: 1, mean_talk_s: 1,"
            " mean_patience_s: 1, timeout_s: 1}]}",
            "test_calls_per_day needs center.test_numbers",
        ),
        (
            "center: {name: X}\nsimulation: {seed: 1, day: 2026-11-02, open_hour: 8,"
            " close_hour: 18, customers: {crm_share: 1.5}, agents: [{agent_id: '1',"
            " queues: [q]}], queue_traffic: [{queue_id: q, peak_calls_per_hour: 1,"
            " mean_talk_s: 1, mean_patience_s: 1, timeout_s: 1}]}",
            "simulation.customers.crm_share: Input should be less than or equal to 1",
        ),
        (
            "center: {name: X}\nsimulation: {seed: 1, day: 2026-11-02, open_hour: 8,"
            " close_hour: 18, agents: [{agent_id: '1', queues: [q], hired: 2026-01-05,"
            " moves: [{on: 2026-01-01, team: B}]}], queue_traffic: [{queue_id: q,"
            " peak_calls_per_hour: 1, mean_talk_s: 1, mean_patience_s: 1, timeout_s: 1}]}",
            "agent 1: moves must be on distinct days after the hire date",
        ),
        (
            "center: {name: X}\nsimulation: {seed: 1, day: 2026-11-02, open_hour: 8,"
            " close_hour: 18, agents: [{agent_id: '1', queues: [q], hired: 2026-11-03}],"
            " queue_traffic: [{queue_id: q, peak_calls_per_hour: 1, mean_talk_s: 1,"
            " mean_patience_s: 1, timeout_s: 1}]}",
            "agent 1: hired after the first simulated day",
        ),
        (
            "center: {name: X}\nsimulation: {seed: 1, day: 2026-11-02, open_hour: 8,"
            " close_hour: 18, agents: [{agent_id: '1', queues: [q], wrap_up_s: [40, 5]}],"
            " queue_traffic: [{queue_id: q, peak_calls_per_hour: 1, mean_talk_s: 1,"
            " mean_patience_s: 1, timeout_s: 1}]}",
            "agent 1: wrap_up_s [40, 5] is not [min, max]",
        ),
        (
            "center: {name: X}\nsimulation: {seed: 1, day: 2026-11-02, open_hour: 8,"
            " close_hour: 18, agents: [{agent_id: '1', queues: [q], talk_factor: 0}],"
            " queue_traffic: [{queue_id: q, peak_calls_per_hour: 1, mean_talk_s: 1,"
            " mean_patience_s: 1, timeout_s: 1}]}",
            "simulation.agents.0.talk_factor: Input should be greater than 0",
        ),
        (
            "center: {name: X}\nsimulation: {seed: 1, day: 2026-11-02, open_hour: 8,"
            " close_hour: 18, agents: [{agent_id: '1', queues: [q]}], queue_traffic:"
            " [{queue_id: q, peak_calls_per_hour: 1, mean_talk_s: 1, mean_patience_s: 1,"
            " timeout_s: 1}], outbound: {campaigns: [{accountcode: A}],"
            " agents: [{agent_id: '2', campaign: B}]}}",
            "agent 2: campaign 'B' is not a simulated campaign (A)",
        ),
        (
            "center: {name: X}\nsimulation: {seed: 1, day: 2026-11-02, open_hour: 8,"
            " close_hour: 18, agents: [{agent_id: '1', queues: [q]}], queue_traffic:"
            " [{queue_id: q, peak_calls_per_hour: 1, mean_talk_s: 1, mean_patience_s: 1,"
            " timeout_s: 1}], outbound: {campaigns: [{accountcode: A}],"
            " agents: [{agent_id: '1', campaign: A}]}}",
            "agent ids used twice: 1",
        ),
        (
            "center: {name: X}\ntrunks: [{trunk_id: t1, capacity: 2}]\nsimulation: {seed: 1,"
            " day: 2026-11-02, open_hour: 8, close_hour: 18, agents: [{agent_id: '1',"
            " queues: [q]}], queue_traffic: [{queue_id: q, peak_calls_per_hour: 1,"
            " mean_talk_s: 1, mean_patience_s: 1, timeout_s: 1}],"
            " trunk_routing: {failure_shares: {t2: 0.5}}}",
            "simulation.trunk_routing names trunks not in `trunks`: t2",
        ),
    ],
)
def test_invalid_config_names_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "center.yml"
    path.write_text(text)
    with pytest.raises(CenterConfigError) as error:
        load_center_config(path)
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)


def test_missing_config_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CenterConfigError, match="cannot read center config"):
        load_center_config(tmp_path / "absent.yml")
