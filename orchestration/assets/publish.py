"""Publish: the checked build becomes the serving warehouse that Superset reads."""

from dagster import MaterializeResult, asset

from orchestration.assets.dbt import dbt_models
from orchestration.publish import publish_warehouse
from orchestration.resources import CenterWarehouse


@asset(key=["serving", "warehouse"], group_name="serving", deps=[dbt_models], kinds={"duckdb"})
def serving_warehouse(warehouse: CenterWarehouse) -> MaterializeResult:
    """A read-only copy of the build warehouse, swapped in atomically.

    Runs only after the blocking checks on the marts passed (write-audit-publish): Superset
    never sees a half-built or unchecked warehouse.
    """
    size = publish_warehouse(warehouse.build_path, warehouse.serving_path)
    return MaterializeResult(metadata={"path": str(warehouse.serving_path), "bytes": size})
