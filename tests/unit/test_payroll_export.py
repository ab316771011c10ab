"""A month's payroll CSV and XLSX are replaced together or not at all (issue 18: a failed
XLSX write left the new CSV beside the old XLSX, with different scores for 10 of 16 agents)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from orchestration.lib.payroll_export import write_scorecards

NOVEMBER = Path(__file__).parents[1] / "fixtures" / "exports" / "scorecard_2026-11.csv"


def _november() -> pd.DataFrame:
    return pd.read_csv(NOVEMBER, dtype={"agent_id": str})


def test_each_month_is_written_as_csv_and_xlsx_with_the_same_rows(tmp_path: Path) -> None:
    written = write_scorecards(_november(), tmp_path)
    assert written == [tmp_path / "scorecard_2026-11.csv", tmp_path / "scorecard_2026-11.xlsx"]
    assert (tmp_path / "scorecard_2026-11.csv").read_bytes() == NOVEMBER.read_bytes()
    excel = pd.read_excel(tmp_path / "scorecard_2026-11.xlsx", dtype={"agent_id": str})
    assert excel[["agent_id", "score"]].values.tolist() == [["1001", 82.5], ["1002", 74.25]]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "scorecard_2026-11.csv", "scorecard_2026-11.xlsx",
    ]  # fmt: skip


def test_a_failed_write_leaves_the_previous_files_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_scorecards(_november(), tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    rescored = _november().assign(score=[60.0, 90.0])

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_excel", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_scorecards(rescored, tmp_path)
    # The CSV was written first, under a temp name: neither file changed, no temp file stays.
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_a_folder_in_place_of_a_file_leaves_the_previous_files_byte_identical(
    tmp_path: Path,
) -> None:
    write_scorecards(_november(), tmp_path)
    before = (tmp_path / "scorecard_2026-11.csv").read_bytes()
    (tmp_path / "scorecard_2026-11.xlsx").unlink()
    (tmp_path / "scorecard_2026-11.xlsx").mkdir()  # the XLSX's rename, after the CSV's, fails
    with pytest.raises(IsADirectoryError, match="scorecard_2026-11.xlsx is a folder"):
        write_scorecards(_november().assign(score=[60.0, 90.0]), tmp_path)
    assert (tmp_path / "scorecard_2026-11.csv").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "scorecard_2026-11.csv", "scorecard_2026-11.xlsx",
    ]  # fmt: skip
