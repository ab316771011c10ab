"""Survey exports through the Dagster asset and dbt staging: scores exact, bad ones
quarantined with their reason, every line in the ledger."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, AssetSelection

from orchestration.pipeline import run_warehouse_job
from tests.support import make_warehouse

pytestmark = pytest.mark.slow

RAW_SURVEY = AssetKey(["raw", "survey_responses"])
STAGING = AssetKey(["staging", "stg_survey__responses"])


def test_survey_export_loads_and_quarantines_out_of_range_scores(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path)
    surveys = Path(warehouse.landing_dir) / "surveys"
    surveys.mkdir(parents=True)
    (surveys / "ivr-20261102.csv").write_text(
        "response_id,uniqueid,caller_number,submitted_at,csat,nps,ces,resolved,channel\n"
        "R1,1761739200.12,5551234567,2026-11-02 09:15:00,5,10,1,yes,ivr\n"
        "R2,1761739300.13,5559876543,2026-11-02 09:20:00,2,3,6,no,ivr\n"
        "R3,1761739400.14,5550001111,2026-11-02 09:25:00,9,3,6,no,ivr\n"
        "R1,1761739200.12,5551234567,2026-11-02 09:15:00,5,10,1,yes,ivr\n",
        "utf-8",
    )

    result = run_warehouse_job(
        warehouse,
        selection=AssetSelection.assets(RAW_SURVEY, STAGING)
        | AssetSelection.checks_for_assets(RAW_SURVEY),
    )

    assert result.success
    with duckdb.connect(str(warehouse.build_path), read_only=True) as con:
        responses = con.execute(
            "select survey_response_id, csat_score, nps_score, ces_score, is_resolved,"
            " submitted_at::varchar, event_date::varchar"
            " from staging.stg_survey__responses order by 1"
        ).fetchall()
        quarantined = con.execute(
            "select line_number, reason from raw.raw_quarantine where source = 'survey'"
        ).fetchall()
        ledger = con.execute(
            "select lines_read, loaded_count, quarantined_count, duplicate_count, header_count"
            " from raw.ingest_files where source = 'survey'"
        ).fetchall()
    # 09:15 New York time (EST) is 14:15 UTC.
    assert responses == [
        ("R1", 5, 10, 1, True, "2026-11-02 14:15:00", "2026-11-02"),
        ("R2", 2, 3, 6, False, "2026-11-02 14:20:00", "2026-11-02"),
    ]
    assert quarantined == [(4, "CSAT '9' is outside its scale 1-5")]
    assert ledger == [(5, 2, 1, 1, 1)]
