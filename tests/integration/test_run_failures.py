"""How a run of `python -m orchestration.pipeline` ends when something else goes wrong
(issue 18): an export failing after the publish says what was published; a pipeline killed
with kill -9 takes its dbt child with it, and the next run takes over its stale lock."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestration.lib.payroll_export import EXPORT_DIR
from tests.support import EXAMPLE_CONFIG, FIXTURES

pytestmark = pytest.mark.slow

FIXTURE = FIXTURES / "queue_log" / "every_event_kind.queue_log"
# The fixture's agents as CRM Users in an inbound team, so that they have a scorecard to export.
CRM_USERS = (
    "Id,Name,Username,Extension,Department,Division,IsActive,CreatedDate,SystemModstamp\n"
    + "".join(
        f"005U{agent},Agent {agent},agent{agent}@example.com,{agent},Sales East,Boston,true,"
        "2025-01-05T14:00:00Z,2026-11-02T14:00:00Z\n"
        for agent in ("7001", "7002", "7003")
    )
)


def _pipeline(root: Path, **popen: object) -> subprocess.Popen[str]:
    """`python -m orchestration.pipeline` started on a landing folder holding the fixture."""
    landing = root / "landing"
    if not (landing / "queue_log").exists():
        landing.mkdir(exist_ok=True)
        shutil.copy(FIXTURE, landing / "queue_log")
        (root / "center.yml").write_text(EXAMPLE_CONFIG.read_text())
    env = {
        **os.environ,
        "LANDING_DIR": str(landing),
        "WAREHOUSE_DIR": str(root / "warehouse"),
        "CENTER_CONFIG": str(root / "center.yml"),
        "LOG_DIR": str(root / "logs"),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "orchestration.pipeline"], env=env, text=True, **popen
    )


def _run(root: Path) -> subprocess.CompletedProcess[str]:
    process = _pipeline(root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = process.communicate(timeout=600)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def test_an_export_failing_after_the_publish_says_what_was_published(tmp_path: Path) -> None:
    # The payroll folder cannot be created: a file has its name (a read-only folder would
    # not stop root).
    (tmp_path / "warehouse").mkdir()
    (tmp_path / "warehouse" / EXPORT_DIR).write_text("not a folder")
    (tmp_path / "landing" / "crm").mkdir(parents=True)
    (tmp_path / "landing" / "crm" / "User.csv").write_text(CRM_USERS)

    completed = _run(tmp_path)

    assert completed.returncode == 1, completed.stdout + completed.stderr[-3000:]
    lines = completed.stdout.splitlines()
    (headline,) = [line for line in lines if "serving warehouse" in line]
    assert headline.startswith("serving warehouse published (run ")
    assert headline.endswith("); then failed:"), lines
    assert any(
        line.startswith("  failed step exports__agent_scorecard: FileExistsError") for line in lines
    ), lines
    assert (tmp_path / "warehouse" / "serving.duckdb").exists()


def _children(pid: int) -> dict[int, str]:
    """The live child processes of `pid`: their command lines."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(fields[1]) == pid and fields[0] != "Z":
            children[int(stat.parent.name)] = cmdline
    return children


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie is dead, waiting for a parent to reap it


def test_a_killed_pipeline_takes_its_dbt_child_along(tmp_path: Path) -> None:
    log = (tmp_path / "first.out").open("w")
    pipeline = _pipeline(tmp_path, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 300
    dbt: list[int] = []
    while not dbt and time.monotonic() < deadline and pipeline.poll() is None:
        # dbt itself, once dbt_child.py has exec'd it (the same pid, the real dbt's command).
        dbt = [
            pid
            for pid, cmd in _children(pipeline.pid).items()
            if " build " in cmd and "dbt_child.py" not in cmd
        ]
        time.sleep(0.2)
    assert dbt, (tmp_path / "first.out").read_text()[-3000:]

    os.kill(pipeline.pid, signal.SIGKILL)  # the parent only, as the OOM killer does
    pipeline.wait()
    log.close()
    gone_by = time.monotonic() + 5
    while _alive(dbt[0]) and time.monotonic() < gone_by:
        time.sleep(0.1)
    assert not _alive(dbt[0]), "dbt went on building after its pipeline was killed"

    rerun = _run(tmp_path)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr[-3000:]
    assert (
        f"stale lock of pid {pipeline.pid} (python -m orchestration.pipeline), started "
    ) in rerun.stdout
    assert "taken over: that run ended without releasing" in rerun.stdout
    # Said below the stages, whose bars ran to the end.
    lines = rerun.stdout.splitlines()
    assert any(line.startswith("✓ publish ") for line in lines), lines
