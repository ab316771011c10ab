"""The landing sensor runs the warehouse job when source files arrive or grow, never else."""

from __future__ import annotations

import json
import os
from pathlib import Path

from dagster import build_sensor_context

from orchestration.defs.ingest.landing_sensor import landing_sensor
from orchestration.lib.run_lock import warehouse_lock
from orchestration.resources import CenterWarehouse
from tests.support import make_warehouse

QUEUE_LOG_LINE = "1762088400|1762088400.1|sales|NONE|ENTERQUEUE||5551234567|1\n"


def _tick(warehouse: CenterWarehouse, cursor: str | None) -> tuple[list[dict[str, str]], str]:
    """One evaluation: the run requests' tags and the new cursor."""
    with build_sensor_context(cursor=cursor, resources={"warehouse": warehouse}) as context:
        data = landing_sensor.evaluate_tick(context)
    return [request.tags for request in data.run_requests or []], data.cursor or cursor


def test_runs_when_files_arrive_or_grow(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path)
    landing = Path(warehouse.landing_dir)
    landing.mkdir()

    runs, cursor = _tick(warehouse, None)
    assert runs == []
    assert cursor == "{}"

    queue_log = landing / "queue_log"
    queue_log.write_text(QUEUE_LOG_LINE)
    (landing / "notes.txt").write_text("not a source file")
    runs, cursor = _tick(warehouse, cursor)
    assert [tags["landing/changed_files"] for tags in runs] == ["queue_log"]
    assert json.loads(cursor) == {"queue_log": [len(QUEUE_LOG_LINE), queue_log.stat().st_mtime_ns]}

    runs, same_cursor = _tick(warehouse, cursor)
    assert runs == []
    assert same_cursor == cursor

    with queue_log.open("a") as log:
        log.write(QUEUE_LOG_LINE.replace("1762088400", "1762088460"))
    (landing / "crm").mkdir()
    (landing / "crm" / "User.csv").write_text("Id,Name\n005A,Ann\n")
    runs, cursor = _tick(warehouse, cursor)
    assert [tags["landing/changed_files"] for tags in runs] == ["crm/User.csv, queue_log"]

    queue_log.unlink()
    runs, cursor = _tick(warehouse, cursor)
    assert runs == []
    assert "queue_log" not in cursor


def test_a_missing_landing_folder_is_no_change(tmp_path: Path) -> None:
    runs, _ = _tick(make_warehouse(tmp_path), None)
    assert runs == []


def test_a_link_outside_runs_the_job_even_when_its_target_is_gone(tmp_path: Path) -> None:
    # The ingest refuses it and names it in the log; the sensor must not fail on its target.
    warehouse = make_warehouse(tmp_path)
    landing = Path(warehouse.landing_dir)
    landing.mkdir()
    (landing / "queue_log").symlink_to(tmp_path / "gone")
    runs, cursor = _tick(warehouse, None)
    assert [tags["landing/changed_files"] for tags in runs] == ["queue_log"]
    link = (landing / "queue_log").lstat()
    assert json.loads(cursor) == {"queue_log": [link.st_size, link.st_mtime_ns]}


def test_waits_while_a_run_holds_the_warehouse(tmp_path: Path) -> None:
    # Issue 18: a second run on a busy warehouse failed deep in DuckDB's lock error.
    warehouse = make_warehouse(tmp_path)
    landing = Path(warehouse.landing_dir)
    landing.mkdir()
    (landing / "queue_log").write_text(QUEUE_LOG_LINE)
    lock = warehouse_lock(Path(warehouse.warehouse_dir), "python -m orchestration.pipeline")
    with lock, build_sensor_context(cursor=None, resources={"warehouse": warehouse}) as context:
        data = landing_sensor.evaluate_tick(context)
    assert not data.run_requests and data.cursor is None
    (reason,) = [skip for skip in [data.skip_message] if skip]
    assert reason.startswith(f"warehouse in use by pid {os.getpid()} (python -m orchestration")
    runs, _ = _tick(warehouse, None)  # the run ended: the file is seen now
    assert [tags["landing/changed_files"] for tags in runs] == ["queue_log"]
