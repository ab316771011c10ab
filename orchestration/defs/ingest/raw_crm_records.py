"""Ingest of CRM exports (one CSV per Salesforce object) from the landing folder's crm/."""

import json
from pathlib import Path

from dagster import AssetExecutionContext, MaterializeResult, asset

from orchestration.lib.landing import crm_files
from orchestration.lib.raw_loader import ingest_into_warehouse, record_rows
from orchestration.lib.raw_store import CRM
from orchestration.resources import CenterWarehouse
from orchestration.sources.crm import CrmRecord, parse_crm_export


@asset(key=["raw", "crm_records"], group_name="raw", kinds={"duckdb", "python"})
def crm_records(context: AssetExecutionContext, warehouse: CenterWarehouse) -> MaterializeResult:
    """One row per distinct version of a CRM record (User, Account, Contact, Case, Task,
    Opportunity, Campaign) from the landing folder's `crm/<Object>*.csv` exports.

    Columns may drift: unknown ones are kept with the record and reported here; a file lacking
    a required column is quarantined whole, naming the column. The ledger counts CSV records.
    """
    metadata = ingest_into_warehouse(
        warehouse,
        CRM,
        crm_files(Path(warehouse.landing_dir)),
        lambda lines, plan: parse_crm_export(lines, plan.file.path.name),
        record_rows(CrmRecord),
        context.log.info,
    )
    with warehouse.connect() as con:
        kept = con.execute(
            f"select distinct object_name, unknown_columns from {CRM.table}"
            " where unknown_columns is not null"
        ).fetchall()
    unknown = sorted(
        {f"{name}.{column}" for name, columns in kept for column in json.loads(columns)}
    )
    if unknown:
        context.log.warning(f"CRM columns not in the warehouse's model, kept as JSON: {unknown}")
    return MaterializeResult(metadata={**metadata, "unknown_columns": ", ".join(unknown)})
