"""Generated files are committed fresh: regenerate, never hand-edit."""

from __future__ import annotations

import json
import subprocess
import sys

from orchestration.resources import REPO_ROOT

SUITES_DIR = REPO_ROOT / "expectations" / "suites"
MANIFEST = REPO_ROOT / "dbt_project" / "target" / "manifest.json"


def test_expectation_suites_are_fresh() -> None:
    completed = subprocess.run(
        [sys.executable, str(REPO_ROOT / "expectations" / "build_suites.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr


def test_every_rate_of_the_contract_is_checked_on_its_mart() -> None:
    """The suites follow the dbt project's metric declarations: each percentage metric is
    bounded to [0, 1] and NPS to its declared [-100, 100] on the marts that declare them."""
    manifest = json.loads(MANIFEST.read_text())["nodes"].values()
    declared = {
        (node["name"], metric["name"])
        for node in manifest
        if node["resource_type"] == "model"
        for metric in node["config"].get("meta", {}).get("metrics", [])
        if "%" in metric.get("d3format", "") or "range" in metric
    }
    checked = {}
    for path in SUITES_DIR.glob("*.json"):
        for expectation in json.loads(path.read_text())["expectations"]:
            description = expectation.get("description", "")
            if description.endswith("on every row (metric contract)"):
                name, bounds = description.split(" within ")
                checked[(path.stem, name)] = bounds.split(" on ")[0]
    assert set(checked) == declared
    assert checked[("mart_queue_kpis_daily", "service_level")] == "[0, 1]"
    assert checked[("mart_cx_daily", "nps")] == "[-100, 100]"
