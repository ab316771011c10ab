"""The Chinese Operations dashboard (operations-zh) draws every chart with Chinese titles and
labels, and its figures are the serving file's, as in English (headless Chromium with a CJK
font, `make browser`; the screenshot is test-artifacts/dashboard_operations-zh.png)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.e2e.superset_app import (
    ECHARTS_ANIMATION_MS,
    SUPERSET_DIR,
    RunningSuperset,
    big_number,
    chart,
    logged_in_page,
    open_dashboard,
    table_column,
    wait_for_chart,
)
from tests.e2e.test_operations_dashboard import expected_service_level

pytestmark = pytest.mark.e2e


def test_chinese_operations_dashboard_reads_chinese(
    superset: RunningSuperset, serving_path: Path
) -> None:
    dashboard = yaml.safe_load((SUPERSET_DIR / "assets/dashboards/operations_zh.yaml").read_text())
    titles = [node["meta"]["sliceName"] for node in dashboard["position"].values()
              if isinstance(node, dict) and node.get("type") == "CHART"]  # fmt: skip
    with logged_in_page(superset, "manager", "dashboard_operations-zh.png") as page:
        page.set_viewport_size({"width": 1400, "height": 1600})
        open_dashboard(page, superset, "operations-zh", "服务水平")
        errors = []
        for title in titles:
            holder = chart(page, title)
            holder.scroll_into_view_if_needed()  # charts below the fold load when seen
            wait_for_chart(page, title)
            if holder.locator('[role="alert"]').count():
                errors.append((title, holder.inner_text()[:300]))
        shown = big_number(page, "服务水平")
        queues = table_column(page, "队列", "放弃率")  # a metric label, as the table header
        text = page.inner_text("body")
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_timeout(ECHARTS_ANIMATION_MS)
    assert not errors
    assert "呼叫中心运营" in text and "日期范围" in text  # the title and a filter's name
    assert queues and all(value.endswith("%") for value in queues), queues
    assert shown == expected_service_level(serving_path)
