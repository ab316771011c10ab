"""Every dashboard of superset/dashboards/ opens for the center manager with every chart
drawn (a big number, a table's rows or an ECharts canvas) and none in error; the
screenshots are the README's (test-artifacts/dashboard_<slug>.png)."""

from __future__ import annotations

import pytest
import yaml

from tests.e2e.superset_app import (
    ECHARTS_ANIMATION_MS,
    SUPERSET_DIR,
    RunningSuperset,
    chart,
    logged_in_page,
    open_dashboard,
    wait_for_chart,
)

pytestmark = pytest.mark.e2e

SPECS = {path.stem: yaml.safe_load(path.read_text())
         for path in sorted((SUPERSET_DIR / "dashboards").glob("*.yaml"))}  # fmt: skip


@pytest.mark.parametrize("name", list(SPECS))
def test_dashboard_draws_every_chart(superset: RunningSuperset, name: str) -> None:
    spec = SPECS[name]
    titles = [spec["charts"][cell["chart"]]["title"] for row in spec["rows"] for cell in row]
    with logged_in_page(superset, "manager", f"dashboard_{spec['slug']}.png") as page:
        page.set_viewport_size({"width": 1400, "height": 1600})
        open_dashboard(page, superset, spec["slug"], titles[0])
        errors = []
        for title in titles:
            holder = chart(page, title)
            holder.scroll_into_view_if_needed()  # charts below the fold load when seen
            wait_for_chart(page, title)
            if holder.locator('[role="alert"]').count():
                errors.append((title, holder.inner_text()[:300]))
        page.evaluate("window.scrollTo(0, 0)")  # the sticky header back on top for the screenshot
        page.wait_for_timeout(ECHARTS_ANIMATION_MS)
    assert not errors
