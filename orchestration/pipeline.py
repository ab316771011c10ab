"""Runs the warehouse job in this process (the demo, the tests, real-data runs)."""

from __future__ import annotations

import sys

from dagster import AssetSelection, DagsterInstance, ExecuteInProcessResult

from orchestration.defs import build_defs
from orchestration.defs.warehouse_job import WAREHOUSE_JOB
from orchestration.resources import CenterWarehouse, center_warehouse_from_env


def run_warehouse_job(
    warehouse: CenterWarehouse,
    instance: DagsterInstance | None = None,
    selection: AssetSelection | None = None,
) -> ExecuteInProcessResult:
    """Ingest -> dbt build -> checks -> publish on `warehouse` (or only `selection` of it).

    Failures are reported in the result, not raised.
    """
    job = build_defs(warehouse, selection).resolve_job_def(WAREHOUSE_JOB)
    return job.execute_in_process(
        instance=instance or DagsterInstance.ephemeral(), raise_on_error=False
    )


def publish_or_exit(warehouse: CenterWarehouse, instance: DagsterInstance | None = None) -> None:
    """Runs the whole job; on failure exits naming the failed steps and checks."""
    result = run_warehouse_job(warehouse, instance)
    if not result.success:
        failed = [e.message for e in result.all_events if e.is_failure]
        sys.exit("pipeline failed, serving warehouse left as it was:\n" + "\n".join(failed))
    print(f"built, checked and published {warehouse.serving_path}")


if __name__ == "__main__":
    # python -m orchestration.pipeline: run on $LANDING_DIR with $CENTER_CONFIG.
    publish_or_exit(center_warehouse_from_env())
