"""Runs the warehouse job in this process (the demo, the tests, real-data runs)."""

from __future__ import annotations

from collections.abc import Sequence

from dagster import AssetKey, DagsterInstance, ExecuteInProcessResult

from orchestration.definitions import defs
from orchestration.resources import CenterWarehouse, dbt_cli


def run_warehouse_job(
    warehouse: CenterWarehouse,
    instance: DagsterInstance | None = None,
    asset_selection: Sequence[AssetKey] | None = None,
) -> ExecuteInProcessResult:
    """Ingest -> dbt build -> checks -> publish on `warehouse`; failures are in the result."""
    job = defs.resolve_job_def("warehouse_job")
    return job.execute_in_process(
        instance=instance or DagsterInstance.ephemeral(),
        resources={"warehouse": warehouse, "dbt": dbt_cli()},
        asset_selection=asset_selection,
        raise_on_error=False,
    )
