"""The dbt project's models as Dagster assets; dbt tests surface as asset checks."""

import json
from collections.abc import Iterator, Mapping
from typing import Any

from dagster import AssetCheckResult, AssetExecutionContext, AssetKey
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.dbt_project import dbt_project
from orchestration.lib.dq_results import ensure_results_table, record_check_results
from orchestration.resources import CenterWarehouse


class CenterDbtTranslator(DagsterDbtTranslator):
    """Asset key = warehouse location [schema, table]; group = schema (folder)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)  # meta.dagster.asset_key
        return AssetKey([dbt_resource_props["config"]["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props["config"].get("schema")


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=CenterDbtTranslator())
def dbt_models(
    context: AssetExecutionContext, dbt: DbtCliResource, warehouse: CenterWarehouse
) -> Iterator[Any]:
    """Builds and tests staging, intermediate and mart models in the build warehouse; the
    tests' results join dq.dq_results once dbt has let go of the file (failed ones too)."""
    dbt_vars = {**warehouse.center_config().dbt_vars(), "build_path": str(warehouse.build_path)}
    ensure_results_table(warehouse)
    test_results = []
    invocation = dbt.cli(["build", "--vars", json.dumps(dbt_vars)], context=context)
    try:
        for event in invocation.stream():
            if isinstance(event, AssetCheckResult):
                test_results.append(event)
            yield event
    finally:
        record_check_results(
            warehouse,
            context.run.run_id,
            test_results,
            stored_failures=_stored_failures(invocation),
            severities=_TEST_SEVERITIES,
        )


# Each dbt test's configured severity (ERROR blocks the build, WARN reports), by test name.
_TEST_SEVERITIES = {
    node["name"]: node["config"]["severity"].upper()
    for node in json.loads(dbt_project.manifest_path.read_text())["nodes"].values()
    if node["resource_type"] == "test"
}


def _stored_failures(invocation: Any) -> dict[str, str]:
    """Test name -> the table where dbt stored its failing rows (tests with store_failures)."""
    try:
        run_results = invocation.get_artifact("run_results.json")
    except FileNotFoundError:  # dbt stopped before writing it
        return {}
    return {
        result["unique_id"].split(".")[2]: result["relation_name"]
        for result in run_results["results"]
        if result["unique_id"].startswith("test.") and result.get("relation_name")
    }
