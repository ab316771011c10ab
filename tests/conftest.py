"""Shared fixtures: the simulated demo center run through the real pipeline, once per session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from orchestration.lib.center_config import CenterConfig, load_center_config
from orchestration.resources import CenterWarehouse
from orchestration.simulate.center import simulate_center
from orchestration.simulate.output import (
    AGENT_TRUTH_FILE,
    STINT_TRUTH_FILE,
    WrittenFaults,
    accept_deliberate_faults,
    write_simulated_center,
)
from tests.support import EXAMPLE_CONFIG, make_warehouse

# Unmarked tests are the fast layer (`make unit`): none may take longer than this to run.
FAST_TEST_LIMIT_S = 5.0


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Fails an unmarked test whose call phase took longer than FAST_TEST_LIMIT_S: the fast
    layer stays fast only if a slow test says so (fixtures' setup is not counted)."""
    outcome = yield
    report = outcome.get_result()
    is_fast = not any(item.iter_markers("slow")) and not any(item.iter_markers("e2e"))
    if is_fast and call.when == "call" and report.passed and call.duration > FAST_TEST_LIMIT_S:
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid} took {call.duration:.1f} s, over the {FAST_TEST_LIMIT_S:.0f} s"
            " of an unmarked (fast) test: `make unit` must stay quick. Make it faster"
            " (a smaller simulated period, a fixture shared by the module) or mark it"
            " @pytest.mark.slow if it truly runs the pipeline or a server."
        )


@dataclass(frozen=True)
class SimulatedRun:
    config: CenterConfig
    warehouse: CenterWarehouse
    truth: pd.DataFrame  # one row per queue entry (orchestration/simulate StintTruth)
    faults: WrittenFaults  # what the simulator broke on purpose (PBX files, CRM, surveys)
    truth_dir: Path  # every truth file (calls.csv, surveys.csv, ...: simulate/output.py)

    def truth_file(self, name: str) -> pd.DataFrame:
        """A truth file, every column as text, empty cells as ''."""
        return pd.read_csv(self.truth_dir / name, dtype=str, keep_default_na=False)

    def local_dates(self, epochs: pd.Series) -> pd.Series:
        """The center-local dates of UTC epoch seconds (numbers or their text)."""
        utc = pd.to_datetime(epochs.astype(int), unit="s", utc=True)
        return utc.dt.tz_convert(self.config.center.timezone).dt.date

    def query(self, sql: str) -> pd.DataFrame:
        """A query on the published serving warehouse."""
        with duckdb.connect(str(self.warehouse.serving_path), read_only=True) as con:
            return con.execute(sql).df()

    @cached_property
    def _agent_versions(self) -> dict[str, pd.DataFrame]:
        agents = self.truth_file(AGENT_TRUTH_FILE)
        agents["valid_from"] = agents["valid_from"].map(dt.date.fromisoformat)
        return {agent: rows.sort_values("valid_from") for agent, rows in agents.groupby("agent_id")}

    def team_on(self, agent: str, day: dt.date) -> str | None:
        """The team the truth says an agent (1004 or PJSIP/1004) was in on a local day."""
        rows = self._agent_versions.get(agent.split("/")[-1])
        rows = rows[rows["valid_from"] <= day] if rows is not None else None
        return rows["team"].iloc[-1] if rows is not None and len(rows) else None


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
    accept_deliberate_faults(Path(warehouse.landing_dir), Path(warehouse.warehouse_dir))
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
