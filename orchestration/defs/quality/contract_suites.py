"""Great Expectations suites (expectations/suites/) run as blocking checks on facts and marts.

A failing suite stops the run before `serving/warehouse`: the serving file stays as it was.
"""

import functools
import gc
import json
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckKey,
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
    result; build_data_docs renders it. GX's objects hold a DuckDB connection in reference
    cycles; they are collected here, once the validating frame is gone, or a later read-write
    connect to the file fails.
    """
    outcome = _validate(db_path, schema, table, suite_path, run_name)
    gc.collect()
    return outcome


@functools.lru_cache(maxsize=1)
def _gx_context(project_dir: Path):  # -> a GX FileDataContext (GX imported lazily)
    """The warehouse's GX project, opened once for the runs of a process on one warehouse:
    opening it costs seconds."""
    # GX would otherwise try to report usage over the network; importing it costs ~15 s, so
    # it happens here, at check time, never when the definitions load.
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx

    context = gx.get_context(mode="file", project_root_dir=str(project_dir))
    configure_site(context)
    return context


# Per run name, the stored validation results (and their suites) not rendered yet.
_results_to_render: defaultdict[str, list] = defaultdict(list)


def build_data_docs(warehouse_dir: Path, run_name: str) -> None:
    """Renders the run's validation results, their suites and the index into the data docs
    site, once per run: each build compiles GX's templates anew (~0.5 s). Only those pages:
    without identifiers GX renders every stored result again."""
    identifiers = _results_to_render.pop(run_name, [])
    if identifiers:
        _gx_context(gx_project_dir(warehouse_dir)).build_data_docs(resource_identifiers=identifiers)


def _validate(
    db_path: Path, schema: str, table: str, suite_path: Path, run_name: str
) -> SuiteOutcome:
    import great_expectations as gx

    context = _gx_context(gx_project_dir(db_path.parent))
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
            )
        )
        run = checkpoint.run(run_id=gx.RunIdentifier(run_name=run_name))
        ((identifier, result),) = run.run_results.items()
        _results_to_render[run_name] += [identifier, identifier.expectation_suite_identifier]
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


# The contract checks each run has finished, to build the data docs after its last one (a run's
# steps share this process: the jobs use the in-process executor, orchestration/defs).
_finished_checks: defaultdict[str, set[AssetCheckKey]] = defaultdict(set)


def _is_last_contract_check(context: AssetCheckExecutionContext) -> bool:
    """Records this check as finished; true when every contract check of the run is."""
    run_checks = context.run.asset_check_selection
    if run_checks is None:
        run_checks = context.job_def.asset_layer.asset_graph.asset_check_keys
    finished = _finished_checks[context.run.run_id]
    finished.add(context.check_specs[0].key)
    if finished >= {k for k in run_checks if k.name == CONTRACT_CHECK_NAME}:
        del _finished_checks[context.run.run_id]
        return True
    return False


def contract_suite_check(schema: str, table: str) -> AssetChecksDefinition:
    """The blocking check that runs expectations/suites/<table>.json on marts.<table>."""

    @asset_check(
        asset=[schema, table],
        name=CONTRACT_CHECK_NAME,
        blocking=True,
        description=f"Great Expectations suite expectations/suites/{table}.json (contract).",
    )
    def _check(context: AssetCheckExecutionContext, warehouse: CenterWarehouse) -> AssetCheckResult:
        try:
            outcome = run_suite(
                warehouse.build_path,
                schema,
                table,
                SUITES_DIR / f"{table}.json",
                run_name=context.run.run_id,
            )
        finally:
            # Failed runs included: that is when the data docs are read.
            if _is_last_contract_check(context):
                build_data_docs(warehouse.build_path.parent, context.run.run_id)
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
