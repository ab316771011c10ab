"""The console of a command: a line per stage and the summary on the terminal, whatever else
the run prints (its own stdout, subprocesses, warnings) in the log file it names; a failing
stage names itself and the log, and exits 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from orchestration.resources import REPO_ROOT

RUN = """
import subprocess, sys, warnings
from pathlib import Path
from orchestration.console import RunConsole
with RunConsole(Path(sys.argv[1])) as console:
    with console.stage("simulate"):
        print("printed by a library")
        subprocess.run(["echo", "printed by a subprocess"])
        warnings.warn("a library's warning")
        if sys.argv[2] == "fail":
            raise ValueError("no such queue: sales")
    console.print("summary: 3 files")
"""


def _run(log_dir: Path, outcome: str) -> tuple[subprocess.CompletedProcess[str], str]:
    completed = subprocess.run(
        [sys.executable, "-c", RUN, str(log_dir), outcome],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    (log,) = log_dir.glob("*.log")
    return completed, log.read_text()


def test_the_terminal_shows_stages_and_summary_the_log_the_rest(tmp_path: Path) -> None:
    completed, log = _run(tmp_path, "pass")

    assert completed.returncode == 0 and completed.stderr == ""
    stage, summary, log_line = completed.stdout.splitlines()
    assert stage.startswith("✓ simulate ") and " 1/1 " in stage
    assert summary == "summary: 3 files"
    assert log_line == f"log: {next(tmp_path.glob('*.log'))}"
    for printed in ("printed by a library", "printed by a subprocess", "a library's warning"):
        assert printed in log and printed not in completed.stdout


def test_a_failing_stage_names_itself_and_the_log(tmp_path: Path) -> None:
    completed, log = _run(tmp_path, "fail")

    assert completed.returncode == 1 and completed.stderr == ""
    stage, failure, details = completed.stdout.splitlines()
    assert stage.startswith("✗ simulate ")
    assert failure == "simulate failed: ValueError: no such queue: sales"
    assert details == f"details: {next(tmp_path.glob('*.log'))}"
    assert "Traceback (most recent call last)" in log and "no such queue: sales" in log
