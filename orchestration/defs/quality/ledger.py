"""Every input line is accounted for: per file, lines read = loaded + quarantined + duplicates
(+ the header of a table export), and the loaded and quarantined counts are the rows really
in raw."""

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetKey,
    asset_check,
)

from orchestration.lib.dq_results import record_check_results
from orchestration.lib.raw_store import RAW_SOURCES, RawSource
from orchestration.resources import CenterWarehouse

LEDGER_CHECK_NAME = "lines_accounted_for"

_UNBALANCED_FILES_SQL = """
with loaded as (
    select source_file, count(*) as row_count from {table} group by 1
),
quarantined as (
    select source_file, count(*) as row_count
    from raw.raw_quarantine where source = $source group by 1
)
select
    ingest_files.source_file,
    ingest_files.lines_read,
    ingest_files.loaded_count,
    ingest_files.quarantined_count,
    ingest_files.duplicate_count,
    ingest_files.header_count,
    coalesce(loaded.row_count, 0) as rows_in_raw,
    coalesce(quarantined.row_count, 0) as rows_in_quarantine
from raw.ingest_files
left join loaded on ingest_files.source_file = loaded.source_file
left join quarantined on ingest_files.source_file = quarantined.source_file
where ingest_files.source = $source
    and (
        ingest_files.lines_read <> ingest_files.loaded_count + ingest_files.quarantined_count
            + ingest_files.duplicate_count + ingest_files.header_count
        or ingest_files.loaded_count <> coalesce(loaded.row_count, 0)
        or ingest_files.quarantined_count <> coalesce(quarantined.row_count, 0)
    )
"""


def ledger_check(source: RawSource) -> AssetChecksDefinition:
    """Blocking: fails on any file of `source` whose ledger does not add up, naming it."""

    @asset_check(asset=source.table.split("."), name=LEDGER_CHECK_NAME, blocking=True)
    def _check(context: AssetCheckExecutionContext, warehouse: CenterWarehouse) -> AssetCheckResult:
        with warehouse.connect() as con:
            unbalanced = con.execute(
                _UNBALANCED_FILES_SQL.format(table=source.table), {"source": source.name}
            ).fetchall()
            files, lines = con.execute(
                "select count(*), coalesce(sum(lines_read), 0) from raw.ingest_files"
                " where source = ?",
                [source.name],
            ).fetchone()
        result = AssetCheckResult(
            asset_key=AssetKey(source.table.split(".")),
            check_name=LEDGER_CHECK_NAME,
            passed=not unbalanced,
            metadata={"files": files, "lines_read": int(lines),
                      "unbalanced_files": [str(row) for row in unbalanced]},
        )  # fmt: skip
        record_check_results(warehouse, context.run.run_id, [result])
        return result

    return _check


ledger_checks = [ledger_check(source) for source in RAW_SOURCES]
