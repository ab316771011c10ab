"""Headless Debian Chromium for the browser tests, shut in: a page reaches only what the
test allows, and it is screenshotted when done (also on failure: it shows what was drawn)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from orchestration.resources import REPO_ROOT

ARTIFACTS = REPO_ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium, never a downloaded one; no background calls to Google services.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def shut_in_page(allowed: re.Pattern[str], screenshot: str) -> Iterator[Page]:
    """A page that may load only URLs matching `allowed`; saved as test-artifacts/<screenshot>."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} missing: run `make browser` (apt-get install chromium)")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.route(lambda url: not allowed.match(url), lambda route: route.abort())
            page = context.new_page()
            try:
                yield page
            finally:
                page.screenshot(path=str(ARTIFACTS / screenshot), full_page=True)
        finally:
            browser.close()
