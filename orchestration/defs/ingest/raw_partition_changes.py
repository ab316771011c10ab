"""The raw layer's partition log, declared for lineage: the ingest assets write it."""

from dagster import AssetSpec

from orchestration.defs.ingest.raw_cdr import cdr
from orchestration.defs.ingest.raw_crm_records import crm_records
from orchestration.defs.ingest.raw_queue_log import queue_log
from orchestration.defs.ingest.raw_survey_responses import survey_responses

partition_changes = AssetSpec(
    key=["raw", "partition_changes"],
    deps=[queue_log, cdr, crm_records, survey_responses],
    group_name="raw",
    kinds={"duckdb"},
    description=(
        "One row per center-local day a load of a raw file changed (rows added or removed), "
        "written by every ingest. Incremental dbt models re-materialise the days of changes "
        "newer than the ones they were built from."
    ),
)
