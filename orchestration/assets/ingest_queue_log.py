"""Ingest of Asterisk queue_log files from the landing folder into raw.queue_log."""

from pathlib import Path

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from orchestration.raw_store import (
    QUEUE_LOG_SOURCE,
    ensure_raw_tables,
    files_to_ingest,
    load_queue_log_file,
)
from orchestration.resources import CenterWarehouse
from orchestration.sources.queue_log import parse_queue_log

QUEUE_LOG_GLOB = "queue_log*"


@asset(key=["raw", "queue_log"], group_name="raw", kinds={"duckdb", "python"})
def queue_log(context: AssetExecutionContext, warehouse: CenterWarehouse) -> MaterializeResult:
    """One row per distinct queue_log line of the landing folder's `queue_log*` files.

    Malformed lines go to raw.raw_quarantine with a reason, exact duplicates are counted, and
    raw.ingest_files keeps the per-file ledger. Unchanged files are skipped.
    """
    files = sorted(p for p in Path(warehouse.landing_dir).glob(QUEUE_LOG_GLOB) if p.is_file())
    ingested = []
    with warehouse.connect() as con:
        ensure_raw_tables(con)
        for path, sha256 in files_to_ingest(con, QUEUE_LOG_SOURCE, files):
            with path.open("rb") as handle:
                parsed = parse_queue_log(handle)
            ingested.append(load_queue_log_file(con, path, sha256, parsed))
            context.log.info(f"{path}: {ingested[-1]}")
        row_count = con.execute("select count(*) from raw.queue_log").fetchone()[0]
    return MaterializeResult(
        metadata={
            "files_ingested": len(ingested),
            "files_unchanged": len(files) - len(ingested),
            "lines_read": sum(e.lines_read for e in ingested),
            "loaded": sum(e.loaded_count for e in ingested),
            "quarantined": sum(e.quarantined_count for e in ingested),
            "duplicates": sum(e.duplicate_count for e in ingested),
            "dagster/row_count": MetadataValue.int(row_count),
        }
    )
