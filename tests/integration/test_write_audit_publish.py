"""Write-audit-publish: the warehouse is corrupted on purpose, one way per kind of blocking
check (a rate above 1, a fact row breaking its contract, broken conservation, an agent dropped
from the dimension, raw lines deleted, a stint lost, a stale source); the specific check fails,
publish is skipped, the serving warehouse stays byte-for-byte as it was, and the failure,
naming what failed, is kept in dq.dq_results of the build (and a failed suite in the GX data
docs). A clean build publishes every check's result and the data-quality marts."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from dagster import AssetCheckKey, AssetKey, AssetSelection

from orchestration.defs.quality.contract_suites import CONTRACT_CHECK_NAME, contract_checks
from orchestration.defs.quality.ledger import LEDGER_CHECK_NAME, ledger_checks
from orchestration.pipeline import run_warehouse_job
from tests.conftest import SimulatedRun
from tests.support import data_docs_validations, make_warehouse

pytestmark = pytest.mark.slow

SERVING = AssetKey(["serving", "warehouse"])


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_clean_build_publishes_an_identical_copy(simulated_run: SimulatedRun) -> None:
    with duckdb.connect(str(simulated_run.warehouse.serving_path), read_only=True) as con:
        serving = con.execute("select * from marts.mart_queue_kpis_15m order by all").fetchall()
    with duckdb.connect(str(simulated_run.warehouse.build_path), read_only=True) as con:
        build = con.execute("select * from marts.mart_queue_kpis_15m order by all").fetchall()
    assert serving == build and len(serving) > 50


def test_clean_build_publishes_every_check_result(simulated_run: SimulatedRun) -> None:
    checks = simulated_run.query(
        "select check_name, severity, passed, is_run_blocked from marts.mart_dq_check_results"
        " where run_started_at = (select max(run_started_at) from marts.mart_dq_check_results)"
    )
    assert not checks["is_run_blocked"].any()
    assert checks["passed"].all()
    warnings = checks.loc[checks["severity"] == "WARN", "check_name"]
    assert set(warnings) == {
        "warn_daily_volume_outside_weekday_range",
        "expression_is_true_mart_dq_late_arrivals_false",
        "warn_stint_lines_stamped_out_of_order",
        "warn_call_wait_negative",
    }
    names = set(checks["check_name"])
    # dbt tests, the agent-state identity, the per-source ledgers, the contract suites.
    assert {"assert_agent_states_add_up_to_logged_time", LEDGER_CHECK_NAME,
            CONTRACT_CHECK_NAME} <= names  # fmt: skip
    suites = checks[checks["check_name"] == CONTRACT_CHECK_NAME]
    assert len(suites) == len(contract_checks)
    assert (checks["check_name"] == LEDGER_CHECK_NAME).sum() == len(ledger_checks)


def test_quarantine_and_ledger_marts_account_for_every_injected_fault(
    simulated_run: SimulatedRun,
) -> None:
    faults = simulated_run.faults
    quarantined = simulated_run.query(
        "select raw_source, sum(quarantined_count) as lines"
        " from marts.mart_dq_quarantine_daily group by 1"
    ).set_index("raw_source")["lines"]
    assert quarantined["queue_log"] == faults.queue_log.malformed_count
    assert quarantined["cdr"] == faults.cdr.malformed_count
    assert quarantined["crm"] == sum(faults.crm.quarantined_files.values())
    ledger = simulated_run.query(
        "select raw_source, sum(duplicate_count) as duplicates, bool_and(is_balanced) as ok"
        " from marts.mart_dq_file_ledger group by 1"
    ).set_index("raw_source")
    assert ledger["ok"].all()
    assert ledger.loc["queue_log", "duplicates"] == faults.queue_log.duplicate_count
    assert ledger.loc["cdr", "duplicates"] == faults.cdr.duplicate_count


@dataclass(frozen=True)
class Corruption:
    """One way to break the warehouse, and the blocking check that must catch it."""

    sql: str  # run on the copied build warehouse
    asset: list[str]
    check_name: str
    selection_assets: tuple[tuple[str, ...], ...] = ()  # models rebuilt before the check
    failing_key: tuple[str, str] | None = None  # (column, value) the detail must name


CORRUPTIONS = {
    # A rate above 1: a service level over 100 %, the way a wrong model would compute it.
    "rate_above_one": Corruption(
        "update marts.mart_queue_kpis_15m set sl_met_count = sl_eligible_count + 1"
        " where queue_interval_id = (select min(queue_interval_id) from marts.mart_queue_kpis_15m)",
        ["marts", "mart_queue_kpis_15m"],
        CONTRACT_CHECK_NAME,
    ),
    # A fact's row contract: a state span longer than its start and end allow.
    "state_span_broken": Corruption(
        "update marts.fct_agent_state_intervals set duration_seconds = duration_seconds + 1"
        " where started_at = (select min(started_at) from marts.fct_agent_state_intervals)",
        ["marts", "fct_agent_state_intervals"],
        CONTRACT_CHECK_NAME,
    ),
    # Conservation: one stint more than its outcomes (offered = stints - short - closed breaks).
    "conservation": Corruption(
        "update marts.mart_queue_kpis_15m set stint_count = stint_count + 1"
        " where queue_interval_id = (select min(queue_interval_id) from marts.mart_queue_kpis_15m)",
        ["marts", "mart_queue_kpis_15m"],
        CONTRACT_CHECK_NAME,
    ),
    # Referential integrity: an agent dropped from the dimension.
    "agent_dropped": Corruption(
        "delete from marts.dim_agents where agent_id = '1001'",
        ["marts", "fct_agent_state_intervals"],
        "relationships_fct_agent_state_intervals_agent_id__agent_id__ref_dim_agents_",
        failing_key=("from_field", "1001"),
    ),
    # Reconciliation: raw lines deleted behind the ledger's back.
    "raw_lines_deleted": Corruption(
        "delete from raw.queue_log where event_hash in"
        " (select event_hash from raw.queue_log order by event_hash limit 3)",
        ["raw", "queue_log"],
        LEDGER_CHECK_NAME,
    ),
    # Reconciliation: a stint lost between the raw log and the fact.
    "stint_lost": Corruption(
        "delete from marts.fct_queue_stints"
        " where stint_id = (select min(stint_id) from marts.fct_queue_stints)",
        ["marts", "fct_queue_stints"],
        "assert_stints_reconcile_with_enterqueue_lines",
    ),
    # Freshness: the CRM export stopped two days before the PBX's newest event.
    "stale_source": Corruption(
        "update raw.crm_records set version_at = version_at - interval 5 day",
        ["marts", "mart_dq_source_freshness"],
        "expression_is_true_mart_dq_source_freshness_is_fresh",
        selection_assets=(("marts", "mart_dq_source_freshness"),),
        failing_key=("raw_source", "crm"),
    ),
}


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_each_blocking_check_stops_publish(
    simulated_run: SimulatedRun, tmp_path: Path, name: str
) -> None:
    corruption = CORRUPTIONS[name]
    warehouse = make_warehouse(tmp_path)
    shutil.copytree(simulated_run.warehouse.warehouse_dir, warehouse.warehouse_dir)
    with duckdb.connect(str(warehouse.build_path)) as con:
        con.execute(corruption.sql)
    serving_before = _sha256(warehouse.serving_path)
    check = AssetCheckKey(AssetKey(corruption.asset), corruption.check_name)

    result = run_warehouse_job(
        warehouse,
        selection=AssetSelection.assets(
            SERVING, *[AssetKey(list(a)) for a in corruption.selection_assets]
        )
        | AssetSelection.checks(check),
    )

    assert not result.success
    evaluations = {
        (e.asset_key, e.check_name): e.passed for e in result.get_asset_check_evaluations()
    }
    assert evaluations[(check.asset_key, check.name)] is False
    assert SERVING not in [e.asset_key for e in result.get_asset_materialization_events()]
    assert _sha256(warehouse.serving_path) == serving_before
    with duckdb.connect(str(warehouse.build_path), read_only=True) as con:
        ((passed, severity, detail),) = con.execute(
            "select passed, severity, detail from dq.dq_results"
            " where run_id = ? and check_name = ?",
            [result.run_id, corruption.check_name],
        ).fetchall()
    assert (passed, severity) == (False, "ERROR")
    if corruption.check_name == CONTRACT_CHECK_NAME:  # the suite names the expectations
        failed = [f["expectation"] for f in json.loads(detail)["failures"]]
        assert failed and set(failed) == {"unexpected_rows_expectation"}
        # ... and the data docs show the run's failed validation.
        run_validations = [
            v for v in data_docs_validations(warehouse) if v["Run Name"] == result.run_id
        ]
        assert [(v["Asset Name"], v["Status"]) for v in run_validations] == [
            (corruption.asset[-1], "FAILED")
        ]
    if corruption.failing_key:
        column, value = corruption.failing_key
        assert value in [str(row[column]) for row in json.loads(detail)["failing_rows"]]


def test_volume_anomaly_warns_and_still_publishes(
    simulated_run: SimulatedRun, tmp_path: Path
) -> None:
    warehouse = make_warehouse(tmp_path)
    shutil.copytree(simulated_run.warehouse.warehouse_dir, warehouse.warehouse_dir)
    # Thursday 5 November: three times the sales calls of the Thursdays before.
    with duckdb.connect(str(warehouse.build_path)) as con:
        con.execute(
            "update marts.mart_queue_kpis_daily set offered_count = 3 * offered_count"
            " where arrival_date = date '2026-11-05' and queue_id = 'sales'"
        )
    check = AssetCheckKey(
        AssetKey(["marts", "mart_queue_kpis_daily"]), "warn_daily_volume_outside_weekday_range"
    )

    result = run_warehouse_job(
        warehouse, selection=AssetSelection.assets(SERVING) | AssetSelection.checks(check)
    )

    assert result.success
    (evaluation,) = result.get_asset_check_evaluations()
    assert (evaluation.passed, evaluation.severity.value) == (False, "WARN")
    assert SERVING in [e.asset_key for e in result.get_asset_materialization_events()]
    with duckdb.connect(str(warehouse.serving_path), read_only=True) as con:
        ((is_blocking, detail),) = con.execute(
            "select is_blocking, detail from dq.dq_results where run_id = ?", [result.run_id]
        ).fetchall()
    assert not is_blocking
    flagged = [(r["queue_id"], r["arrival_date"]) for r in json.loads(detail)["failing_rows"]]
    assert flagged == [("sales", "2026-11-05")]
