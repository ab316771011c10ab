"""One run at a time per warehouse (issue 18: two runs colliding, or a re-run while a killed
run's dbt still held build.duckdb, failed with DuckDB's lock error deep in a traceback)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from orchestration.defs import build_defs
from orchestration.defs.warehouse_job import WAREHOUSE_JOB, _LockedInProcessExecutor
from orchestration.lib.run_lock import (
    LOCK_FILE,
    WarehouseLocked,
    current_holder,
    duckdb_lock_line,
    warehouse_lock,
)
from tests.support import make_warehouse

HOLD = """
import sys, time
from pathlib import Path
from orchestration.lib.run_lock import warehouse_lock
with warehouse_lock(Path(sys.argv[1]), "python -m orchestration.pipeline"):
    print("locked", flush=True)
    time.sleep(60)
"""


def _holding_process(warehouse_dir: Path) -> subprocess.Popen[str]:
    """Another process holding the warehouse's lock (a run under way)."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(warehouse_dir)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline() == "locked\n"
    return process


def test_a_second_run_is_refused_in_one_line_naming_the_holder(tmp_path: Path) -> None:
    holder = _holding_process(tmp_path)
    try:
        with pytest.raises(WarehouseLocked) as refused, warehouse_lock(tmp_path):
            pytest.fail("ran beside another run")
        message = str(refused.value)
        assert "\n" not in message
        assert message.startswith(
            f"warehouse {tmp_path} is in use by another run: pid {holder.pid}"
            " (python -m orchestration.pipeline), started 20"
        )
        assert message.endswith(f" UTC; not started (lock {tmp_path / LOCK_FILE})")
        assert current_holder(tmp_path).pid == holder.pid  # type: ignore[union-attr]
    finally:
        holder.kill()
        holder.wait()


def test_the_stale_lock_of_a_killed_run_is_taken_over(tmp_path: Path) -> None:
    holder = _holding_process(tmp_path)
    holder.send_signal(signal.SIGKILL)  # as the OOM killer does: no clean-up
    holder.wait()
    assert json.loads((tmp_path / LOCK_FILE).read_text())["pid"] == holder.pid
    assert current_holder(tmp_path) is None

    with warehouse_lock(tmp_path, "the next run") as lock:
        message = lock.takeover_message()
        assert json.loads((tmp_path / LOCK_FILE).read_text())["pid"] == os.getpid()
    assert message is not None and message.startswith(
        f"stale lock of pid {holder.pid} (python -m orchestration.pipeline), started 20"
    )
    assert message.endswith(f" taken over: that run ended without releasing {tmp_path}/run.lock")
    # A clean end names no holder: the run after takes over nothing.
    assert (tmp_path / LOCK_FILE).read_text() == ""
    with warehouse_lock(tmp_path) as lock:
        assert lock.takeover_message() is None


def test_a_duckdb_lock_error_names_the_file_and_the_live_holder() -> None:
    started = time.time()
    message = (
        'IO Error: Could not set lock on file "/w/build.duckdb": Conflicting lock is held in'
        f" /usr/bin/python3.11 (PID {os.getpid()}) by user root. See also"
        " https://duckdb.org/docs/stable/connect/concurrency"
    )
    line = duckdb_lock_line(message)
    assert line is not None and line.startswith(f"/w/build.duckdb is locked by pid {os.getpid()} (")
    assert " started 20" in line and line.endswith(" UTC") and "\n" not in line
    assert time.time() - started < 1
    gone = message.replace(f"PID {os.getpid()}", "PID 999999999")
    assert duckdb_lock_line(gone) == (
        "/w/build.duckdb is locked by pid 999999999 (/usr/bin/python3.11, no longer running)"
    )
    assert duckdb_lock_line("Catalog Error: Table x does not exist") is None


def test_runs_dagster_launches_take_the_lock_too(tmp_path: Path) -> None:
    # The UI's, the sensor's and the schedule's runs use the job's executor (execute_in_process
    # brings its own, so orchestration.pipeline takes the lock itself).
    warehouse = make_warehouse(tmp_path)
    job = build_defs(warehouse).resolve_job_def(WAREHOUSE_JOB)
    executor = job.executor_def.executor_creation_fn(  # type: ignore[misc]
        SimpleNamespace(executor_config={"retries": {"enabled": {}}})
    )
    assert isinstance(executor, _LockedInProcessExecutor)
    held = warehouse_lock(Path(warehouse.warehouse_dir), "python -m orchestration.pipeline")
    with held, pytest.raises(WarehouseLocked, match="in use by another run: pid "):
        next(iter(executor.execute(SimpleNamespace(run_id="r1"), None)))
