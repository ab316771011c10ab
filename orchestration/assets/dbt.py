"""The dbt project's models as Dagster assets; dbt tests surface as asset checks."""

import json
from collections.abc import Iterator, Mapping
from typing import Any

from dagster import AssetCheckResult, AssetExecutionContext, AssetKey
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.checks.results import ensure_results_table, record_check_results
from orchestration.dbt_project import dbt_project
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
    try:
        for event in dbt.cli(["build", "--vars", json.dumps(dbt_vars)], context=context).stream():
            if isinstance(event, AssetCheckResult):
                test_results.append(event)
            yield event
    finally:
        record_check_results(warehouse, context.run.run_id, test_results)
