"""Every check run, kept: one row per check evaluation in `dq.dq_results` of the build
warehouse (dbt tests, ledger checks, Great Expectations suites), passed or not, with what
failed. A failing blocking check stops the publish, so its row reaches the serving warehouse
with the next good build: the published table is the history of every check run."""

import datetime as dt
import json

from dagster import AssetCheckResult, AssetCheckSeverity

from orchestration.resources import CenterWarehouse

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
) -> None:
    """Appends the results of one run's checks (each naming its asset and check). An ERROR
    check blocks the publish; a WARN check (an anomaly, not a contract violation) reports."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = [
        (
            run_id,
            now,
            result.asset_key.to_user_string(),
            result.check_name,
            result.severity.value,
            result.severity == AssetCheckSeverity.ERROR,
            result.passed,
            json.dumps({k: v.value for k, v in result.metadata.items()}, default=str),
        )
        for result in results
    ]
    with warehouse.connect() as con:
        con.execute(_DDL)
        if rows:
            con.executemany("insert into dq.dq_results values (?, ?, ?, ?, ?, ?, ?, ?)", rows)
