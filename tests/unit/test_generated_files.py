"""Generated files are committed fresh: regenerate, never hand-edit."""

from __future__ import annotations

import subprocess
import sys

from orchestration.resources import REPO_ROOT


def test_expectation_suites_are_fresh() -> None:
    completed = subprocess.run(
        [sys.executable, str(REPO_ROOT / "expectations" / "build_suites.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr
