"""Runs the warehouse job when source files arrive in the landing folder or grow."""

import hashlib
import json
from pathlib import Path

from dagster import (
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from orchestration.defs.warehouse_job import WAREHOUSE_JOB
from orchestration.lib.landing import source_files
from orchestration.lib.run_lock import current_holder
from orchestration.resources import CenterWarehouse


def landing_state(landing_dir: Path) -> dict[str, list[int]]:
    """Each source file (path relative to the folder) with its size and mtime in ns. A
    refused link counts by its own size and mtime (its target may be missing or forbidden):
    its arrival runs the job, whose ingest log then names it."""
    return {
        str(file.path.relative_to(landing_dir)): [stat.st_size, stat.st_mtime_ns]
        for file in source_files(landing_dir)
        for stat in [file.path.lstat() if file.refused else file.path.stat()]
    }


@sensor(
    job_name=WAREHOUSE_JOB,
    minimum_interval_seconds=60,
    # Stopped until turned on (UI or `dagster sensor start landing_sensor`): `dagster dev`
    # over the demo's history should not start a build by itself.
    default_status=DefaultSensorStatus.STOPPED,
    description="Runs warehouse_job when a source file arrives in the landing folder, grows "
    "or changes (the cursor holds each file's size and mtime).",
)
def landing_sensor(
    context: SensorEvaluationContext, warehouse: CenterWarehouse
) -> SensorResult | SkipReason:
    holder = current_holder(Path(warehouse.warehouse_dir))
    if holder is not None:
        # The cursor stays: the files that arrived meanwhile are seen at the next tick.
        return SkipReason(f"warehouse in use by {holder.describe()}; checking again next tick")
    state = landing_state(Path(warehouse.landing_dir))
    seen = json.loads(context.cursor) if context.cursor else {}
    changed = sorted(name for name, size_mtime in state.items() if seen.get(name) != size_mtime)
    cursor = json.dumps(state, sort_keys=True)
    if not changed:
        # A removed file changes nothing to load, but is forgotten so its return is noticed.
        context.update_cursor(cursor)
        return SkipReason(f"no new or grown files in {warehouse.landing_dir}")
    return SensorResult(
        run_requests=[
            RunRequest(
                run_key=hashlib.sha256(cursor.encode()).hexdigest()[:16],
                tags={"landing/changed_files": ", ".join(changed)[:1000]},
            )
        ],
        cursor=cursor,
    )
