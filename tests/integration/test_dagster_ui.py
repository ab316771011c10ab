"""`make dagster` serves the code location: its GraphQL API lists the whole asset graph."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from orchestration.definitions import defs
from orchestration.resources import REPO_ROOT
from tests.support import free_port

pytestmark = pytest.mark.slow

STARTUP_TIMEOUT_S = 600  # ~65 s alone on two cores; much longer beside other builds
_QUERY = """{
  workspaceOrError { ... on Workspace { locationEntries {
    name loadStatus
    locationOrLoadError { __typename ... on PythonError { message } }
  } } }
  assetNodes { assetKey { path } }
  repositoriesOrError { ... on RepositoryConnection { nodes {
    jobs { name } schedules { name scheduleState { status } } sensors { name }
  } } }
}"""


def _graphql(port: int) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": _QUERY}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["data"]


def _loaded_location(port: int, server: subprocess.Popen, log: Path) -> dict:
    """Polls until the code location has loaded (or failed to); returns the answer."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        assert server.poll() is None, f"make dagster exited:\n{log.read_text()[-3000:]}"
        try:
            data = _graphql(port)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            data = None
        entries = data and data["workspaceOrError"].get("locationEntries")
        if entries and all(e["loadStatus"] == "LOADED" for e in entries):
            return data
        time.sleep(3)
    raise AssertionError(f"no loaded code location in {STARTUP_TIMEOUT_S} s:\n{log.read_text()}")


def test_make_dagster_loads_the_code_location(tmp_path: Path) -> None:
    port = free_port()
    venv_bin = str(REPO_ROOT / ".venv" / "bin")
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "DAGSTER_HOME")},
        # As from a plain shell: the venv is not on PATH (the Makefile must put it there).
        "PATH": os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if p != venv_bin),
        "LANDING_DIR": str(tmp_path / "landing"),
        "WAREHOUSE_DIR": str(tmp_path / "warehouse"),
    }
    log = tmp_path / "dagster.log"
    with log.open("w") as out:
        # Its own session, so the whole tree (make, dagster dev, webserver, daemon, code server)
        # is stopped through this one process group; default signals: a background `dagster
        # dev` would otherwise ignore INT and TERM (notes/stack.md).
        server = subprocess.Popen(
            ["env", "--default-signal=INT,TERM", "make", "--no-print-directory", "dagster",
             f"DAGSTER_PORT={port}", f"DAGSTER_HOME={tmp_path / 'dagster_home'}"],
            cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        data = _loaded_location(port, server, log)
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()

    (entry,) = data["workspaceOrError"]["locationEntries"]
    assert entry["locationOrLoadError"]["__typename"] == "RepositoryLocation", entry
    keys = {"/".join(node["assetKey"]["path"]) for node in data["assetNodes"]}
    assert {
        "raw/queue_log",
        "raw/cdr",
        "raw/crm_records",
        "raw/survey_responses",
        "staging/stg_pbx__queue_log",
        "marts/fct_calls",
        "marts/mart_queue_kpis_15m",
        "serving/warehouse",
        "exports/agent_scorecard",
    } <= keys
    # every key of the code location as this process loads it (the unit test's snapshot)
    assert keys == {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    (repository,) = data["repositoriesOrError"]["nodes"]
    assert "warehouse_job" in {job["name"] for job in repository["jobs"]}
    assert [(s["name"], s["scheduleState"]["status"]) for s in repository["schedules"]] == [
        ("daily_build_schedule", "STOPPED")
    ]
    assert [sensor["name"] for sensor in repository["sensors"]] == ["landing_sensor"]
