"""Ingest of Asterisk queue_log files from the landing folder into raw.queue_log."""

from pathlib import Path

from dagster import AssetExecutionContext, MaterializeResult, asset

from orchestration.lib.landing import queue_log_files
from orchestration.lib.raw_loader import ingest_into_warehouse, queue_log_rows
from orchestration.lib.raw_store import QUEUE_LOG, IngestPlan
from orchestration.resources import CenterWarehouse
from orchestration.sources.queue_log import ParsedQueueLog, parse_queue_log
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

    def parse(lines: list[bytes], plan: IngestPlan) -> ParsedQueueLog:
        if plan.file.is_table_export:
            return parse_queue_log_table(lines, export_zone)
        return parse_queue_log(lines, plan.first_line_number)

    files = queue_log_files(Path(warehouse.landing_dir))
    return MaterializeResult(
        metadata=ingest_into_warehouse(
            warehouse, QUEUE_LOG, files, parse, queue_log_rows, context.log.info
        )
    )
