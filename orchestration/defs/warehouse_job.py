"""The one job, ingest -> dbt build -> checks -> publish, and its daily schedule."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    ExecutorDefinition,
    ScheduleDefinition,
    define_asset_job,
    executor,
    in_process_executor,
)
from dagster._core.events import (  # the engine events an executor yields
    DagsterEvent,
    EngineEventData,
)
from dagster._core.executor.in_process import InProcessExecutor

from orchestration.lib.run_lock import warehouse_lock

if TYPE_CHECKING:  # what define_asset_job returns; dagster exports it from no public module
    from dagster._core.definitions.unresolved_asset_job_definition import (
        UnresolvedAssetJobDefinition,
    )

WAREHOUSE_JOB = "warehouse_job"
# Nightly, center-local: the day's files are in and nobody reads dashboards.
DAILY_BUILD_CRON = "0 2 * * *"


def warehouse_job(selection: AssetSelection | None = None) -> UnresolvedAssetJobDefinition:
    """The whole pipeline, or only `selection` of it (a partial run: tests, benchmarks)."""
    return define_asset_job(
        name=WAREHOUSE_JOB,
        selection=selection or AssetSelection.all(),
        description="Ingest the landing folder, build and test the models, check, publish.",
    )


def daily_build_schedule(timezone: str) -> ScheduleDefinition:
    """The full build at 02:00 in the center's zone. Stopped until turned on (UI or
    `dagster schedule start daily_build_schedule`): `dagster dev` over the demo's history
    should not start builds by itself."""
    return ScheduleDefinition(
        name="daily_build_schedule",
        job_name=WAREHOUSE_JOB,
        cron_schedule=DAILY_BUILD_CRON,
        execution_timezone=timezone,
        default_status=DefaultScheduleStatus.STOPPED,
        description="The full build (ingest, dbt build, checks, publish) every night.",
    )


class _LockedInProcessExecutor(InProcessExecutor):
    """Dagster's in-process executor, holding the warehouse's run lock around the run."""

    def __init__(self, base: InProcessExecutor, warehouse_dir: Path) -> None:
        super().__init__(base.retries, base.step_dependency_config)
        self._warehouse_dir = warehouse_dir

    def execute(self, plan_context: Any, execution_plan: Any) -> Iterator[DagsterEvent]:
        command = f"dagster run {plan_context.run_id} of {WAREHOUSE_JOB}"
        with warehouse_lock(self._warehouse_dir, command) as lock:
            if (takeover := lock.takeover_message()) is not None:
                yield DagsterEvent.engine_event(plan_context, takeover, EngineEventData())
            yield from super().execute(plan_context, execution_plan)


def locked_in_process_executor(warehouse_dir: str) -> ExecutorDefinition:
    """The executor of runs Dagster launches (the UI, the sensor, the schedule): in process
    (one DuckDB writer; step processes would cost tens of seconds), under the warehouse's run
    lock, so such a run and `python -m orchestration.pipeline` never build at once: the later
    fails at once naming the holder. (execute_in_process brings its own executor: the
    pipeline module takes the lock itself.)"""

    @executor(name="in_process", config_schema=in_process_executor.config_schema)
    def _in_process(init_context: Any) -> InProcessExecutor:
        base = in_process_executor.executor_creation_fn(init_context)
        return _LockedInProcessExecutor(base, Path(warehouse_dir))

    return _in_process
