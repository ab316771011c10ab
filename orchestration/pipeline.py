"""Runs the warehouse job in this process (the demo, the tests, real-data runs)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path

from dagster import (
    AssetKey,
    AssetSelection,
    DagsterInstance,
    ExecuteInProcessResult,
    LoggerDefinition,
)

from orchestration.console import RunConsole
from orchestration.console.progress import WarehouseProgress
from orchestration.console.summary import failure_lines, print_run_summary
from orchestration.defs import build_defs
from orchestration.defs.warehouse_job import WAREHOUSE_JOB
from orchestration.lib.run_lock import WarehouseLocked, warehouse_lock
from orchestration.resources import CenterWarehouse, center_warehouse_from_env, log_dir_from_env

SERVING_KEY = AssetKey(["serving", "warehouse"])
_LOG = logging.getLogger(__name__)


def run_warehouse_job(
    warehouse: CenterWarehouse,
    instance: DagsterInstance | None = None,
    selection: AssetSelection | None = None,
    loggers: Mapping[str, LoggerDefinition] | None = None,
    on_takeover: Callable[[str], object] | None = None,
) -> ExecuteInProcessResult:
    """Ingest -> dbt build -> checks -> publish on `warehouse` (or only `selection` of it),
    Dagster's events to `loggers` (default: its console logger), holding the warehouse's run
    lock; `on_takeover` hears of a stale lock taken over.

    Failures are reported in the result, not raised; a warehouse another run holds raises
    WarehouseLocked (naming that run) before anything runs.
    """
    job_def = build_defs(warehouse, selection).resolve_job_def(WAREHOUSE_JOB)
    if loggers:  # a job's logger is used only if the run's config names it
        job_def = job_def.with_logger_defs(loggers)
    with warehouse_lock(Path(warehouse.warehouse_dir)) as lock:
        if (takeover := lock.takeover_message()) is not None:
            _LOG.warning(takeover)
            if on_takeover is not None:
                on_takeover(takeover)
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
    # Told below the stages once they end: a line printed now would stop their live bars.
    takeovers: list[str] = []
    try:
        result = run_warehouse_job(
            warehouse, instance, loggers=progress.loggers(), on_takeover=takeovers.append
        )
    except WarehouseLocked as error:
        progress.finish()
        console.fail(str(error))
    progress.finish()
    for takeover in takeovers:
        console.print(takeover)
    if not result.success:
        console.fail(failure_headline(result), *failure_lines(warehouse, result))
    return result.run_id


def failure_headline(result: ExecuteInProcessResult) -> str:
    """What a failed run left Superset: the new serving warehouse if publish ran before a
    later step (the payroll export) failed, else the one it had."""
    if SERVING_KEY in {e.asset_key for e in result.get_asset_materialization_events()}:
        return f"serving warehouse published (run {result.run_id}); then failed:"
    return "pipeline failed, serving warehouse left as it was:"


if __name__ == "__main__":
    # python -m orchestration.pipeline: run on $LANDING_DIR with $CENTER_CONFIG.
    with RunConsole(log_dir_from_env()) as run_console:
        center_warehouse = center_warehouse_from_env()
        run_id = publish_or_exit(run_console, center_warehouse)
        print_run_summary(run_console, center_warehouse, run_id)
