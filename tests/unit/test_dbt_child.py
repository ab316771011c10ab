"""dbt dies with the process that started it (issue 18: after a kill -9 of the pipeline alone,
its dbt child went on building build.duckdb unwatched)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from orchestration.resources import DBT_CHILD, REAL_DBT_VARIABLE, dbt_cli
from tests.support import process_state

# A parent starting the wrapper around `sleep` (standing in for dbt), printing its pid.
PARENT = """
import os, subprocess, sys, time
child = subprocess.Popen([sys.argv[1], "60"], env={**os.environ, sys.argv[2]: "/bin/sleep"})
print(child.pid, flush=True)
time.sleep(60)
"""


def test_the_dbt_child_is_killed_with_its_parent() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(DBT_CHILD), REAL_DBT_VARIABLE],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    deadline = time.monotonic() + 5
    while "sleep" not in Path(f"/proc/{child}/cmdline").read_text() and time.monotonic() < deadline:
        time.sleep(0.02)  # until the wrapper has set its death signal and become `sleep`
    assert process_state(child) == "S"

    os.kill(parent.pid, signal.SIGKILL)  # the parent only, as the OOM killer does
    parent.wait()
    deadline = time.monotonic() + 3
    while process_state(child) not in (None, "Z") and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process_state(child) in (None, "Z")  # dead (a zombie until something reaps it)


def test_dagster_runs_dbt_through_the_wrapper() -> None:
    resource = dbt_cli()
    assert resource.dbt_executable == str(DBT_CHILD) and os.access(DBT_CHILD, os.X_OK)
    assert os.environ[REAL_DBT_VARIABLE] == str(Path(sys.executable).parent / "dbt")
