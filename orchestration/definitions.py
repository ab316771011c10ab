"""The Dagster code location: `dagster dev -m orchestration.definitions`."""

from dagster import Definitions, in_process_executor

from orchestration.assets.dbt import dbt_models
from orchestration.assets.ingest_cdr import cdr
from orchestration.assets.ingest_crm import crm_records
from orchestration.assets.ingest_queue_log import queue_log
from orchestration.assets.ingest_survey import survey_responses
from orchestration.assets.payroll import agent_scorecard_export
from orchestration.assets.publish import serving_warehouse
from orchestration.assets.raw_partitions import partition_changes
from orchestration.checks.contract_suites import contract_checks
from orchestration.checks.ledger import ledger_checks
from orchestration.jobs import warehouse_job
from orchestration.resources import center_warehouse_from_env, dbt_cli

defs = Definitions(
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
    asset_checks=[*ledger_checks, *contract_checks],
    jobs=[warehouse_job],
    resources={"warehouse": center_warehouse_from_env(), "dbt": dbt_cli()},
    # One DuckDB writer at a time, and step processes would cost tens of seconds per run.
    executor=in_process_executor,
)
