"""The payroll export: each month's agent scorecard as CSV and XLSX for the salary system,
read from the published serving warehouse (what was checked is what is paid)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.lib.atomic_publish import replace_files

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
    return write_scorecards(scorecard_table(serving_path), warehouse_dir / EXPORT_DIR)


def write_scorecards(table: pd.DataFrame, out: Path) -> list[Path]:
    """Each month's rows of `table` as `scorecard_<month>.csv` and `.xlsx` in `out`, all
    replaced together or none (issue 18: a failed XLSX left a new CSV beside an old XLSX, and
    the payroll saw two scores for 10 of 16 agents)."""
    writers: dict[Path, Callable[[Path], object]] = {}
    for month, rows in table.groupby("month"):
        stem = out / f"scorecard_{month}"
        writers[stem.with_suffix(".csv")] = partial(rows.to_csv, index=False)
        sheet = f"scorecard {month}"
        writers[stem.with_suffix(".xlsx")] = partial(rows.to_excel, index=False, sheet_name=sheet)
    return replace_files(writers)
