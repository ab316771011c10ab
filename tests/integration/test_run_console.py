"""The README's real-data command as its user sees it: a line per stage and a summary whose
figures are the warehouse's, every detail in the log file it names; a run a blocking check
stops says which check and where to read more, and exits non-zero."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from orchestration.defs.transform.dbt_models import dbt_models
from tests.support import EXAMPLE_CONFIG

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parents[1] / "fixtures" / "queue_log" / "every_event_kind.queue_log"
MAX_LINES = 40  # a console a manager reads, not a log


def _run_pipeline(root: Path, config: dict) -> subprocess.CompletedProcess[str]:
    """`python -m orchestration.pipeline` on a landing folder holding the fixture queue_log."""
    landing = root / "landing"
    landing.mkdir()
    shutil.copy(FIXTURE, landing / "queue_log")
    (root / "center.yml").write_text(yaml.safe_dump(config))
    env = {
        **os.environ,
        "LANDING_DIR": str(landing),
        "WAREHOUSE_DIR": str(root / "warehouse"),
        "CENTER_CONFIG": str(root / "center.yml"),
        "LOG_DIR": str(root / "logs"),
    }
    return subprocess.run(
        [sys.executable, "-m", "orchestration.pipeline"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _named_log(stdout: str, prefix: str) -> Path:
    (line,) = [line for line in stdout.splitlines() if line.startswith(prefix)]
    return Path(line.removeprefix(prefix))


def test_a_published_run_prints_its_stages_and_the_warehouse_figures(tmp_path: Path) -> None:
    completed = _run_pipeline(tmp_path, yaml.safe_load(EXAMPLE_CONFIG.read_text()))

    assert completed.returncode == 0, completed.stdout + completed.stderr[-3000:]
    lines = completed.stdout.splitlines()
    assert len(lines) < MAX_LINES and completed.stderr == "", completed.stdout
    dbt_nodes = len(dbt_models.keys) + len(dbt_models.check_keys)  # its models and dbt tests
    for stage, total in [("ingest", 4), ("dbt build", dbt_nodes), ("checks", 35), ("publish", 2)]:
        assert any(line.startswith(f"✓ {stage} ") and f" {total}/{total} " in line
                   for line in lines), (stage, lines)  # fmt: skip
    serving = tmp_path / "warehouse" / "serving.duckdb"
    with duckdb.connect(str(serving), read_only=True) as con:
        ledger = con.execute(
            "select count(*), sum(lines_read), sum(loaded_count) from raw.ingest_files"
        ).fetchone()
        (checks,) = con.execute("select count(*) from dq.dq_results").fetchone()
    assert ledger == (1, 66, 66)
    assert (
        "  ingested queue_log: 1 file, 66 lines read, 66 loaded, 0 quarantined, 0 duplicates"
        in lines
    )
    assert f"  checks: {checks} passed, 0 failed, 0 warned" in lines and checks > 100
    # The fixture's one day: 19 calls offered to the queues (16, plus an orphan COMPLETEAGENT,
    # an orphan BLINDTRANSFER and a call its agent hands on by an attended transfer, answered
    # within 12, 7 and 9 s), 10 within the SL, 1 abandoned, 9 handled, no survey.
    assert (
        "  KPIs on 2026-11-02: Service level 52.6%, Abandonment rate 5.3%, ASA (s) 7.8,"
        " Handled calls 9, CSAT (top-2-box) n/a"
    ) in lines
    assert f"built, checked and published {serving}" in lines
    log = _named_log(completed.stdout, "log: ")
    assert log.parent == tmp_path / "logs"
    text = log.read_text()
    # Dagster's events, dbt's own output, the checks' steps: all in the log, none on screen.
    assert 'RUN_SUCCESS - Finished execution of run for "warehouse_job"' in text
    assert "Finished running" in text and "Finished running" not in completed.stdout
    assert "STEP_SUCCESS" in text and "marts__mart_queue_kpis_daily_meets_metric_contract" in text


def test_a_run_a_blocking_check_stops_names_the_check_and_the_log(tmp_path: Path) -> None:
    # A live center's check (freshness against the clock): the fixture's log is weeks old.
    config = yaml.safe_load(EXAMPLE_CONFIG.read_text())
    config["quality"]["freshness"]["reference"] = "clock"

    completed = _run_pipeline(tmp_path, config)

    assert completed.returncode == 1
    lines = completed.stdout.splitlines()
    assert len(lines) < MAX_LINES and completed.stderr == "", completed.stdout
    assert "pipeline failed, serving warehouse left as it was:" in lines
    # The check, then the stale source and why (its failing row's stale_reason).
    failed = (
        "  failed check marts/mart_dq_source_freshness:"
        " expression_is_true_mart_dq_source_freshness_is_fresh"
        " (queue_log: stale, newest event 2026-11-02 14:38:20 UTC lags the clock reference by "
    )
    assert any(line.startswith(failed) and line.endswith(" h, over its 1.0 h)") for line in lines)
    assert any(line.startswith("✗ dbt build ") for line in lines), lines
    assert any(line.startswith("- publish ") for line in lines), lines
    assert not (tmp_path / "warehouse" / "serving.duckdb").exists()
    log = _named_log(completed.stdout, "details: ")
    assert "expression_is_true_mart_dq_source_freshness_is_fresh" in log.read_text()
    assert "STEP_FAILURE" in log.read_text()
