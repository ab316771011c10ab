"""Every Dagster definition of the warehouse, by domain: ingest (raw assets, landing sensor),
transform (dbt models), quality (blocking checks), publish (serving warehouse), exports
(payroll files); the job and its schedule span them all."""

from dagster import AssetSelection, Definitions

from orchestration.defs.exports.agent_scorecard import agent_scorecard_export
from orchestration.defs.ingest.landing_sensor import landing_sensor
from orchestration.defs.ingest.raw_cdr import cdr
from orchestration.defs.ingest.raw_crm_records import crm_records
from orchestration.defs.ingest.raw_partition_changes import partition_changes
from orchestration.defs.ingest.raw_queue_log import queue_log
from orchestration.defs.ingest.raw_survey_responses import survey_responses
from orchestration.defs.publish.serving_warehouse import serving_warehouse
from orchestration.defs.quality.contract_suites import contract_checks
from orchestration.defs.quality.landing_files import landing_file_checks
from orchestration.defs.quality.ledger import ledger_checks
from orchestration.defs.transform.dbt_models import dbt_models
from orchestration.defs.warehouse_job import (
    daily_build_schedule,
    locked_in_process_executor,
    warehouse_job,
)
from orchestration.resources import CenterWarehouse, dbt_cli


def build_defs(warehouse: CenterWarehouse, selection: AssetSelection | None = None) -> Definitions:
    """The code location over `warehouse`; `selection` narrows warehouse_job to a partial run."""
    return Definitions(
        assets=[
            queue_log,
            cdr,
            crm_records,
            survey_responses,
            partition_changes,
            dbt_models,
            serving_warehouse,
            agent_scorecard_export,
        ],
        asset_checks=[*ledger_checks, *landing_file_checks, *contract_checks],
        jobs=[warehouse_job(selection)],
        schedules=[daily_build_schedule(warehouse.center_config().center.timezone)],
        sensors=[landing_sensor],
        resources={"warehouse": warehouse, "dbt": dbt_cli()},
        # One DuckDB writer at a time, and step processes would cost tens of seconds per run.
        executor=locked_in_process_executor(warehouse.warehouse_dir),
    )
