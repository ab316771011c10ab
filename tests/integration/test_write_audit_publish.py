"""A failing contract check stops publish: the serving warehouse stays byte-for-byte as it was."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest
from dagster import AssetCheckKey, AssetKey, AssetSelection

from orchestration.checks.contract_suites import CONTRACT_CHECK_NAME
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


def test_clean_build_publishes_an_identical_copy(simulated_run: SimulatedRun) -> None:
    with duckdb.connect(str(simulated_run.warehouse.serving_path), read_only=True) as con:
        serving = con.execute("select * from marts.mart_queue_kpis_15m order by all").fetchall()
    with duckdb.connect(str(simulated_run.warehouse.build_path), read_only=True) as con:
        build = con.execute("select * from marts.mart_queue_kpis_15m order by all").fetchall()
    assert serving == build and len(serving) > 50
