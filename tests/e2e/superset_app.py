"""A Superset bootstrapped (with the demo's users) over a serving file and served on a free
port, and a shut-in Chromium page logged in to it as any user."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from orchestration.resources import REPO_ROOT
from tests.e2e.browser import shut_in_page

SUPERSET_DIR = REPO_ROOT / "superset"
# Charts take 10-20 s to render on two cores; the first dashboard load also warms the worker.
RENDER_TIMEOUT_MS = 90_000
ECHARTS_ANIMATION_MS = 2_500


@dataclass(frozen=True)
class RunningSuperset:
    url: str
    home: Path
    admin_password: str
    demo_password: str  # every demo user's (manager, qa, analyst, team leads, agents)

    def password(self, username: str) -> str:
        return self.admin_password if username == "admin" else self.demo_password

    def api(self, username: str) -> SupersetApi:
        return SupersetApi(self, username)


def _request(url: str, method: str, body: dict | None = None, token: str | None = None) -> Any:
    """One REST call: the parsed JSON, or the raw bytes of anything else (an export zip)."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, method=method, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=120) as response:
        raw = response.read()
        return json.loads(raw) if "json" in response.headers.get("Content-Type", "") else raw


class SupersetApi:
    """The REST API as one user (a bearer token from /api/v1/security/login)."""

    def __init__(self, superset: RunningSuperset, username: str) -> None:
        self.url = superset.url
        body = {"username": username, "password": superset.password(username), "provider": "db"}
        self.token = _request(f"{self.url}/api/v1/security/login", "POST", body)["access_token"]

    def _call(self, method: str, path: str, body: dict | None = None) -> Any:
        return _request(f"{self.url}{path}", method, body, token=self.token)

    def get(self, path: str) -> Any:
        return self._call("GET", path)

    def post(self, path: str, body: dict) -> Any:
        return self._call("POST", path, body)

    def status(self, path: str) -> int:
        """The HTTP status of a GET (an error status is an answer here, not an exception)."""
        try:
            self._call("GET", path)
            return 200
        except urllib.error.HTTPError as error:
            return error.code

    def dataset_id(self, table: str) -> int:
        query = f"(filters:!((col:table_name,opr:eq,value:{table})))"
        (dataset,) = self.get(f"/api/v1/dataset/?q={urllib.parse.quote(query)}")["result"]
        return int(dataset["id"])


def run_script(script: str, *args: object, env: dict[str, str] | None = None) -> None:
    """superset/*.py run as scripts, in their own process: Superset reads its config at import,
    and the folder name would shadow the installed package."""
    command = [sys.executable, str(SUPERSET_DIR / script), *map(str, args)]
    completed = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
    assert completed.returncode == 0, (
        f"{script} {' '.join(map(str, args))} failed:\n{completed.stdout[-3000:]}"
        f"\n{completed.stderr[-5000:]}"
    )


def _log_in(page: Page, superset: RunningSuperset, username: str) -> None:
    """Logs in through the form. React hydrates the form after it is drawn and can clear what
    was typed before: type until the form holds it, and start over if the login does not
    leave the page (on two busy cores the first login can also take a minute)."""
    credentials = {"[data-test=username-input]": username,
                   "[data-test=password-input]": superset.password(username)}  # fmt: skip
    for attempt in range(3):
        page.goto(f"{superset.url}/login/")
        page.wait_for_selector("[data-test=login-button]", timeout=RENDER_TIMEOUT_MS)
        for _ in range(3):
            page.wait_for_timeout(1_000)
            for selector, value in credentials.items():
                page.fill(selector, value)
            if all(page.input_value(s) == v for s, v in credentials.items()):
                break
        page.click("[data-test=login-button]")
        try:
            page.wait_for_url(lambda url: "/login" not in url, timeout=RENDER_TIMEOUT_MS)
            return
        except PlaywrightTimeout:
            if attempt == 2:
                raise


@contextmanager
def logged_in_page(superset: RunningSuperset, username: str, screenshot: str) -> Iterator[Page]:
    """A page of headless Chromium logged in as `username`, that may reach nothing but
    Superset (belt and braces with the CSP)."""
    with shut_in_page(re.compile(rf"^{re.escape(superset.url)}/"), screenshot) as page:
        _log_in(page, superset, username)
        yield page


def chart(page: Page, title: str) -> Locator:
    """A dashboard chart by its title."""
    return page.locator(f'[data-test-chart-name="{title}"]')


def open_dashboard(page: Page, superset: RunningSuperset, slug: str, first_chart: str) -> None:
    """Opens a dashboard and waits for `first_chart` to draw; one reload if it never does
    (about one load in twelve leaves the dashboard body empty on these machines)."""
    for attempt in range(2):
        page.goto(f"{superset.url}/superset/dashboard/{slug}/")
        try:
            wait_for_chart(page, first_chart)
            return
        except PlaywrightTimeout:
            if attempt:
                raise


def wait_for_chart(page: Page, title: str) -> Locator:
    """The chart once drawn: a big number's text, a table's rows, an ECharts canvas, or the
    alert of a failed query or the empty state of a query with no rows (for the caller to
    report)."""
    holder = chart(page, title)
    drawn = holder.locator('.header-line, tbody tr, canvas, [role="alert"], .ant-empty').first
    drawn.wait_for(timeout=RENDER_TIMEOUT_MS)
    return holder


def big_number(page: Page, title: str) -> str:
    return wait_for_chart(page, title).locator(".header-line").inner_text().strip()


def table_column(page: Page, title: str, header: str) -> list[str]:
    """The texts of one column of a table chart (the rows of its current page). Superset draws
    a table's header and body as two tables (the header stays put on scrolling)."""
    holder = wait_for_chart(page, title)
    headers = [h.strip() for h in holder.locator("thead").first.locator("th").all_inner_texts()]
    index = headers.index(header) + 1
    return [t.strip() for t in holder.locator(f"tbody tr td:nth-child({index})").all_inner_texts()]
