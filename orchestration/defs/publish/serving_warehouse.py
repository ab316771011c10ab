"""Publish: the checked build becomes the serving warehouse that Superset reads."""

from dagster import AssetExecutionContext, Failure, MaterializeResult, asset

from orchestration.defs.transform.dbt_models import dbt_models
from orchestration.lib.atomic_publish import publish_warehouse
from orchestration.lib.dq_results import blocking_failures
from orchestration.resources import CenterWarehouse


@asset(key=["serving", "warehouse"], group_name="serving", deps=[dbt_models], kinds={"duckdb"})
def serving_warehouse(
    context: AssetExecutionContext, warehouse: CenterWarehouse
) -> MaterializeResult:
    """A read-only copy of the build warehouse, swapped in atomically.

    Runs only after the blocking checks on the marts passed (write-audit-publish): Superset
    never sees a half-built or unchecked warehouse. Dagster skips it when a blocking check
    upstream fails; it also refuses when any blocking check of the run failed (one on a raw
    table in a partial run, say), naming them.
    """
    failed = blocking_failures(warehouse, context.run.run_id)
    if failed:
        raise Failure(
            description="not published: blocking checks failed: " + ", ".join(failed),
            metadata={"failed_checks": failed},
        )
    size = publish_warehouse(warehouse.build_path, warehouse.serving_path)
    return MaterializeResult(metadata={"path": str(warehouse.serving_path), "bytes": size})
