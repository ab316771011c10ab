"""Ingest of Asterisk queue_log files from the landing folder into raw.queue_log."""

from pathlib import Path

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from orchestration.landing import complete_lines, queue_log_files
from orchestration.raw_store import (
    QUEUE_LOG_SOURCE,
    ensure_raw_tables,
    load_queue_log_file,
    plan_ingest,
    sha256_of,
)
from orchestration.resources import CenterWarehouse
from orchestration.sources.queue_log import parse_queue_log
from orchestration.sources.queue_log_table import parse_queue_log_table


@asset(key=["raw", "queue_log"], group_name="raw", kinds={"duckdb", "python"})
def queue_log(context: AssetExecutionContext, warehouse: CenterWarehouse) -> MaterializeResult:
    """One row per distinct queue_log event of the landing folder's `queue_log*` files
    (live log, rotated and gzip-compressed copies, CSV exports of the realtime table).

    Malformed lines go to raw.raw_quarantine with a reason, exact duplicates are counted, and
    raw.ingest_files keeps the per-file ledger. Unchanged files are skipped; a grown live log
    loads only its new complete lines.
    """
    export_zone = warehouse.center_config().center.export_timezone
    files = queue_log_files(Path(warehouse.landing_dir))
    ingested = []
    with warehouse.connect() as con:
        ensure_raw_tables(con)
        for plan in plan_ingest(con, QUEUE_LOG_SOURCE, files):
            data = plan.file.read_bytes()
            lines, end = complete_lines(
                data[plan.resume_offset :], keep_partial=not plan.file.can_grow
            )
            if plan.file.is_table_export:
                parsed = parse_queue_log_table(lines, export_zone)
            else:
                parsed = parse_queue_log(lines, plan.first_line_number)
            bytes_ingested = plan.resume_offset + end
            entry = load_queue_log_file(
                con, plan, parsed, bytes_ingested, sha256_of(data[:bytes_ingested])
            )
            ingested.append(entry)
            context.log.info(f"{plan.file.path}: {entry}")
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
