"""A failing contract check stops publish: the serving warehouse stays byte-for-byte as it was,
and the failure is kept in dq.dq_results of the build (published with the next good build).
A clean build publishes every check's result and the data-quality marts."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from dagster import AssetCheckKey, AssetKey, AssetSelection

from orchestration.checks.contract_suites import CONTRACT_CHECK_NAME, contract_checks
from orchestration.checks.ledger import LEDGER_CHECK_NAME, ledger_checks
from orchestration.pipeline import run_warehouse_job
from tests.conftest import SimulatedRun
from tests.support import make_warehouse

pytestmark = pytest.mark.slow

MART = AssetKey(["marts", "mart_queue_kpis_15m"])
SERVING = AssetKey(["serving", "warehouse"])


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_contract_violation_blocks_publish(simulated_run: SimulatedRun, tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path)
    shutil.copytree(simulated_run.warehouse.warehouse_dir, warehouse.warehouse_dir)
    # Corrupt the built mart the way a wrong model would: a service level above 100 %.
    with duckdb.connect(str(warehouse.build_path)) as con:
        con.execute(
            "update marts.mart_queue_kpis_15m set sl_met_count = sl_eligible_count + 1"
            " where queue_interval_id = (select min(queue_interval_id)"
            " from marts.mart_queue_kpis_15m)"
        )
    serving_before = _sha256(warehouse.serving_path)

    # Re-audit and publish the corrupted build without rebuilding it.
    result = run_warehouse_job(
        warehouse,
        selection=AssetSelection.assets(SERVING)
        | AssetSelection.checks(AssetCheckKey(MART, CONTRACT_CHECK_NAME)),
    )

    assert not result.success
    (evaluation,) = result.get_asset_check_evaluations()
    assert (evaluation.check_name, evaluation.passed) == (CONTRACT_CHECK_NAME, False)
    failures = evaluation.metadata["failures"].value
    assert [f["expectation"] for f in failures] == ["unexpected_rows_expectation"] * 2
    assert SERVING not in [e.asset_key for e in result.get_asset_materialization_events()]
    assert _sha256(warehouse.serving_path) == serving_before
    with duckdb.connect(str(warehouse.build_path), read_only=True) as con:
        recorded = con.execute(
            "select asset_key, check_name, severity, passed, detail from dq.dq_results"
            " where run_id = ?",
            [result.run_id],
        ).fetchall()
    ((asset_key, check_name, severity, passed, detail),) = recorded
    assert (asset_key, check_name, severity, passed) == (
        "marts/mart_queue_kpis_15m",
        CONTRACT_CHECK_NAME,
        "ERROR",
        False,
    )
    assert json.loads(detail)["failures"] == failures


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
    assert checks["passed"].all() and set(checks["severity"]) == {"ERROR"}
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
