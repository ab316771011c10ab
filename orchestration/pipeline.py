"""Runs the warehouse job in this process (the demo, the tests, real-data runs)."""

from __future__ import annotations

import sys

from dagster import (
    AssetSelection,
    DagsterInstance,
    Definitions,
    ExecuteInProcessResult,
    define_asset_job,
    in_process_executor,
)

from orchestration.definitions import defs
from orchestration.defs.warehouse_job import warehouse_job
from orchestration.resources import CenterWarehouse, center_warehouse_from_env, dbt_cli


def run_warehouse_job(
    warehouse: CenterWarehouse,
    instance: DagsterInstance | None = None,
    selection: AssetSelection | None = None,
) -> ExecuteInProcessResult:
    """Ingest -> dbt build -> checks -> publish on `warehouse` (or only `selection` of it).

    Failures are reported in the result, not raised.
    """
    job = define_asset_job(warehouse_job.name, selection=selection or warehouse_job.selection)
    scoped = Definitions(
        assets=defs.assets,
        asset_checks=defs.asset_checks,
        jobs=[job],
        resources={"warehouse": warehouse, "dbt": dbt_cli()},
        executor=in_process_executor,
    )
    return scoped.resolve_job_def(job.name).execute_in_process(
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
