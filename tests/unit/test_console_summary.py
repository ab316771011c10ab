"""The summary's helpers: KPI values in their contract format, a step's error on one line."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from orchestration.console.summary import _formatted, _one_line, last_day_kpis


@pytest.mark.parametrize(
    ("value", "d3format", "text"),
    [
        (0.94872, ".1%", "94.9%"),  # service level
        (6.66, ".1f", "6.7"),  # ASA (s)
        (1375.0, ",d", "1,375"),  # handled calls: a sum, typed as a float by DuckDB
        (None, ".1%", "n/a"),  # no survey that day
    ],
)
def test_kpi_values_read_as_their_contract_format(
    value: float | None, d3format: str, text: str
) -> None:
    assert _formatted(value, d3format) == text


def test_a_step_error_reads_on_one_line_without_its_module() -> None:
    error = SimpleNamespace(  # the fields of Dagster's SerializableErrorInfo it reads
        message="dagster_dbt.errors.DagsterDbtCliRuntimeError: The dbt CLI process with"
        " command\n\n`dbt build`\n\nfailed with exit code 1.\n",
        cls_name="DagsterDbtCliRuntimeError",
    )
    assert _one_line(error) == (
        "DagsterDbtCliRuntimeError: The dbt CLI process with command `dbt build` failed with"
        " exit code 1."
    )
    assert _one_line(error, width=30) == "DagsterDbtCliRuntimeError: Th…"


def test_a_warehouse_without_calls_has_no_kpi_day(tmp_path: Path) -> None:
    # Agent events only: the queue marts publish empty, and the summary says so (not "None").
    serving = tmp_path / "serving.duckdb"
    with duckdb.connect(str(serving)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.mart_queue_kpis_daily (arrival_date date)")
    assert last_day_kpis(serving) == (None, [])


def test_a_step_error_reads_as_the_assets_own_error() -> None:
    # Dagster wraps what an asset raised: "Error occurred while executing op ..." said nothing.
    cause = SimpleNamespace(
        message="FileExistsError: [Errno 17] File exists: '/w/exports'\n",
        cls_name="FileExistsError",
        cause=None,
    )
    error = SimpleNamespace(
        message="dagster._core.errors.DagsterExecutionStepExecutionError: Error occurred while"
        ' executing op "exports__agent_scorecard":\n',
        cls_name="DagsterExecutionStepExecutionError",
        cause=cause,
    )
    assert _one_line(error) == "FileExistsError: [Errno 17] File exists: '/w/exports'"


def test_a_duckdb_lock_conflict_reads_as_the_file_and_its_holder() -> None:
    error = SimpleNamespace(
        message='_duckdb.IOException: IO Error: Could not set lock on file "/w/build.duckdb":'
        " Conflicting lock is held in /usr/bin/python3.11 (PID 999999999) by user root. See"
        " also https://duckdb.org/docs/stable/connect/concurrency\n",
        cls_name="IOException",
        cause=None,
    )
    assert _one_line(error) == (
        "/w/build.duckdb is locked by pid 999999999 (/usr/bin/python3.11, no longer running)"
    )
