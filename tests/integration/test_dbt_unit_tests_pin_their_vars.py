"""Every dbt unit test states the config it assumes (`overrides: vars:`): it pins every var
its model and the model's macros read, and so passes under a center config whose every value
differs from the schema's defaults and the demo's."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.dbt_project import dbt_project
from orchestration.lib.center_config import (
    Agents,
    Center,
    CenterConfig,
    Costs,
    Crm,
    Freshness,
    Outbound,
    Quality,
    Queue,
    Scorecard,
    ScorecardRole,
    Sharing,
    Trunk,
    default_dbt_vars,
    load_center_config,
)
from orchestration.lib.dq_results import ensure_results_table
from orchestration.lib.raw_store import ensure_raw_tables
from orchestration.resources import REPO_ROOT
from tests.support import EXAMPLE_CONFIG, make_warehouse

# Every value unlike the defaults and the demo: a zone with a half-hour offset, a PBX in
# another zone, odd thresholds, a queue list naming none of the tests' queues.
UNUSUAL = CenterConfig(
    center=Center(
        name="unusual",
        timezone="Asia/Kolkata",
        pbx_timezone="Australia/Adelaide",
        short_abandon_s=17,
        in_queue_horizon_s=90,
        test_numbers=["4420000000"],
        default_country="FR",
        repeat_window_days=2,
        acw_pause_reasons=["Paperwork"],
    ),
    queues=[Queue(queue_id="sales", sl_threshold_s=3, sl_variant="answered_only")],
    agents=Agents(
        interfaces={"SIP/9999": "9"}, open_span_end="clock", membership_counts_as_login=False
    ),
    crm=Crm(custom_fields={"Case": ["Severity__c"]}, contact_type_top_n=2),
    outbound=Outbound(dial_contexts=["dialout"], intent_dispositions=["Yes"], attribution_days=3),
    trunks=[Trunk(trunk_id="carrier-x", capacity=2)],
    costs=Costs(agent_hourly_cost=99.0, line_cost_per_minute=0.5),
    scorecard=Scorecard(
        attainment_cap=3.0,
        roles=[
            ScorecardRole(
                role="misc", teams=["Nobody"], targets={"csat": 0.5}, weights={"csat": 1.0}
            )
        ],
    ),
    quality=Quality(
        volume_anomaly_tolerance=9.0,
        freshness=Freshness(reference="clock", max_lag_hours={"crm": 1000}),
        late_arrival_grace_days=9,
    ),
    sharing=Sharing(min_group_agents=2, min_group_calls=3),
)
# The schema's, the same for every center (not settings): the SL variants, and the SL of a
# queue the config omits.
SCHEMA_VARS = {"sl_variants", "default_sl_threshold_s", "default_sl_variant"}


def _vars_read(manifest: dict, node: dict, macros_seen: set[str]) -> set[str]:
    """The vars a model or macro reads, its macros' included."""
    read = set(
        re.findall(r"""var\(\s*['"](\w+)['"]""", node.get("raw_code", node.get("macro_sql")))
    )
    for macro in set(node["depends_on"]["macros"]) - macros_seen:
        macros_seen.add(macro)
        read |= _vars_read(manifest, manifest["macros"][macro], macros_seen)
    return read


def test_every_unit_test_pins_the_vars_its_model_reads() -> None:
    manifest = json.loads(dbt_project.manifest_path.read_text())
    unpinned = {
        test["name"]: sorted(missing)
        for test in manifest["unit_tests"].values()
        for model in [manifest["nodes"][test["depends_on"]["nodes"][0]]]
        if (
            missing := _vars_read(manifest, model, set())
            - SCHEMA_VARS
            - set((test.get("overrides") or {}).get("vars") or {})
        )
    }
    assert unpinned == {}


def test_unusual_config_changes_every_setting() -> None:
    unusual = UNUSUAL.dbt_vars()
    for reference in (default_dbt_vars(), load_center_config(EXAMPLE_CONFIG).dbt_vars()):
        assert sorted(k for k in unusual if unusual[k] == reference[k]) == sorted(SCHEMA_VARS)


@pytest.mark.slow
def test_every_dbt_unit_test_passes_under_an_unusual_config(tmp_path: Path) -> None:
    """Builds the unit-tested models' ancestors empty (a unit test needs its inputs' columns)
    and runs every unit test on the way, under UNUSUAL's vars."""
    warehouse = make_warehouse(tmp_path)
    with warehouse.connect() as con:
        ensure_raw_tables(con)
    ensure_results_table(warehouse)
    build = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "build", "--empty", "--profiles-dir", ".",
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
         "--select", "+test_type:unit", "--exclude", "test_type:data",
         "--vars", json.dumps({**UNUSUAL.dbt_vars(), "build_path": str(warehouse.build_path)})],
        cwd=REPO_ROOT / "dbt_project", capture_output=True, text=True,
    )  # fmt: skip
    failed = [line for line in build.stdout.splitlines() if " FAIL " in line or "ERROR" in line]
    assert build.returncode == 0, failed or build.stdout[-3000:]
    assert " unit tests" in build.stdout
