"""A warehouse job's progress on the console: its steps grouped in four stages (ingest, dbt
build, checks, publish), each advanced by the assets its steps materialize and the checks
they evaluate. Dagster's events themselves go to the log (stderr, which the console points
at its log file)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import Any

from dagster import AssetsDefinition, DagsterEventType, LoggerDefinition

from orchestration.console import RunConsole, Stage

INGEST, DBT_BUILD, CHECKS, PUBLISH = "ingest", "dbt build", "checks", "publish"
# The stage of an asset step by the schema of its asset keys (asset key = warehouse location);
# any other schema is built between ingest and publish, as the dbt models are.
_STAGE_OF_SCHEMA = {"raw": INGEST, "serving": PUBLISH, "exports": PUBLISH}


class WarehouseProgress(logging.Handler):
    """Receives the job's Dagster events (as the job's logger) and moves the stages' bars."""

    def __init__(self, console: RunConsole, definitions: Iterable[Any]) -> None:
        super().__init__(logging.DEBUG)
        self._stage_of_step: dict[str, str] = {}
        totals = dict.fromkeys((INGEST, DBT_BUILD, CHECKS, PUBLISH), 0)
        for definition in definitions:
            if not isinstance(definition, AssetsDefinition):
                continue  # an AssetSpec: no step of its own
            keys = list(definition.keys)
            stage = _STAGE_OF_SCHEMA.get(keys[0].path[0], DBT_BUILD) if keys else CHECKS
            self._stage_of_step[definition.node_def.name] = stage
            totals[stage] += len(keys) + len(definition.check_keys)
        self._stages: dict[str, Stage] = {
            name: console.add_stage(name, total, start=False) for name, total in totals.items()
        }
        self._steps = {name: 0 for name in totals}
        for stage in self._stage_of_step.values():
            self._steps[stage] += 1
        self._succeeded = dict.fromkeys(totals, 0)
        self._failed: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_meta", {}).get("dagster_event")
        stage = self._stage_of_step.get(event.step_key or "") if event else None
        if stage is None:
            return
        if event.event_type == DagsterEventType.STEP_START:
            self._stages[stage].start()
        elif event.event_type in (
            DagsterEventType.ASSET_MATERIALIZATION,
            DagsterEventType.ASSET_CHECK_EVALUATION,
        ):
            self._stages[stage].advance()
        elif event.event_type == DagsterEventType.STEP_FAILURE:
            self._failed.add(stage)
            self._stages[stage].end("failed")
        elif event.event_type == DagsterEventType.STEP_SUCCESS:
            self._succeeded[stage] += 1
            if self._succeeded[stage] == self._steps[stage]:
                self._stages[stage].end("done")

    def finish(self) -> None:
        """Ends the stages the run left open: a step failed, or steps were skipped."""
        for name, stage in self._stages.items():
            if name not in self._failed and self._succeeded[name] < self._steps[name]:
                stage.end("skipped")

    def loggers(self) -> dict[str, LoggerDefinition]:
        """The job's loggers: this progress, and every event into the log."""

        def run_logger(_context: Any) -> logging.Logger:
            log = logging.Logger("dagster", logging.DEBUG)  # not registered: this run only
            to_log_file = logging.StreamHandler(sys.stderr)
            to_log_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            log.addHandler(to_log_file)
            log.addHandler(self)
            return log

        return {"console": LoggerDefinition(run_logger)}
