"""Shared fixtures: the simulated demo center run through the real pipeline, once per session."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from orchestration.center_config import CenterConfig, load_center_config
from orchestration.resources import CenterWarehouse
from orchestration.simulate.center import simulate_center
from orchestration.simulate.output import STINT_TRUTH_FILE, WrittenFaults, write_simulated_center
from tests.support import EXAMPLE_CONFIG, make_warehouse


@dataclass(frozen=True)
class SimulatedRun:
    config: CenterConfig
    warehouse: CenterWarehouse
    truth: pd.DataFrame  # one row per queue entry (orchestration/simulate StintTruth)
    faults: WrittenFaults  # what the simulator broke on purpose (PBX files, CRM, surveys)
    truth_dir: Path  # every truth file (calls.csv, surveys.csv, ...: simulate/output.py)


@pytest.fixture(scope="session")
def example_config() -> CenterConfig:
    return load_center_config(EXAMPLE_CONFIG)


@pytest.fixture(scope="session")
def simulated_run(
    tmp_path_factory: pytest.TempPathFactory, example_config: CenterConfig
) -> Iterator[SimulatedRun]:
    """The demo center's simulated period (faults included: PBX files, CRM and survey
    exports), ingested, built, checked and published."""
    from orchestration.pipeline import run_warehouse_job

    root = tmp_path_factory.mktemp("simulated_center")
    warehouse = make_warehouse(root)
    faults = write_simulated_center(
        simulate_center(example_config),
        example_config,
        Path(warehouse.landing_dir),
        root / "truth",
    )
    result = run_warehouse_job(warehouse)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    yield SimulatedRun(
        example_config,
        warehouse,
        pd.read_csv(root / "truth" / STINT_TRUTH_FILE, dtype={"call_id": str}),
        faults,
        root / "truth",
    )


@pytest.fixture(scope="session")
def serving_path(simulated_run: SimulatedRun) -> Path:
    """The published serving warehouse of the simulated period (what Superset reads)."""
    return simulated_run.warehouse.serving_path
