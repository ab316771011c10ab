"""What a run did, for the console's summary: the files and lines ingested (the ledger,
raw.ingest_files), the checks passed, failed and warned (dq.dq_results), and the last day's
KPIs, computed on the published marts by the dbt project's own metric expressions
(`meta.metrics`, as Superset's datasets are) so each KPI stays defined once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dagster import ExecuteInProcessResult

from orchestration.console import RunConsole
from orchestration.dbt_project import dbt_project
from orchestration.lib.dq_results import blocking_failures
from orchestration.lib.run_lock import duckdb_lock_line
from orchestration.resources import CenterWarehouse

# The KPIs the summary shows: (mart, contract metric name).
SUMMARY_KPIS = (
    ("mart_queue_kpis_daily", "service_level"),
    ("mart_queue_kpis_daily", "abandonment_rate"),
    ("mart_queue_kpis_daily", "asa_seconds"),
    ("mart_cx_daily", "handled_calls"),
    ("mart_cx_daily", "csat"),
)


def _connect(path: Path):  # -> duckdb.DuckDBPyConnection (duckdb imported lazily)
    import duckdb

    return duckdb.connect(str(path), read_only=True)


def ingest_lines(warehouse_file: Path) -> list[str]:
    """Per source: files, lines read, and how they were accounted for."""
    with _connect(warehouse_file) as con:
        rows = con.execute(
            "select source, count(*), sum(lines_read), sum(loaded_count),"
            " sum(quarantined_count), sum(duplicate_count)"
            " from raw.ingest_files group by 1 order by 1"
        ).fetchall()
    return [
        f"{source}: {files:,} file{'s' * (files != 1)}, {read:,} lines read, {loaded:,} loaded,"
        f" {quarantined:,} quarantined, {duplicates:,} duplicates"
        for source, files, read, loaded, quarantined, duplicates in rows
    ]


def check_counts(warehouse_file: Path, run_id: str) -> dict[str, int]:
    """The run's checks: passed, failed (blocking) and warned (failed, not blocking)."""
    with _connect(warehouse_file) as con:
        (counts,) = con.execute(
            "select count(*) filter (passed), count(*) filter (not passed and is_blocking),"
            " count(*) filter (not passed and not is_blocking)"
            " from dq.dq_results where run_id = ?",
            [run_id],
        ).fetchall()
    return dict(zip(("passed", "failed", "warned"), counts, strict=True))


def _mart_metrics() -> dict[str, dict[str, Any]]:
    """Mart name -> its date column and its contract metrics by name, from dbt's manifest."""
    marts = {mart for mart, _ in SUMMARY_KPIS}
    nodes = json.loads(dbt_project.manifest_path.read_text())["nodes"].values()
    return {
        node["name"]: {
            "schema": node["schema"],
            "date_column": next(
                name for name, c in node["columns"].items() if c.get("data_type") == "date"
            ),
            "metrics": {m["name"]: m for m in node["config"]["meta"]["metrics"]},
        }
        for node in nodes
        if node["resource_type"] == "model" and node["name"] in marts
    }


def _formatted(value: float | None, d3format: str | None) -> str:
    """A value in its metric's d3 format (the ones the contract uses read the same in
    Python's format mini-language: .1%, .1f, ,d)."""
    if value is None:
        return "n/a"
    if d3format and d3format.endswith("d"):
        value = round(value)
    return format(value, d3format or "")


def last_day_kpis(serving_file: Path) -> tuple[str | None, list[str]]:
    """The last day of the queue KPIs, and each summary KPI on it as 'label value'; no day
    when no call arrived yet (a log of logins and pauses only)."""
    marts = _mart_metrics()
    first = marts[SUMMARY_KPIS[0][0]]
    with _connect(serving_file) as con:
        (day,) = con.execute(
            f"select max({first['date_column']}) from {first['schema']}.{SUMMARY_KPIS[0][0]}"
        ).fetchone()
        if day is None:
            return None, []
        kpis = []
        for mart_name, metric_name in SUMMARY_KPIS:
            mart = marts[mart_name]
            metric = mart["metrics"][metric_name]
            (value,) = con.execute(
                f"select {metric['expression']} from {mart['schema']}.{mart_name}"
                f" where {mart['date_column']} = ?",
                [day],
            ).fetchone()
            kpis.append(f"{metric['label']} {_formatted(value, metric.get('d3format'))}")
    return str(day), kpis


def print_run_summary(console: RunConsole, warehouse: CenterWarehouse, run_id: str) -> None:
    """The published run's figures: ingest ledger, checks, the last day's KPIs."""
    serving = warehouse.serving_path
    console.print(f"built, checked and published {serving}")
    for line in ingest_lines(serving):
        console.print(f"  ingested {line}")
    counts = check_counts(serving, run_id)
    console.print("  checks: " + ", ".join(f"{n:,} {kind}" for kind, n in counts.items()))
    day, kpis = last_day_kpis(serving)
    if day is None:
        console.print("  KPIs: no call in the data")
    else:
        console.print(f"  KPIs on {day}: " + ", ".join(kpis))


def failure_lines(warehouse: CenterWarehouse, result: ExecuteInProcessResult) -> list[str]:
    """What stopped a run: its failed blocking checks, then its failed steps' errors."""
    checks = [f"  failed check {check}" for check in blocking_failures(warehouse, result.run_id)]
    steps = [
        f"  failed step {event.step_key}: {_one_line(event.step_failure_data.error)}"
        for event in result.get_step_failure_events()
        if event.step_failure_data.error is not None
    ]
    return checks + steps


def _one_line(error: Any, width: int = 160) -> str:
    """A step's error (SerializableErrorInfo) as 'Class: message' on one line, cut at `width`
    (the log has it whole). DuckDB's lock conflict names the file and the process holding it
    (issue 18: it was a traceback's last line)."""
    while error.cls_name == "DagsterExecutionStepExecutionError" and error.cause is not None:
        error = error.cause  # Dagster's wrapper of the asset's own error: that error says why
    message = " ".join(error.message.split())
    if (locked := duckdb_lock_line(message)) is not None:
        return locked
    module_and_class, _, rest = message.partition(": ")
    if rest and module_and_class.endswith(error.cls_name):
        message = f"{error.cls_name}: {rest}"
    return message if len(message) <= width else message[: width - 1] + "…"
