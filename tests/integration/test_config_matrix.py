"""The demo month builds, passes every check and every dbt unit test (dbt build runs them),
and publishes under other center settings, its KPIs following them: short_abandon_s 0, 5
and 10, every SL variant official for a queue, New York and UTC. Simulated once; three runs
cover every value (each run gives the two queues two different variants)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml

from orchestration.lib.center_config import load_center_config
from orchestration.simulate.center import simulate_center
from orchestration.simulate.output import (
    STINT_TRUTH_FILE,
    accept_deliberate_faults,
    write_simulated_center,
)
from tests.support import EXAMPLE_CONFIG, make_warehouse

pytestmark = pytest.mark.slow

NEW_YORK = "America/New_York"  # the demo's zone, in which the simulated PBX writes its CDR
# Per run: short_abandon_s, timezone, and the official SL variant of sales and support.
RUNS = {
    "s0_utc": (0, "UTC", {"sales": "positive", "support": "answered_only"}),
    "s5_new_york": (5, NEW_YORK, {"sales": "ignored", "support": "negative"}),
    "s10_utc": (10, "UTC", {"sales": "answered_only", "support": "ignored"}),
}


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """The demo month's landing files and its non-test stints' truth, written once."""
    root = tmp_path_factory.mktemp("matrix_simulated")
    config = load_center_config(EXAMPLE_CONFIG)
    write_simulated_center(simulate_center(config), config, root / "landing", root / "truth")
    truth = pd.read_csv(root / "truth" / STINT_TRUTH_FILE, dtype={"call_id": str})
    return root / "landing", truth[~truth["is_test_call"]]


@pytest.fixture(scope="module", params=list(RUNS))
def run(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    simulated: tuple[Path, pd.DataFrame],
) -> tuple[str, Path]:
    """The run's serving warehouse, published from a copy of the simulated landing files."""
    from orchestration.pipeline import run_warehouse_job

    short_abandon_s, zone, variants = RUNS[request.param]
    settings = yaml.safe_load(EXAMPLE_CONFIG.read_text())
    # The PBX's wall clock stays New York's whatever zone the center reports in.
    settings["center"] |= {
        "short_abandon_s": short_abandon_s, "timezone": zone, "pbx_timezone": NEW_YORK
    }  # fmt: skip
    for queue in settings["queues"]:
        queue["sl_variant"] = variants[queue["queue_id"]]
    root = tmp_path_factory.mktemp(request.param)
    (root / "center.yml").write_text(yaml.safe_dump(settings))
    warehouse = make_warehouse(root, root / "center.yml")
    shutil.copytree(simulated[0], warehouse.landing_dir)
    accept_deliberate_faults(Path(warehouse.landing_dir), Path(warehouse.warehouse_dir))
    result = run_warehouse_job(warehouse)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    return request.param, warehouse.serving_path


def _query(serving: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(serving), read_only=True) as con:
        return con.execute(sql).df()


def test_short_abandons_follow_the_threshold(
    run: tuple[str, Path], simulated: tuple[Path, pd.DataFrame]
) -> None:
    """Short abandons are the abandons waiting under short_abandon_s (none under 0 s), never
    offered; the rest stay abandoned."""
    name, serving = run
    short_abandon_s = RUNS[name][0]
    truth = simulated[1]
    abandons = truth[truth["outcome"].isin(["abandoned", "short_abandoned"])]
    expected_short = int((abandons["wait_seconds"] < short_abandon_s).sum())
    mart = _query(
        serving,
        "select sum(stint_count) as stints, sum(offered_count) as offered,"
        " sum(short_abandoned_count) as short, sum(abandoned_count) as abandoned"
        " from marts.mart_queue_kpis_monthly",
    ).iloc[0]
    assert (short_abandon_s == 0) == (expected_short == 0)
    assert int(mart["short"]) == expected_short
    assert int(mart["abandoned"]) == len(abandons) - expected_short
    assert int(mart["stints"]) == len(truth)
    assert int(mart["offered"]) == len(truth) - expected_short


def test_short_abandons_grow_from_5_to_10_seconds(simulated: tuple[Path, pd.DataFrame]) -> None:
    """The simulated month has abandons waiting 5 to 9 s: the 10 s threshold is not the 5 s
    one's (so the runs above tell the settings apart)."""
    truth = simulated[1]
    waits = truth[truth["outcome"].isin(["abandoned", "short_abandoned"])]["wait_seconds"]
    assert (waits < 10).sum() > (waits < 5).sum() > 0


def test_official_sl_is_the_queues_variant(
    run: tuple[str, Path], simulated: tuple[Path, pd.DataFrame]
) -> None:
    """Per queue over the month, the official SL columns are the chosen variant's, and that
    variant's met / eligible counts are the truth's (metric contract, SL variants)."""
    name, serving = run
    short_abandon_s, _, variants = RUNS[name]
    config = load_center_config(EXAMPLE_CONFIG)
    mart = _query(
        serving,
        "select queue_id, any_value(sl_variant) as sl_variant, sum(sl_met_count) as met,"
        " sum(sl_eligible_count) as eligible, "
        + ", ".join(
            f"sum(sl_{part}_{v}_count) as {part}_{v}"
            for v in set(variants.values())
            for part in ("met", "eligible")
        )
        + " from marts.mart_queue_kpis_monthly group by 1 order by 1",
    ).set_index("queue_id")
    truth = simulated[1]
    for queue_id, variant in variants.items():
        stints = truth[truth["queue_id"] == queue_id]
        within = stints["wait_seconds"] <= config.queue(queue_id).sl_threshold_s
        answered = stints["outcome"] == "answered"
        abandoned = stints["outcome"].isin(["abandoned", "short_abandoned"]) & (
            stints["wait_seconds"] >= short_abandon_s
        )
        offered = ~stints["outcome"].isin(["abandoned", "short_abandoned"]) | abandoned
        expected = {
            "negative": ((answered & within).sum(), offered.sum()),
            "ignored": ((answered & within).sum(), (offered & ~abandoned).sum()),
            "positive": (((answered | abandoned) & within).sum(), offered.sum()),
            "answered_only": ((answered & within).sum(), answered.sum()),
        }[variant]
        row = mart.loc[queue_id]
        assert row["sl_variant"] == variant
        assert (row["met"], row["eligible"]) == (row[f"met_{variant}"], row[f"eligible_{variant}"])
        assert (int(row["met"]), int(row["eligible"])) == tuple(int(n) for n in expected)


def test_local_days_follow_the_timezone(
    run: tuple[str, Path], simulated: tuple[Path, pd.DataFrame]
) -> None:
    """Each local day holds the stints arriving on it in the run's zone (New York's evening
    calls are the next UTC day's); the days add up to the month in every zone."""
    name, serving = run
    zone = RUNS[name][1]
    truth = simulated[1]
    arrived = pd.to_datetime(truth["arrived_epoch"], unit="s", utc=True).dt.tz_convert(zone)
    expected = arrived.dt.date.map(str).value_counts().sort_index()
    mart = _query(
        serving,
        "select cast(arrival_date as varchar) as day, sum(stint_count) as stints"
        " from marts.mart_queue_kpis_daily group by 1 order by 1",
    ).set_index("day")["stints"]
    assert mart.to_dict() == {day: int(n) for day, n in expected.items()}
    assert int(mart.sum()) == len(truth)
