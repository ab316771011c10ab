"""Great Expectations suites (expectations/suites/) run as blocking checks on facts and marts.

A failing suite stops the run before `serving/warehouse`: the serving file stays as it was.
"""

import gc
import json
import os
from dataclasses import dataclass
from pathlib import Path

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetKey,
    MetadataValue,
    asset_check,
)

from orchestration.lib.data_docs import configure_site, data_docs_index, gx_project_dir
from orchestration.lib.dq_results import record_check_results
from orchestration.resources import REPO_ROOT, CenterWarehouse

SUITES_DIR = REPO_ROOT / "expectations" / "suites"
CONTRACT_CHECK_NAME = "meets_metric_contract"


@dataclass(frozen=True)
class SuiteOutcome:
    success: bool
    evaluated: int
    failures: list[dict[str, object]]


def run_suite(
    db_path: Path, schema: str, table: str, suite_path: Path, run_name: str
) -> SuiteOutcome:
    """Validates a table of a DuckDB file against a suite file, read-only.

    The validation runs through a checkpoint of the warehouse's GX project, which stores the
    result and rebuilds the data docs (failed runs included: that is when they are read).
    GX's objects hold a DuckDB connection in reference cycles; they are collected here, once
    the validating frame is gone, or a later read-write connect to the file fails.
    """
    outcome = _validate(db_path, schema, table, suite_path, run_name)
    gc.collect()
    return outcome


def _validate(
    db_path: Path, schema: str, table: str, suite_path: Path, run_name: str
) -> SuiteOutcome:
    # GX would otherwise try to report usage over the network; importing it costs ~15 s, so
    # it happens here, at check time, never when the definitions load.
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx

    context = gx.get_context(mode="file", project_root_dir=str(gx_project_dir(db_path.parent)))
    configure_site(context)
    # GX has no DuckDB dialect: these two settings make duckdb-engine work (notes/stack.md).
    source = context.data_sources.add_or_update_sql(
        name="warehouse",
        connection_string=f"duckdb:///{db_path}",
        kwargs={"pool_reset_on_return": None, "connect_args": {"read_only": True}},
    )
    try:
        asset = source.add_table_asset(name=table, table_name=table, schema_name=schema)
        checkpoint = context.checkpoints.add_or_update(
            gx.Checkpoint(
                name=table,
                validation_definitions=[
                    context.validation_definitions.add_or_update(
                        gx.ValidationDefinition(
                            name=table,
                            data=asset.add_batch_definition_whole_table("whole_table"),
                            suite=context.suites.add_or_update(
                                gx.ExpectationSuite(**json.loads(suite_path.read_text()))
                            ),
                        )
                    )
                ],
                actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")],
            )
        )
        run = checkpoint.run(run_id=gx.RunIdentifier(run_name=run_name))
        (result,) = run.run_results.values()
        failures = [
            {
                "expectation": r.expectation_config.type,
                "kwargs": {k: v for k, v in r.expectation_config.kwargs.items() if k != "batch_id"},
                "observed": r.result.get("observed_value", r.result.get("unexpected_count")),
                "error": r.exception_info.get("exception_message"),
            }
            for r in result.results
            if not r.success
        ]
        return SuiteOutcome(result.success, len(result.results), failures)
    finally:
        source.get_engine().dispose()
        # Unregistered, the source's engine can be collected; each check registers it anew.
        context.data_sources.delete(source.name)


def contract_suite_check(schema: str, table: str) -> AssetChecksDefinition:
    """The blocking check that runs expectations/suites/<table>.json on marts.<table>."""

    @asset_check(
        asset=[schema, table],
        name=CONTRACT_CHECK_NAME,
        blocking=True,
        description=f"Great Expectations suite expectations/suites/{table}.json (contract).",
    )
    def _check(context: AssetCheckExecutionContext, warehouse: CenterWarehouse) -> AssetCheckResult:
        outcome = run_suite(
            warehouse.build_path,
            schema,
            table,
            SUITES_DIR / f"{table}.json",
            run_name=context.run.run_id,
        )
        result = AssetCheckResult(
            asset_key=AssetKey([schema, table]),
            check_name=CONTRACT_CHECK_NAME,
            passed=outcome.success,
            severity=AssetCheckSeverity.ERROR,
            metadata={
                "expectations": outcome.evaluated,
                "failures": outcome.failures,
                "data_docs": MetadataValue.path(str(data_docs_index(warehouse.build_path.parent))),
            },
        )
        record_check_results(warehouse, context.run.run_id, [result])
        return result

    return _check


# One blocking check per generated suite, each named after its mart.
contract_checks = [contract_suite_check("marts", s.stem) for s in sorted(SUITES_DIR.glob("*.json"))]
