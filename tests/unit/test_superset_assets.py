"""The Superset bundle in superset/assets is fresh and consistent: every link resolves by UUID,
charts use only dataset metrics, and no secret travels with it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

from tests.support import superset_script

SUPERSET_DIR = Path(__file__).resolve().parents[2] / "superset"
ASSETS = SUPERSET_DIR / "assets"


def _configs(kind: str) -> dict[str, dict[str, Any]]:
    """uuid -> parsed YAML of every bundle file of one kind (charts, datasets, ...)."""
    configs = [yaml.safe_load(path.read_text()) for path in (ASSETS / kind).rglob("*.yaml")]
    return {str(config["uuid"]): config for config in configs}


def _position_charts(dashboard: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for node in dashboard["position"].values():
        if isinstance(node, dict) and node.get("type") == "CHART":
            yield node


def _chart_metrics(params: dict[str, Any]) -> Iterator[Any]:
    """Every metric reference in chart params (single-metric and multi-metric viz types)."""
    for key in ("metric", "secondary_metric", "timeseries_limit_metric", "x", "y", "size"):
        if params.get(key):
            yield params[key]
    for key in ("metrics", "percent_metrics"):
        yield from params.get(key) or []


@pytest.fixture(scope="module")
def charts() -> dict[str, dict[str, Any]]:
    return _configs("charts")


@pytest.fixture(scope="module")
def datasets() -> dict[str, dict[str, Any]]:
    return _configs("datasets")


def test_dataset_yaml_matches_dbt() -> None:
    build_assets = superset_script("build_assets")
    assert build_assets.stale_files() == [], "run: .venv/bin/python superset/build_assets.py"


def test_check_mode_exits_zero_when_fresh() -> None:
    completed = subprocess.run(
        [sys.executable, str(SUPERSET_DIR / "build_assets.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr


def test_bundle_metadata_is_an_assets_bundle() -> None:
    assert yaml.safe_load((ASSETS / "metadata.yaml").read_text())["type"] == "assets"


def test_datasets_reference_a_bundled_database(datasets: dict[str, dict[str, Any]]) -> None:
    databases = _configs("databases")
    assert datasets
    for dataset in datasets.values():
        assert dataset["database_uuid"] in databases, dataset["table_name"]


def test_charts_reference_bundled_datasets(
    charts: dict[str, dict[str, Any]], datasets: dict[str, dict[str, Any]]
) -> None:
    assert charts
    for chart in charts.values():
        assert chart["dataset_uuid"] in datasets, chart["slice_name"]


def test_dashboard_positions_reference_bundled_charts(charts: dict[str, dict[str, Any]]) -> None:
    dashboards = _configs("dashboards")
    assert {d["slug"] for d in dashboards.values()} >= {"operations"}
    placed = set()
    for dashboard in dashboards.values():
        for node in _position_charts(dashboard):
            assert node["meta"]["uuid"] in charts, (dashboard["slug"], node["id"])
            placed.add(node["meta"]["uuid"])
    assert placed == set(charts), "every chart is on a dashboard"


def test_charts_use_only_dataset_metrics(
    charts: dict[str, dict[str, Any]], datasets: dict[str, dict[str, Any]]
) -> None:
    """Contract metrics are referenced by name; ad-hoc SQL could silently diverge from dbt."""
    for chart in charts.values():
        dataset = datasets[chart["dataset_uuid"]]
        metric_names = {metric["metric_name"] for metric in dataset["metrics"]}
        column_names = {column["column_name"] for column in dataset["columns"]}
        for metric in _chart_metrics(chart["params"]):
            if isinstance(metric, str):
                assert metric in metric_names, (chart["slice_name"], metric)
            else:  # an ad-hoc aggregate of a column, never free SQL
                assert metric.get("expressionType") == "SIMPLE", (chart["slice_name"], metric)
                assert metric["column"]["column_name"] in column_names, chart["slice_name"]


def test_chart_columns_exist(
    charts: dict[str, dict[str, Any]], datasets: dict[str, dict[str, Any]]
) -> None:
    for chart in charts.values():
        params = chart["params"]
        columns = {c["column_name"] for c in datasets[chart["dataset_uuid"]]["columns"]}
        used = [*(params.get("groupby") or []), *(params.get("all_columns") or []),
                *filter(None, [params.get("x_axis")])]  # fmt: skip
        used += [f["subject"] for f in params.get("adhoc_filters", []) if "subject" in f]
        assert set(used) <= columns, (chart["slice_name"], set(used) - columns)


def test_database_carries_no_password() -> None:
    for database in _configs("databases").values():
        assert "password" not in database
        assert make_url(database["sqlalchemy_uri"]).password is None


def test_uuids_are_unique() -> None:
    uuids = [
        str(yaml.safe_load(path.read_text())["uuid"])
        for path in ASSETS.rglob("*.yaml")
        if path.name != "metadata.yaml"
    ]
    assert len(uuids) == len(set(uuids))


def test_charts_colour_against_the_metric_meta_targets(charts: dict[str, dict[str, Any]]) -> None:
    """The queue summary colours service level from its meta (80 %, amber from 70 %) and
    complaints lower-is-better from theirs (0.3 %, amber to 0.5 %); the SL trend draws 80 %."""
    by_name = {chart["slice_name"]: chart["params"] for chart in charts.values()}
    rules = {
        (rule["column"], rule["colorScheme"]): rule
        for params in by_name.values()
        for rule in params.get("conditional_formatting", [])
    }
    green, amber, red = "#ACE1C4", "#FDE380", "#EFA1AA"
    assert rules[("service_level", green)]["targetValue"] == 0.8
    assert (
        rules[("service_level", amber)]["targetValueLeft"],
        rules[("service_level", red)]["targetValue"],
    ) == (0.7, 0.7)
    assert (
        rules[("complaint_rate", green)]["operator"],
        rules[("complaint_rate", green)]["targetValue"],
    ) == ("<=", 0.003)
    assert rules[("complaint_rate", red)]["targetValue"] == 0.005
    lines = [
        layer["value"]
        for p in by_name.values()
        for layer in p.get("annotation_layers", [])
        if layer["name"] == "Service level target 80 %"
    ]
    assert lines and set(lines) == {"0.8"}


def test_a_target_needs_a_warning_and_a_direction() -> None:
    bundle = superset_script("dashboard_bundle")
    with pytest.raises(ValueError, match="csat: a target needs a warning and a direction"):
        bundle.metric_targets([{"name": "csat", "target": 0.8, "warning": 0.7}])


def test_big_numbers_colour_against_the_metric_meta_targets(
    charts: dict[str, dict[str, Any]],
) -> None:
    """Abandonment (target 5 %, amber to 8 %, lower is better) reads green up to 5 %, amber
    between, red beyond 8 %: 16.7 % shows red. Text colours are the theme's status tokens."""
    by_name = {chart["slice_name"]: chart["params"] for chart in charts.values()}
    rules = by_name["Abandonment rate"]["conditional_formatting"]
    assert [(rule["colorScheme"], rule["operator"], rule.get("targetValue")) for rule in rules] == [
        ("colorSuccess", "<=", 0.05),
        ("colorWarning", "< x <", None),
        ("colorError", ">", 0.08),
    ]
    assert (rules[1]["targetValueLeft"], rules[1]["targetValueRight"]) == (0.05, 0.08)
    assert {rule["column"] for rule in rules} == {"abandonment_rate"}
    assert by_name["Offered calls"]["conditional_formatting"] == []
