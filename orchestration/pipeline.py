"""Runs the warehouse job in this process (the demo, the tests, real-data runs)."""

from __future__ import annotations

from dagster import (
    AssetSelection,
    DagsterInstance,
    Definitions,
    ExecuteInProcessResult,
    define_asset_job,
    in_process_executor,
)

from orchestration.definitions import defs
from orchestration.jobs import warehouse_job
from orchestration.resources import CenterWarehouse, dbt_cli


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
