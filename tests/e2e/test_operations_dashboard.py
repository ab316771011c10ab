"""The operations dashboard, served by a freshly bootstrapped Superset, shows the service level
of the published serving warehouse (headless Chromium, nothing outside 127.0.0.1), the
data-quality dashboard the pass rate of the published checks; the datasets carry the
columns the center config adds."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import duckdb
import pytest

from orchestration.lib.center_config import CenterConfig
from tests.e2e.superset_app import (
    ECHARTS_ANIMATION_MS,
    RENDER_TIMEOUT_MS,
    RunningSuperset,
    big_number,
    logged_in_page,
    open_dashboard,
    wait_for_chart,
)

pytestmark = pytest.mark.e2e


def _d3_percent(numerator: int, denominator: int) -> str:
    """numerator / denominator as d3 ".1%" renders it: JavaScript's toFixed(1) on value * 100,
    round half up, in tenths of a percent."""
    tenths = int(Fraction(int(numerator) * 1000, int(denominator)) + Fraction(1, 2))
    return f"{tenths // 10}.{tenths % 10}%"


def expected_service_level(serving_path: Path) -> str:
    """The service level of the whole serving file, formatted as d3 ".1%" renders it."""
    with duckdb.connect(str(serving_path), read_only=True) as con:
        met, eligible = con.execute(
            "select sum(sl_met_count), sum(sl_eligible_count) from marts.mart_queue_kpis_15m"
        ).fetchone()
    assert eligible, "the serving file has no eligible calls"
    return _d3_percent(met, eligible)


def test_big_number_shows_service_level_of_serving_file(
    superset: RunningSuperset, serving_path: Path
) -> None:
    expected = expected_service_level(serving_path)
    with logged_in_page(superset, "manager", "operations_dashboard.png") as page:
        open_dashboard(page, superset, "operations", "Service level")
        shown = big_number(page, "Service level")
        for title in ("Service level by day", "Queues", "Offered calls by hour and weekday",
                      "Callback worklist"):  # fmt: skip
            wait_for_chart(page, title)  # so the screenshot shows the whole dashboard
        page.wait_for_timeout(ECHARTS_ANIMATION_MS)
    assert shown == expected, f"dashboard shows {shown}, serving file says {expected}"


def test_data_quality_dashboard_shows_the_published_checks(
    superset: RunningSuperset, serving_path: Path
) -> None:
    with duckdb.connect(str(serving_path), read_only=True) as con:
        failed, run = con.execute(
            "select sum(failed_count), count(*) from marts.mart_dq_check_results"
        ).fetchone()
        sources = {row[0] for row in con.execute(
            "select distinct raw_source from marts.mart_dq_file_ledger").fetchall()}  # fmt: skip
    with logged_in_page(superset, "admin", "data_quality_dashboard.png") as page:
        open_dashboard(page, superset, "data-quality", "Check pass rate")
        shown = big_number(page, "Check pass rate")
        # The ledger and freshness tables name every source once they have rendered.
        page.wait_for_function(
            "names => names.every(name => document.body.innerText.includes(name))",
            arg=sorted(sources),
            timeout=RENDER_TIMEOUT_MS,
        )
        page.wait_for_timeout(ECHARTS_ANIMATION_MS)
    assert run > 100 and shown == _d3_percent(run - failed, run)


def test_config_custom_fields_reach_superset_datasets(
    superset: RunningSuperset, example_config: CenterConfig
) -> None:
    """The CRM custom fields of the center config are columns of the segment dataset, with
    no code change: bootstrap syncs the dataset's columns from the warehouse."""
    api = superset.api("admin")
    dataset = api.get(f"/api/v1/dataset/{api.dataset_id('mart_cx_customers_daily')}")
    columns = {c["column_name"] for c in dataset["result"]["columns"]}
    custom = example_config.crm.custom_fields
    expected = {f"account_{f.lower().removesuffix('__c')}" for f in custom["Account"]} | {
        f"contact_{f.lower().removesuffix('__c')}" for f in custom["Contact"]
    }
    assert expected == {"account_tier", "account_risk_level", "contact_member_level"}
    assert expected <= columns and "csat_top2_count" in columns
