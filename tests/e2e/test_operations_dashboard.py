"""The operations dashboard, served by a freshly bootstrapped Superset, shows the service level
of the published serving warehouse (headless Chromium, nothing outside 127.0.0.1), the
data-quality dashboard the pass rate of the published checks; the datasets carry the
columns the center config adds."""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from orchestration.center_config import CenterConfig
from tests.e2e.browser import shut_in_page

REPO_ROOT = Path(__file__).resolve().parents[2]
SUPERSET_DIR = REPO_ROOT / "superset"
BIG_NUMBER = '[data-test-viz-type="big_number_total"] .header-line'
# Charts take 10-20 s to render on two cores; the first dashboard load also warms the worker.
RENDER_TIMEOUT_MS = 90_000
ECHARTS_ANIMATION_MS = 2_500

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class RunningSuperset:
    url: str
    home: Path
    password: str


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_script(script: str, *args: object, env: dict[str, str] | None = None) -> None:
    """superset/*.py run as scripts, in their own process: Superset reads its config at import,
    and the folder name would shadow the installed package."""
    command = [sys.executable, str(SUPERSET_DIR / script), *map(str, args)]
    completed = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert completed.returncode == 0, (
        f"{script} {' '.join(map(str, args))} failed:\n{completed.stdout[-3000:]}"
        f"\n{completed.stderr[-5000:]}"
    )


@pytest.fixture(scope="module")
def superset(
    serving_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningSuperset]:
    """Superset bootstrapped into a temporary home over the serving file, served on a free port."""
    home = tmp_path_factory.mktemp("superset_home")
    password = secrets.token_urlsafe(16)
    _run_script(
        "bootstrap.py",
        "--home",
        home,
        "--serving",
        serving_path,
        env={**os.environ, "SUPERSET_ADMIN_PASSWORD": password},
    )
    port = _free_port()
    _run_script("server.py", "start", "--home", home, "--port", port)
    try:
        yield RunningSuperset(f"http://127.0.0.1:{port}", home, password)
    finally:
        _run_script("server.py", "stop", "--home", home)


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


def _log_in(page: Page, superset: RunningSuperset) -> None:
    page.goto(f"{superset.url}/login/")
    # The login form is rendered, then hydrated by React, which can clear what was typed
    # before it: wait for the page to settle, and type again until the form holds it.
    page.wait_for_load_state("networkidle")
    credentials = {"[data-test=username-input]": "admin",
                   "[data-test=password-input]": superset.password}  # fmt: skip
    for _ in range(3):
        for selector, value in credentials.items():
            page.fill(selector, value)
        if all(page.input_value(s) == v for s, v in credentials.items()):
            break
        page.wait_for_timeout(1_000)
    page.click("[data-test=login-button]")
    # The first login after a cold start builds caches; on two busy cores it can take a minute.
    page.wait_for_url(lambda url: "/login" not in url, timeout=RENDER_TIMEOUT_MS)


def _wait_for_big_number(page: Page) -> str:
    page.wait_for_function(
        "selector => (document.querySelector(selector)?.innerText || '').trim() !== ''",
        arg=BIG_NUMBER,
        timeout=RENDER_TIMEOUT_MS,
    )
    return page.inner_text(BIG_NUMBER).strip()


def _rendered_big_number(page: Page, superset: RunningSuperset, slug: str) -> str:
    """Opens the dashboard and waits for the Big Number's text; one reload if it never comes
    (about one load in twelve leaves the dashboard body empty on these machines)."""
    page.goto(f"{superset.url}/superset/dashboard/{slug}/")
    try:
        return _wait_for_big_number(page)
    except PlaywrightTimeout:
        page.reload()
        return _wait_for_big_number(page)


def _wait_for_other_charts(page: Page) -> None:
    """The line chart and the table, so the screenshot shows the whole dashboard."""
    page.wait_for_selector(
        '[data-test-viz-type="echarts_timeseries_line"] canvas', timeout=RENDER_TIMEOUT_MS
    )
    page.wait_for_selector('[data-test-viz-type="table"] tbody tr', timeout=RENDER_TIMEOUT_MS)
    page.wait_for_timeout(ECHARTS_ANIMATION_MS)  # else the screenshot catches half-drawn lines


@contextmanager
def _logged_in_page(superset: RunningSuperset, screenshot: str) -> Iterator[Page]:
    """A page of headless Chromium logged in as admin, that may reach nothing but Superset
    (belt and braces with the CSP)."""
    with shut_in_page(re.compile(rf"^{re.escape(superset.url)}/"), screenshot) as page:
        _log_in(page, superset)
        yield page


def test_big_number_shows_service_level_of_serving_file(
    superset: RunningSuperset, serving_path: Path
) -> None:
    expected = expected_service_level(serving_path)
    with _logged_in_page(superset, "operations_dashboard.png") as page:
        shown = _rendered_big_number(page, superset, "operations")
        _wait_for_other_charts(page)
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
    with _logged_in_page(superset, "data_quality_dashboard.png") as page:
        shown = _rendered_big_number(page, superset, "data-quality")
        # The ledger and freshness tables name every source once they have rendered.
        page.wait_for_function(
            "names => names.every(name => document.body.innerText.includes(name))",
            arg=sorted(sources),
            timeout=RENDER_TIMEOUT_MS,
        )
        page.wait_for_timeout(ECHARTS_ANIMATION_MS)
    assert run > 100 and shown == _d3_percent(run - failed, run)


def _api_get(superset: RunningSuperset, path: str, token: str) -> dict:
    request = urllib.request.Request(
        f"{superset.url}{path}", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def test_config_custom_fields_reach_superset_datasets(
    superset: RunningSuperset, example_config: CenterConfig
) -> None:
    """The CRM custom fields of the center config are columns of the segment dataset, with
    no code change: bootstrap syncs the dataset's columns from the warehouse."""
    login = urllib.request.Request(
        f"{superset.url}/api/v1/security/login",
        data=json.dumps(
            {"username": "admin", "password": superset.password, "provider": "db"}
        ).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(login, timeout=60) as response:
        token = json.loads(response.read())["access_token"]
    query = "(filters:!((col:table_name,opr:eq,value:mart_cx_customers_daily)))"
    found = _api_get(superset, f"/api/v1/dataset/?q={urllib.parse.quote(query)}", token)
    (dataset,) = found["result"]
    columns = {c["column_name"] for c in _api_get(superset, f"/api/v1/dataset/{dataset['id']}",
                                                   token)["result"]["columns"]}  # fmt: skip
    custom = example_config.crm.custom_fields
    expected = {f"account_{f.lower().removesuffix('__c')}" for f in custom["Account"]} | {
        f"contact_{f.lower().removesuffix('__c')}" for f in custom["Contact"]
    }
    assert expected == {"account_tier", "account_risk_level", "contact_member_level"}
    assert expected <= columns and "csat_top2_count" in columns
