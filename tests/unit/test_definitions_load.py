"""Loading the code location stays light: no DuckDB, pandas, GX or openpyxl at import."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from orchestration.resources import REPO_ROOT

HEAVY_MODULES = ("duckdb", "pandas", "great_expectations", "openpyxl")
_PROBE = f"""
import json, sys, time
start = time.perf_counter()
import orchestration.definitions
print(json.dumps({{"seconds": time.perf_counter() - start,
                  "heavy": [m for m in {HEAVY_MODULES!r} if m in sys.modules]}}))
"""


# A fresh interpreter importing Dagster and dagster-dbt takes 5-10 s here: not the fast layer.
@pytest.mark.slow
def test_definitions_load_without_heavy_imports() -> None:
    # A fresh interpreter: this test process may have imported any of them already.
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    probe = json.loads(completed.stdout.splitlines()[-1])
    print(f"orchestration.definitions loaded in {probe['seconds']:.1f} s")
    assert probe["heavy"] == []
