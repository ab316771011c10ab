"""Runs the warehouse job in this process (the demo, the tests, real-data runs)."""

from __future__ import annotations

from collections.abc import Mapping

from dagster import (
    AssetSelection,
    DagsterInstance,
    Definitions,
    ExecuteInProcessResult,
    LoggerDefinition,
    define_asset_job,
    in_process_executor,
)

from orchestration.console import RunConsole
from orchestration.definitions import defs
from orchestration.jobs import warehouse_job
from orchestration.resources import (
    CenterWarehouse,
    center_warehouse_from_env,
    dbt_cli,
    log_dir_from_env,
)
from orchestration.run_progress import WarehouseProgress
from orchestration.run_summary import failure_lines, print_run_summary


def run_warehouse_job(
    warehouse: CenterWarehouse,
    instance: DagsterInstance | None = None,
    selection: AssetSelection | None = None,
    loggers: Mapping[str, LoggerDefinition] | None = None,
) -> ExecuteInProcessResult:
    """Ingest -> dbt build -> checks -> publish on `warehouse` (or only `selection` of it),
    Dagster's events to `loggers` (default: its console logger).

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
    job_def = scoped.resolve_job_def(job.name)
    if loggers:  # a job's logger is used only if the run's config names it
        job_def = job_def.with_logger_defs(loggers)
    return job_def.execute_in_process(
        run_config={"loggers": dict.fromkeys(loggers or {}, {})},
        instance=instance or DagsterInstance.ephemeral(),
        raise_on_error=False,
    )


def publish_or_exit(
    console: RunConsole, warehouse: CenterWarehouse, instance: DagsterInstance | None = None
) -> str:
    """Runs the whole job, its stages on the console; on failure exits naming the failed
    checks and steps. Returns the run id (print_run_summary tells what it did)."""
    progress = WarehouseProgress(console, [*defs.assets, *defs.asset_checks])
    result = run_warehouse_job(warehouse, instance, loggers=progress.loggers())
    progress.finish()
    if not result.success:
        console.fail(
            "pipeline failed, serving warehouse left as it was:",
            *failure_lines(warehouse, result),
        )
    return result.run_id


if __name__ == "__main__":
    # python -m orchestration.pipeline: run on $LANDING_DIR with $CENTER_CONFIG.
    with RunConsole(log_dir_from_env()) as run_console:
        center_warehouse = center_warehouse_from_env()
        run_id = publish_or_exit(run_console, center_warehouse)
        print_run_summary(run_console, center_warehouse, run_id)
