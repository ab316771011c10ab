"""The one job, ingest -> dbt build -> checks -> publish, and its daily schedule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dagster import AssetSelection, DefaultScheduleStatus, ScheduleDefinition, define_asset_job

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
