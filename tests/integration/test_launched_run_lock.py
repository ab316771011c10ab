"""Runs Dagster launches (the UI, the landing sensor, the schedule) go through the job's own
executor, not execute_in_process: they take the warehouse's run lock too (issue 18), take
over a killed run's stale lock saying so, and leave the lock free when they end."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from dagster import AssetKey, DagsterInstance, JobDefinition, execute_job, reconstructable

from orchestration.defs import build_defs
from orchestration.defs.warehouse_job import WAREHOUSE_JOB
from orchestration.lib.run_lock import LOCK_FILE, warehouse_lock
from orchestration.resources import center_warehouse_from_env
from tests.support import EXAMPLE_CONFIG

pytestmark = pytest.mark.slow

QUEUE_LOG = AssetKey(["raw", "queue_log"])


def _warehouse_job() -> JobDefinition:
    """The job as the code location builds it (from the environment)."""
    return build_defs(center_warehouse_from_env()).resolve_job_def(WAREHOUSE_JOB)


def test_a_launched_run_takes_the_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    warehouse_dir = tmp_path / "warehouse"
    (tmp_path / "landing").mkdir()
    monkeypatch.setenv("LANDING_DIR", str(tmp_path / "landing"))
    monkeypatch.setenv("WAREHOUSE_DIR", str(warehouse_dir))
    monkeypatch.setenv("CENTER_CONFIG", str(EXAMPLE_CONFIG))
    warehouse_dir.mkdir()

    with DagsterInstance.ephemeral() as instance:
        with warehouse_lock(warehouse_dir, "python -m orchestration.pipeline"):
            refused = execute_job(
                reconstructable(_warehouse_job), instance, asset_selection=[QUEUE_LOG]
            )
        # A run killed with kill -9 left its name in the (free) lock file.
        (warehouse_dir / LOCK_FILE).write_text(
            json.dumps({"pid": 999999999, "command": "dagster run x", "started_at": "earlier"})
        )
        taken = execute_job(reconstructable(_warehouse_job), instance, asset_selection=[QUEUE_LOG])

        assert not refused.success
        refusal = " ".join(
            str(entry.dagster_event.event_specific_data)
            for entry in instance.all_logs(refused.run_id)
            if entry.dagster_event and entry.dagster_event.is_run_failure
        )
        assert (
            f"warehouse {warehouse_dir} is in use by another run: pid {os.getpid()}"
            " (python -m orchestration.pipeline)"
        ) in refusal, refusal
        assert taken.success
        messages = [entry.user_message for entry in instance.all_logs(taken.run_id)]
        assert "stale lock of pid 999999999 (dagster run x), started earlier taken over: that" \
            f" run ended without releasing {warehouse_dir / LOCK_FILE}" in messages  # fmt: skip
    assert (warehouse_dir / LOCK_FILE).read_text() == ""  # released
