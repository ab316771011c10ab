"""CRM exports through the Dagster asset: drift is kept and reported, a file missing a
required column loads nothing, and the ledger accounts for every record."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, AssetSelection

from orchestration.defs.quality.landing_files import (
    ROW_COUNT_CHECK_NAME,
    WHOLE_QUARANTINE_CHECK_NAME,
)
from orchestration.defs.quality.ledger import LEDGER_CHECK_NAME
from orchestration.lib.dq_results import blocking_failures
from orchestration.pipeline import run_warehouse_job
from tests.support import make_warehouse

pytestmark = pytest.mark.slow

RAW_CRM = AssetKey(["raw", "crm_records"])

EXPORTS = {
    "Case.csv": (
        "Id,ContactId,Type,Status,CreatedDate,SystemModstamp,IsDeleted\n"
        "500A1,003C1,Complaint,New,2026-11-02T14:00:00.000Z,2026-11-02T14:00:00.000Z,false\n"
        "500A2,003C2,Question,New,2026-11-02T16:00:00.000Z,2026-11-02T16:00:00.000Z,false\n"
    ),
    # The next day's incremental export: another column order, a new custom column, one case
    # closed, one deleted.
    "Case_20261103.csv": (
        "SystemModstamp,Id,Status,Type,ContactId,CreatedDate,IsDeleted,Sentiment__c\n"
        "2026-11-03T09:00:00.000Z,500A1,Closed,Complaint,003C1,2026-11-02T14:00:00.000Z,false,neg\n"
        "2026-11-03T10:00:00.000Z,500A2,New,Question,003C2,2026-11-02T16:00:00.000Z,true,\n"
    ),
    "User.csv": (
        "Id,Username,Department,SystemModstamp\n005U1,ann@example.com,Sales,2026-11-01T08:00:00Z\n"
    ),
    "Lead.csv": "Id,SystemModstamp\n00QL1,2026-11-01T08:00:00Z\n",
}


def test_crm_exports_load_with_drift_kept_and_bad_files_quarantined(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path)
    crm = Path(warehouse.landing_dir) / "crm"
    crm.mkdir(parents=True)
    for name, text in EXPORTS.items():
        (crm / name).write_text(text, "utf-8")

    result = run_warehouse_job(
        warehouse,
        selection=AssetSelection.assets(RAW_CRM) | AssetSelection.checks_for_assets(RAW_CRM),
    )

    (materialization,) = result.asset_materializations_for_node("raw__crm_records")
    assert materialization.metadata["unknown_columns"].value == "Case.Sentiment__c"
    # Two files of which nothing loaded block the publish, by name, until accepted.
    assert sorted((e.check_name, e.passed) for e in result.get_asset_check_evaluations()) == [
        (LEDGER_CHECK_NAME, True),
        (WHOLE_QUARANTINE_CHECK_NAME, False),
        (ROW_COUNT_CHECK_NAME, True),
    ]
    (failure,) = blocking_failures(warehouse, result.run_id)
    assert failure.startswith(f"raw/crm_records: {WHOLE_QUARANTINE_CHECK_NAME}: {crm}/Lead.csv:")
    assert f"{crm}/User.csv: quarantined whole (1 line: User export lacks required" in failure
    with duckdb.connect(str(warehouse.build_path), read_only=True) as con:
        versions = con.execute(
            "select record_id, version_at::varchar, is_deleted, fields->>'Status',"
            " fields->>'Sentiment__c' from raw.crm_records order by 1, 2"
        ).fetchall()
        quarantined = con.execute(
            "select parse_filename(source_file), line_number, reason from raw.raw_quarantine"
            " order by all"
        ).fetchall()
        ledger = con.execute(
            "select parse_filename(source_file), lines_read, loaded_count, quarantined_count,"
            " header_count from raw.ingest_files where source = 'crm' order by 1"
        ).fetchall()
    assert versions == [
        ("500A1", "2026-11-02 14:00:00", False, "New", None),
        ("500A1", "2026-11-03 09:00:00", False, "Closed", "neg"),
        ("500A2", "2026-11-02 16:00:00", False, "New", None),
        ("500A2", "2026-11-03 10:00:00", True, "New", None),
    ]
    assert quarantined == [
        ("Lead.csv", 2, "file name 'Lead.csv' names no CRM object (User, Account, Contact,"
                        " Case, Task, Opportunity, Campaign)"),
        ("User.csv", 2, "User export lacks required column Name"),
    ]  # fmt: skip
    assert ledger == [
        ("Case.csv", 3, 2, 0, 1),
        ("Case_20261103.csv", 3, 2, 0, 1),
        ("Lead.csv", 2, 0, 1, 1),
        ("User.csv", 2, 0, 1, 1),
    ]
