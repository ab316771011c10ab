"""Every check run, kept: one row per check evaluation in `dq.dq_results` of the build
warehouse (dbt tests, ledger checks, Great Expectations suites), passed or not, with what
failed. A failing blocking check stops the publish, so its row reaches the serving warehouse
with the next good build: the published table is the history of every check run."""

import datetime as dt
import json

from dagster import AssetCheckResult, AssetCheckSeverity

from orchestration.resources import CenterWarehouse

FAILING_ROWS_SHOWN = 20

_DDL = """
create schema if not exists dq;
create table if not exists dq.dq_results (
    run_id varchar not null,
    checked_at timestamp not null,
    asset_key varchar not null,
    check_name varchar not null,
    severity varchar not null,
    is_blocking boolean not null,
    passed boolean not null,
    detail json
)
"""


def ensure_results_table(warehouse: CenterWarehouse) -> None:
    """Creates dq.dq_results if missing (dbt reads it as a source: it must exist first)."""
    with warehouse.connect() as con:
        con.execute(_DDL)


def record_check_results(
    warehouse: CenterWarehouse,
    run_id: str,
    results: list[AssetCheckResult],
    stored_failures: dict[str, str] | None = None,
    severities: dict[str, str] | None = None,
) -> None:
    """Appends the results of one run's checks (each naming its asset and check). An ERROR
    check blocks the publish; a WARN check (an anomaly, not a contract violation) reports.
    A failed check whose failing rows dbt stored (`stored_failures`: check name -> table)
    carries the first of them, so the detail names the offending keys. `severities` (check
    name -> ERROR or WARN) gives a check's configured severity where its result, passed,
    does not say it (dagster-dbt marks only failed warnings WARN)."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with warehouse.connect() as con:
        rows = [
            (
                run_id,
                now,
                result.asset_key.to_user_string(),
                result.check_name,
                severity,
                severity == AssetCheckSeverity.ERROR.value,
                result.passed,
                json.dumps(
                    _detail(con, result, (stored_failures or {}).get(result.check_name)),
                    default=str,
                ),
            )  # fmt: skip
            for result in results
            for severity in [(severities or {}).get(result.check_name, result.severity.value)]
        ]
        con.execute(_DDL)
        if rows:
            con.executemany("insert into dq.dq_results values (?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _detail(con, result: AssetCheckResult, failures_table: str | None) -> dict[str, object]:
    detail = {key: value.value for key, value in result.metadata.items()}
    if not result.passed and failures_table:
        failing = con.execute(f"select * from {failures_table} limit {FAILING_ROWS_SHOWN}")
        columns = [column[0] for column in failing.description]
        detail["failing_rows"] = [
            dict(zip(columns, row, strict=True)) for row in failing.fetchall()
        ]
    return detail


def blocking_failures(warehouse: CenterWarehouse, run_id: str) -> list[str]:
    """The run's failed blocking checks, as 'asset_key: check_name', followed by what failed:
    ': message' for a check whose detail has one (the landing-file checks name the file and
    the loss), else what its failing rows say in a `*_reason` column (freshness's
    stale_reason: 'cdr: stale, ...'), so that the message names the offending file or source."""
    with warehouse.connect() as con:
        con.execute(_DDL)
        rows = con.execute(
            "select asset_key || ': ' || check_name, detail from dq.dq_results"
            " where run_id = ? and is_blocking and not passed order by 1",
            [run_id],
        ).fetchall()
    return [f"{check}{_what_failed(detail)}" for check, detail in rows]


def _what_failed(detail: str | None) -> str:
    parsed = json.loads(detail or "{}")
    if parsed.get("message"):
        return f": {parsed['message']}"
    failing = parsed.get("failing_rows") or []
    reasons = [
        str(value)
        for row in failing
        for column, value in row.items()
        if column.endswith("_reason") and value is not None
    ]
    return f" ({'; '.join(reasons)})" if reasons else ""
