"""Nothing lost: blocking checks on what the landing folder's files did to the raw layer.

- no_file_held (queue_log, CDR): a PBX file that lost bytes or lines it had is held
  (raw.held_files, orchestration/lib/raw_store.py); the check names it and what it lost.
- no_file_quarantined_whole (every source): a file of which nothing loaded and something was
  quarantined, unless its content was accepted (`python -m orchestration.landing accept`).
- row_count_kept (every source): the raw table's rows dropped by no more than
  `quality.max_row_count_drop_share` since the last publish (the serving warehouse, readable
  while the build runs); rows of files whose current content was accepted are left out of
  both counts. The first publish has no baseline and passes.
"""

from collections.abc import Collection
from pathlib import Path

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetKey,
    asset_check,
)

from orchestration.lib.acceptances import accepted_contents
from orchestration.lib.dq_results import record_check_results
from orchestration.lib.raw_store import RAW_SOURCES, RawSource
from orchestration.resources import CenterWarehouse

HELD_CHECK_NAME = "no_file_held"
WHOLE_QUARANTINE_CHECK_NAME = "no_file_quarantined_whole"
ROW_COUNT_CHECK_NAME = "row_count_kept"


def _result(
    warehouse: CenterWarehouse,
    context: AssetCheckExecutionContext,
    source: RawSource,
    name: str,
    problems: list[str],
    metadata: dict[str, object],
) -> AssetCheckResult:
    """The check's result, recorded in dq.dq_results; a failure's message names every
    problem (the console and the publish's refusal show it)."""
    message = "; ".join(problems)
    result = AssetCheckResult(
        asset_key=AssetKey(source.table.split(".")),
        check_name=name,
        passed=not problems,
        description=message or None,
        metadata={**metadata, **({"message": message} if problems else {})},
    )
    record_check_results(warehouse, context.run.run_id, [result])
    return result


def held_check(source: RawSource) -> AssetChecksDefinition:
    """Blocking: fails while a file of `source` is held, naming it and what it lost."""

    @asset_check(asset=source.table.split("."), name=HELD_CHECK_NAME, blocking=True)
    def _check(context: AssetCheckExecutionContext, warehouse: CenterWarehouse) -> AssetCheckResult:
        with warehouse.connect() as con:
            held = con.execute(
                "select message from raw.held_files where source = ? order by source_file",
                [source.name],
            ).fetchall()
        return _result(
            warehouse, context, source, HELD_CHECK_NAME, [m for (m,) in held],
            {"held_files": len(held)},
        )  # fmt: skip

    return _check


def whole_quarantine_check(source: RawSource) -> AssetChecksDefinition:
    """Blocking: fails on a file of `source` quarantined whole whose content was not
    accepted, naming it and the reason."""

    @asset_check(asset=source.table.split("."), name=WHOLE_QUARANTINE_CHECK_NAME, blocking=True)
    def _check(context: AssetCheckExecutionContext, warehouse: CenterWarehouse) -> AssetCheckResult:
        accepted = accepted_contents(Path(warehouse.warehouse_dir), Path(warehouse.landing_dir))
        with warehouse.connect() as con:
            files, problems = files_quarantined_whole(con, source, accepted)
        return _result(
            warehouse, context, source, WHOLE_QUARANTINE_CHECK_NAME, problems,
            {"files_quarantined_whole": files, "accepted": files - len(problems)},
        )  # fmt: skip

    return _check


def row_count_check(source: RawSource) -> AssetChecksDefinition:
    """Blocking: fails when `source`'s raw rows dropped by more than the configured share
    since the last publish."""

    @asset_check(asset=source.table.split("."), name=ROW_COUNT_CHECK_NAME, blocking=True)
    def _check(context: AssetCheckExecutionContext, warehouse: CenterWarehouse) -> AssetCheckResult:
        import duckdb

        max_drop = warehouse.center_config().quality.max_row_count_drop_share
        accepted = accepted_contents(Path(warehouse.warehouse_dir), Path(warehouse.landing_dir))
        with warehouse.connect() as con:
            now = _rows_by_file(con, source)
            replaced = {
                path
                for path, sha256 in con.execute(
                    "select source_file, content_sha256 from raw.ingest_files where source = ?",
                    [source.name],
                ).fetchall()
                if (path, sha256) in accepted
            }
        before = None
        if warehouse.serving_path.exists():
            with duckdb.connect(str(warehouse.serving_path), read_only=True) as serving:
                before = _rows_by_file(serving, source)
        metadata: dict[str, object] = {"max_drop_share": max_drop}
        problems = []
        if before is not None:
            kept_before = sum(n for path, n in before.items() if path not in replaced)
            kept_now = sum(n for path, n in now.items() if path not in replaced)
            metadata |= {
                "rows_at_last_publish": kept_before,
                "rows_now": kept_now,
                "accepted_files_left_out": len(replaced),
            }
            problem = row_count_drop(source, kept_before, kept_now, max_drop)
            problems += [problem] if problem else []
        return _result(warehouse, context, source, ROW_COUNT_CHECK_NAME, problems, metadata)

    return _check


def files_quarantined_whole(
    con, source: RawSource, accepted: Collection[tuple[str, str]]
) -> tuple[int, list[str]]:
    """How many files of `source` nothing loaded from but something was quarantined, and a
    message for each whose content (path, sha256) is not in `accepted`."""
    files = con.execute(
        "select ingest_files.source_file, ingest_files.content_sha256,"
        " ingest_files.quarantined_count, min(raw_quarantine.reason)"
        " from raw.ingest_files join raw.raw_quarantine"
        " on ingest_files.source = raw_quarantine.source"
        " and ingest_files.source_file = raw_quarantine.source_file"
        " where ingest_files.source = ?"
        " and ingest_files.loaded_count + ingest_files.duplicate_count = 0"
        " group by 1, 2, 3 order by 1",
        [source.name],
    ).fetchall()
    problems = [
        f"{path}: quarantined whole ({count:,} line{'s' * (count != 1)}: {reason}); nothing of"
        " it loaded"
        f" (`python -m orchestration.landing accept {path}` acknowledges it)"
        for path, sha256, count, reason in files
        if (path, sha256) not in accepted
    ]
    return len(files), problems


def row_count_drop(source: RawSource, before: int, now: int, max_drop: float) -> str | None:
    """The message when `source`'s rows dropped from `before` (the last publish) to `now` by
    more than `max_drop` (a share), else None."""
    drop = (before - now) / before if before else 0.0
    if drop <= max_drop:
        return None
    return (
        f"{source.table}: {before:,} rows at the last publish, {now:,} now (-{drop:.1%}, more"
        f" than quality.max_row_count_drop_share {max_drop:.0%} allows)"
    )


def _rows_by_file(con, source: RawSource) -> dict[str, int]:
    """The raw table's rows per source file (empty when the table does not exist yet)."""
    exists = con.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
        source.table.split("."),
    ).fetchone()[0]
    if not exists:
        return {}
    rows = con.execute(f"select source_file, count(*) from {source.table} group by 1")
    return dict(rows.fetchall())


landing_file_checks = [
    *(held_check(source) for source in RAW_SOURCES if not source.merges_versions),
    *(whole_quarantine_check(source) for source in RAW_SOURCES),
    *(row_count_check(source) for source in RAW_SOURCES),
]
