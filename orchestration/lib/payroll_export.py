"""The payroll export: each month's agent scorecard as CSV and XLSX for the salary system,
read from the published serving warehouse (what was checked is what is paid)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

EXPORT_DIR = "exports"
# The dbt model holding the files' rows (one per agent and month, ordered); all the
# business logic lives there: this module only writes the files.
PAYROLL_MODEL = "marts.export_agent_payroll_monthly"


def scorecard_table(serving_path: Path) -> pd.DataFrame:
    """Every month's scorecard, wide: one row per agent and month."""
    with duckdb.connect(str(serving_path), read_only=True) as con:
        return con.execute(f"select * from {PAYROLL_MODEL}").df()


def write_payroll_exports(serving_path: Path, warehouse_dir: Path) -> list[Path]:
    """`exports/scorecard_<yyyy-mm>.csv` and `.xlsx` per month; returns the files written."""
    table = scorecard_table(serving_path)
    out = warehouse_dir / EXPORT_DIR
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for month, rows in table.groupby("month"):
        stem = out / f"scorecard_{month}"
        rows.to_csv(stem.with_suffix(".csv"), index=False)
        rows.to_excel(stem.with_suffix(".xlsx"), index=False, sheet_name=f"scorecard {month}")
        written += [stem.with_suffix(".csv"), stem.with_suffix(".xlsx")]
    return written
