"""Ingest of post-call survey exports from the landing folder's surveys/."""

from pathlib import Path

from dagster import AssetExecutionContext, MaterializeResult, asset

from orchestration.lib.landing import survey_files
from orchestration.lib.raw_loader import ingest_into_warehouse, record_rows
from orchestration.lib.raw_store import SURVEY
from orchestration.resources import CenterWarehouse
from orchestration.sources.survey import SurveyResponse, parse_survey_export


@asset(key=["raw", "survey_responses"], group_name="raw", kinds={"duckdb", "python"})
def survey_responses(
    context: AssetExecutionContext, warehouse: CenterWarehouse
) -> MaterializeResult:
    """One row per distinct post-call survey response (IVR, SMS, e-mail) of the landing
    folder's `surveys/*.csv` exports. A score outside its scale quarantines the response with
    the reason; times without an offset are on the PBX's clock."""
    export_zone = warehouse.center_config().center.export_timezone
    return MaterializeResult(
        metadata=ingest_into_warehouse(
            warehouse,
            SURVEY,
            survey_files(Path(warehouse.landing_dir)),
            lambda lines, plan: parse_survey_export(lines, export_zone),
            record_rows(SurveyResponse),
            context.log.info,
        )
    )
