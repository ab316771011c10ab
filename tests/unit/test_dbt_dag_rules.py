"""The layer rules of STYLE.md, checked on dbt's manifest (dbt-project-evaluator cannot be
installed here). Each model's kind comes from its folder and name prefix; each rule forbids
the edges from one kind to another, and a failure lists every offending edge."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import PurePosixPath

import pytest

from orchestration.dbt_project import dbt_project

# (folder under models/, name prefix) -> kind. A model matching none is an error of its own.
KINDS = {
    (("staging",), "stg_"): "staging",
    (("intermediate",), "int_"): "intermediate",
    (("marts", "core"), "dim_"): "dimension",
    (("marts", "core"), "fct_"): "fact",
    (("marts", "kpi"), "mart_"): "kpi mart",
    (("marts", "dq"), "mart_"): "dq mart",
    (("marts", "shared"), "shared_"): "shared view",
    (("marts", "exports"), "export_"): "export",
}
SOURCE = "source"
MARTS = {"dimension", "fact", "kpi mart", "dq mart", "shared view", "export"}

Edge = tuple[str, str]  # (model, what it reads)
Kinds = dict[str, str]  # node id -> kind
Rule = Callable[[str, list[str], Kinds], list[str]]  # (model, its parents) -> offending parents


def _forbidden(reader: set[str], read: set[str]) -> Rule:
    """A rule forbidding any model of the `reader` kinds to read one of the `read` kinds."""

    def offending(node: str, parents: list[str], kinds: Kinds) -> list[str]:
        return [p for p in parents if kinds[node] in reader and kinds[p] in read]

    return offending


def _reads_one_kpi_mart(kind: str, others: set[str]) -> Rule:
    """A model of `kind` reads exactly one KPI mart, and otherwise only the `others` kinds."""

    def offending(node: str, parents: list[str], kinds: Kinds) -> list[str]:
        if kinds[node] != kind:
            return []
        marts = [p for p in parents if kinds[p] == "kpi mart"]
        wrong = [p for p in parents if kinds[p] != "kpi mart" and kinds[p] not in others]
        return wrong + (marts if len(marts) != 1 else [])

    return offending


RULES = {
    "staging reads only sources": _forbidden({"staging"}, {"staging", "intermediate"} | MARTS),
    "only staging reads sources": _forbidden({"intermediate"} | MARTS, {SOURCE}),
    "intermediate never reads marts": _forbidden({"intermediate"}, MARTS),
    "marts never read staging (no skipped layer)": _forbidden(MARTS, {"staging"}),
    "dimensions never read facts or KPI marts": _forbidden({"dimension"}, {"fact", "kpi mart"}),
    "facts never read KPI marts": _forbidden({"fact"}, {"kpi mart"}),
    "a KPI mart never reads another KPI mart": _forbidden({"kpi mart"}, {"kpi mart"}),
    "a shared view reads only its one KPI mart": _reads_one_kpi_mart("shared view", set()),
    "an export reads its one KPI mart, facts and dimensions": _reads_one_kpi_mart(
        "export", {"fact", "dimension"}
    ),
}


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads(dbt_project.manifest_path.read_text())


@pytest.fixture(scope="module")
def models(manifest: dict) -> dict[str, dict]:
    return {k: v for k, v in manifest["nodes"].items() if v["resource_type"] == "model"}


def _kind(node: dict) -> str | None:
    folders = PurePosixPath(node["original_file_path"]).parts[1:-1]  # models/<folders>/x.sql
    return next(
        (
            kind
            for (prefix_folders, prefix), kind in KINDS.items()
            if folders[: len(prefix_folders)] == prefix_folders and node["name"].startswith(prefix)
        ),
        None,
    )


@pytest.fixture(scope="module")
def kinds(manifest: dict, models: dict[str, dict]) -> Kinds:
    found = {key: _kind(node) for key, node in models.items()}
    return {key: kind for key, kind in found.items() if kind} | dict.fromkeys(
        manifest["sources"], SOURCE
    )


def test_every_model_has_a_kind(models: dict[str, dict], kinds: Kinds) -> None:
    assert [n["original_file_path"] for k, n in models.items() if k not in kinds] == []


def test_the_rules_see_every_kind(kinds: Kinds) -> None:
    assert set(kinds.values()) >= {SOURCE, "staging", "intermediate"} | MARTS - {"export"}


@pytest.mark.parametrize("rule", RULES)
def test_layer_rule(rule: str, models: dict[str, dict], kinds: Kinds) -> None:
    edges: list[Edge] = [
        (f"{models[node]['name']} ({kinds[node]})", f"{parent.split('.')[-1]} ({kinds[parent]})")
        for node in models
        if node in kinds
        for parent in RULES[rule](
            node, [p for p in models[node]["depends_on"]["nodes"] if p in kinds], kinds
        )
    ]
    assert edges == [], f"{rule}: " + "; ".join(f"{m} reads {p}" for m, p in edges)


def test_rules_name_the_edges_they_forbid() -> None:
    kinds = {"stg": "staging", "int": "intermediate", "dim": "dimension", "fct": "fact",
             "kpi": "kpi mart", "kpi2": "kpi mart", "view": "shared view"}  # fmt: skip
    one_mart = RULES["a shared view reads only its one KPI mart"]
    assert RULES["dimensions never read facts or KPI marts"]("dim", ["int", "fct"], kinds) == [
        "fct"
    ]
    assert RULES["intermediate never reads marts"]("int", ["stg", "dim"], kinds) == ["dim"]
    assert one_mart("view", ["kpi"], kinds) == []
    assert one_mart("view", ["kpi", "kpi2"], kinds) == ["kpi", "kpi2"]
    assert one_mart("view", ["fct"], kinds) == ["fct"]
