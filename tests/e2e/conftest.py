"""The Superset of the browser tests: bootstrapped once per session over the simulated
center's serving file, with the demo's users (a user per role)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.superset_app import RunningSuperset, run_script
from tests.support import free_port


@pytest.fixture(scope="session")
def superset(
    serving_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningSuperset]:
    home = tmp_path_factory.mktemp("superset_home")
    admin, demo = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    env = {**os.environ, "SUPERSET_ADMIN_PASSWORD": admin, "SUPERSET_DEMO_PASSWORD": demo}
    run_script("bootstrap.py", "--home", home, "--serving", serving_path, "--demo-users", env=env)
    port = free_port()
    run_script("server.py", "start", "--home", home, "--port", port)
    try:
        yield RunningSuperset(f"http://127.0.0.1:{port}", home, admin, demo)
    finally:
        run_script("server.py", "stop", "--home", home)
