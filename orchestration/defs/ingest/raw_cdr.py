"""Ingest of Asterisk CDR files (Master.csv, table exports) from the landing folder."""

from pathlib import Path

from dagster import AssetExecutionContext, MaterializeResult, asset

from orchestration.lib.landing import cdr_files
from orchestration.lib.raw_loader import cdr_rows, ingest_into_warehouse
from orchestration.lib.raw_store import CDR
from orchestration.resources import CenterWarehouse
from orchestration.sources.cdr import parse_cdr


@asset(key=["raw", "cdr"], group_name="raw", kinds={"duckdb", "python"})
def cdr(context: AssetExecutionContext, warehouse: CenterWarehouse) -> MaterializeResult:
    """One row per distinct CDR line of the landing folder's `Master*.csv` / `cdr*.csv` files
    (cdr_csv, cdr_custom or header-mapped exports; gzip-compressed allowed).

    Malformed lines go to raw.raw_quarantine with a reason, exact duplicates are counted, and
    raw.ingest_files keeps the per-file ledger. A grown file is read again; one that lost lines
    it had is held (raw.held_files) until its new content is accepted.
    """
    files = cdr_files(Path(warehouse.landing_dir))
    return MaterializeResult(
        metadata=ingest_into_warehouse(
            warehouse,
            CDR,
            files,
            lambda lines, plan: parse_cdr(lines, plan.first_line_number),
            cdr_rows,
            context.log.info,
        )
    )
