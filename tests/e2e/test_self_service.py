"""Self-service as Explore does it: a user builds charts from the datasets' saved metrics
through Superset's chart-data API, and gets the marts' figures in the contract's formats. Weekly
abandonment per team is the daily queue dataset at the week time grain (docs/metrics.md: weeks
and months are time grains of the daily marts), checked against the weekly mart."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from tests.e2e.superset_app import RunningSuperset, SupersetApi

pytestmark = pytest.mark.e2e

DATASET = "mart_queue_kpis_daily"


def _chart_data(api: SupersetApi, columns: list, metric: str, grain: str | None) -> list[dict]:
    """The rows of one query, the way Explore sends it (saved metric, time grain on the
    dataset's date column, no row limit short of the data)."""
    if grain:
        columns = [
            {"label": "period", "sqlExpression": "arrival_date", "columnType": "BASE_AXIS",
             "timeGrain": grain, "expressionType": "SQL"},
            *columns,
        ]  # fmt: skip
    query = {"columns": columns, "metrics": [metric], "row_limit": 100_000, "orderby": []}
    body = {
        "datasource": {"id": api.dataset_id(DATASET), "type": "table"},
        "queries": [query],
        "result_format": "json",
        "result_type": "full",
    }
    (result,) = api.post("/api/v1/chart/data", body)["result"]
    return result["data"]


def _day(value: int | str) -> str:
    """A period as Superset returns it (epoch milliseconds) as an ISO date."""
    return datetime.fromtimestamp(int(value) / 1000, tz=UTC).date().isoformat()


def _assert_same(built: dict, expected: dict) -> None:
    assert built.keys() == expected.keys()
    for key, rate in expected.items():
        assert built[key] == (rate if rate is None else pytest.approx(rate)), key


def _mart(serving_path: Path, sql: str) -> dict:
    with duckdb.connect(str(serving_path), read_only=True) as con:
        return {tuple(map(str, key)): value for *key, value in con.execute(sql).fetchall()}


def test_weekly_abandonment_per_team_equals_the_weekly_mart(
    superset: RunningSuperset, serving_path: Path
) -> None:
    rows = _chart_data(superset.api("manager"), ["team_name"], "abandonment_rate", "P1W")
    built = {(_day(r["period"]), r["team_name"]): r["abandonment_rate"] for r in rows}
    expected = _mart(
        serving_path,
        "select arrival_week_start_date, team_name,"
        " sum(abandoned_count) / nullif(sum(offered_count), 0)"
        " from marts.mart_queue_kpis_weekly group by 1, 2",
    )
    assert len(expected) >= 8  # two owning teams over the demo's weeks
    _assert_same(built, expected)


def test_service_level_by_queue_and_day_equals_the_daily_mart_in_percent(
    superset: RunningSuperset, serving_path: Path
) -> None:
    api = superset.api("manager")
    rows = _chart_data(api, ["queue_id"], "service_level", "P1D")
    built = {(_day(r["period"]), r["queue_id"]): r["service_level"] for r in rows}
    expected = _mart(
        serving_path,
        "select arrival_date, queue_id, sl_met_count / nullif(sl_eligible_count, 0)"
        " from marts.mart_queue_kpis_daily",
    )
    assert len(expected) > 30
    _assert_same(built, expected)
    dataset = api.get(f"/api/v1/dataset/{api.dataset_id(DATASET)}")["result"]
    (metric,) = [m for m in dataset["metrics"] if m["metric_name"] == "service_level"]
    assert (metric["verbose_name"], metric["d3format"]) == ("Service level", ".1%")
