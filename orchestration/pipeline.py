"""Runs the warehouse job in this process (the demo, the tests, real-data runs)."""

from __future__ import annotations

from collections.abc import Mapping

from dagster import AssetSelection, DagsterInstance, ExecuteInProcessResult, LoggerDefinition

from orchestration.console import RunConsole
from orchestration.console.progress import WarehouseProgress
from orchestration.console.summary import failure_lines, print_run_summary
from orchestration.defs import build_defs
from orchestration.defs.warehouse_job import WAREHOUSE_JOB
from orchestration.resources import CenterWarehouse, center_warehouse_from_env, log_dir_from_env


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
    job_def = build_defs(warehouse, selection).resolve_job_def(WAREHOUSE_JOB)
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
    defs = build_defs(warehouse)
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
