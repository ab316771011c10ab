"""Dashboards as code survive Superset's own export: every dashboard exported from the
bootstrapped Superset and imported into an empty one (bootstrap.py --import-dashboards)
exports again identically, and the export holds exactly the dashboards and charts of
superset/assets."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.superset_app import SUPERSET_DIR, RunningSuperset, run_script
from tests.support import free_port

pytestmark = pytest.mark.e2e

# Database ids of one instance (the export also names each by uuid, which is compared);
# `datasource` is a chart's "<dataset id>__table".
INSTANCE_IDS = {"chartId", "chartsInScope", "datasetId", "slice_id", "datasource"}


def _without_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k not in INSTANCE_IDS}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def _by_chart_uuid(dashboard: dict[str, Any]) -> dict[str, Any]:
    """The dashboard with its per-chart settings (chart_configuration: cross-filter scopes) keyed
    by chart uuid, not by the instance's chart ids (the position names each chart's both)."""
    uuids = {
        node["meta"]["chartId"]: node["meta"]["uuid"]
        for node in dashboard.get("position", {}).values()
        if isinstance(node, dict) and node.get("type") == "CHART"
    }
    settings = {
        uuids[int(chart_id)]: {
            **setting,
            "id": uuids[setting["id"]],
            "crossFilters": {
                **setting["crossFilters"],
                "scope": {
                    **setting["crossFilters"]["scope"],
                    "excluded": sorted(
                        uuids[i] for i in setting["crossFilters"]["scope"]["excluded"]
                    ),
                },
            },
        }
        for chart_id, setting in dashboard["metadata"].get("chart_configuration", {}).items()
    }
    return {**dashboard, "metadata": {**dashboard["metadata"], "chart_configuration": settings}}


def _export(superset: RunningSuperset) -> tuple[bytes, dict[tuple[str, str], Any]]:
    """Every dashboard as Superset exports it: the zip, and its YAML files by folder and uuid
    (file names carry the instance's ids)."""
    api = superset.api("admin")
    ids = [d["id"] for d in api.get("/api/v1/dashboard/?q=(page_size:100)")["result"]]
    raw = api.get(f"/api/v1/dashboard/export/?q=!({','.join(map(str, ids))})")
    files = {}
    with zipfile.ZipFile(io.BytesIO(raw)) as bundle:
        for name in bundle.namelist():
            if name.endswith(".yaml") and not name.endswith("/metadata.yaml"):
                config = yaml.safe_load(bundle.read(name))
                if name.split("/")[1] == "dashboards":
                    config = _by_chart_uuid(config)
                config = _without_ids(config)
                files[(name.split("/")[1], str(config["uuid"]))] = config
    return raw, files


def _uuids(files: dict[tuple[str, str], Any], folder: str) -> set[str]:
    return {uuid for kind, uuid in files if kind == folder}


def _bundle_uuids(folder: str) -> set[str]:
    return {str(yaml.safe_load(p.read_text())["uuid"])
            for p in (SUPERSET_DIR / "assets" / folder).glob("*.yaml")}  # fmt: skip


def test_export_reimports_into_an_empty_superset(
    superset: RunningSuperset, serving_path: Path, tmp_path: Path
) -> None:
    raw, exported = _export(superset)
    assert _uuids(exported, "dashboards") == _bundle_uuids("dashboards")
    assert _uuids(exported, "charts") == _bundle_uuids("charts")

    backup = tmp_path / "dashboards.zip"
    backup.write_bytes(raw)
    home = tmp_path / "empty_superset"
    env = {**os.environ, "SUPERSET_ADMIN_PASSWORD": superset.admin_password}
    run_script("bootstrap.py", "--home", home, "--serving", serving_path,
               "--import-dashboards", backup, env=env)  # fmt: skip
    port = free_port()
    run_script("server.py", "start", "--home", home, "--port", port)
    try:
        copy = RunningSuperset(f"http://127.0.0.1:{port}", home, superset.admin_password, "")
        _, reexported = _export(copy)
    finally:
        run_script("server.py", "stop", "--home", home)
    assert sorted(reexported) == sorted(exported)
    for key, config in exported.items():
        assert reexported[key] == config, key
