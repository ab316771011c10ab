"""The layer rules of STYLE.md, checked on dbt's manifest (dbt-project-evaluator cannot be
installed here): one direction, never skipping a layer."""

from __future__ import annotations

import json

import pytest

from orchestration.dbt_project import dbt_project

LAYER_ORDER = {"staging": 1, "intermediate": 2, "marts": 3}


@pytest.fixture(scope="module")
def models() -> dict[str, dict]:
    manifest = json.loads(dbt_project.manifest_path.read_text())
    return {k: v for k, v in manifest["nodes"].items() if v["resource_type"] == "model"}


def _layer(node: dict) -> str:
    return node["fqn"][1]  # contact_center/<layer>/...


def test_only_staging_reads_sources(models: dict[str, dict]) -> None:
    readers = {
        n["name"]
        for n in models.values()
        if any(d.startswith("source.") for d in n["depends_on"]["nodes"])
    }
    assert readers and all(
        _layer(models[f"model.contact_center.{r}"]) == "staging" for r in readers
    )


def test_models_read_their_own_or_the_previous_layer(models: dict[str, dict]) -> None:
    violations = [
        (node["name"], models[parent]["name"])
        for node in models.values()
        for parent in node["depends_on"]["nodes"]
        if parent in models
        and not 0 <= LAYER_ORDER[_layer(node)] - LAYER_ORDER[_layer(models[parent])] <= 1
    ]
    assert violations == []


def test_no_kpi_mart_reads_another(models: dict[str, dict]) -> None:
    marts = {k for k, n in models.items() if n["name"].startswith("mart_")}
    assert [
        (models[k]["name"], p)
        for k in marts
        for p in models[k]["depends_on"]["nodes"]
        if p in marts
    ] == []
