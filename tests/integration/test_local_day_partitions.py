"""Raw rows are partitioned by center-local day, and a late change to an old file rebuilds only
its days: the incremental stint table keeps every other day's rows as they were, and ends up
equal to a build from scratch."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from orchestration.lib.acceptances import record_acceptance
from orchestration.lib.center_config import CenterConfig
from orchestration.lib.raw_store import sha256_of
from orchestration.pipeline import run_warehouse_job
from orchestration.resources import CenterWarehouse
from orchestration.simulate.config import Faults
from orchestration.simulate.inbound import simulate_inbound
from tests.support import make_warehouse

pytestmark = pytest.mark.slow

DAYS = 4
STINTS = "intermediate.int_queue_stints_paired"
# The rows a build produces, without the columns saying which build wrote them.
STINT_COLUMNS = (
    "stint_id, call_id, queue_id, agent_id, caller_number, outcome, wait_seconds,"
    " is_transferred, is_reconstructed, is_wait_from_timestamps, arrived_at, queue_left_at,"
    " arrival_date"
)


def _write_daily_rotations(config: CenterConfig, landing: Path) -> dict[dt.date, Path]:
    """The simulated days as the PBX rotates them: one queue_log-YYYYMMDD file per local day."""
    simulation = config.simulation.model_copy(
        update={"days": DAYS, "faults": Faults(duplicate_rate=0, malformed_rate=0, swap_rate=0)}
    )
    center = simulate_inbound(config.model_copy(update={"simulation": simulation}))
    zone = ZoneInfo(config.center.timezone)
    by_day: dict[dt.date, list[str]] = defaultdict(list)
    for line in center.lines:
        by_day[dt.datetime.fromtimestamp(line.epoch, zone).date()].append(line.render() + "\n")
    landing.mkdir(parents=True)
    files = {}
    for day, lines in by_day.items():
        files[day] = landing / f"queue_log-{day:%Y%m%d}"
        files[day].write_text("".join(lines), "utf-8")
    return files


def _build(warehouse: CenterWarehouse) -> None:
    result = run_warehouse_job(warehouse)
    assert result.success, [e.message for e in result.all_events if e.is_failure]


def _query(warehouse: CenterWarehouse, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse.build_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def _remove_one_call(path: Path) -> str:
    """Deletes every line of the first abandoned call in the file; returns its call id."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    call_id = next(line.split("|")[1] for line in lines if line.split("|")[4] == "ABANDON")
    path.write_text("".join(line for line in lines if line.split("|")[1] != call_id), "utf-8")
    return call_id


def test_a_changed_old_file_rebuilds_only_its_days(
    example_config: CenterConfig, tmp_path: Path
) -> None:
    warehouse = make_warehouse(tmp_path / "incremental")
    files = _write_daily_rotations(example_config, Path(warehouse.landing_dir))
    days = sorted(files)
    _build(warehouse)
    first_build = dict(
        _query(warehouse, f"select arrival_date, any_value(built_by_invocation_id) from {STINTS}"
                          " group by 1")
    )  # fmt: skip
    assert sorted(first_build) == days
    last_change = _query(warehouse, "select max(change_id) from raw.partition_changes")[0][0]
    # Entries still open at the end of the data (consult legs of attended transfers near the
    # end): a newer end of data may turn them unknown, so their days are always re-paired.
    open_days = {d for (d,) in _query(warehouse, f"select arrival_date from {STINTS}"
                                                 " where outcome = 'in_queue'")}  # fmt: skip

    changed_day = days[2]
    removed_call = _remove_one_call(files[changed_day])
    # A file that lost lines is held until its correction is accepted (as `python -m
    # orchestration.landing accept` records it): then it replaces its earlier version.
    changed = files[changed_day]
    record_acceptance(
        Path(warehouse.warehouse_dir), changed.name, sha256_of(changed.read_bytes()), "a fix"
    )
    _build(warehouse)

    # Ingest re-read the one changed file and logged its one local day.
    assert _query(
        warehouse,
        f"select distinct source, event_date from raw.partition_changes"
        f" where change_id > {last_change}",
    ) == [("queue_log", changed_day)]
    # dbt re-paired that day and the day before it (a stint can end the day after it
    # arrived), and the open entries' days; the other days' rows are those of the first build.
    rebuilt = {
        day
        for day, invocation in _query(
            warehouse, f"select distinct arrival_date, built_by_invocation_id from {STINTS}"
        )
        if invocation != first_build[day]
    }
    assert rebuilt == {days[1], changed_day} | open_days
    assert days[0] not in rebuilt
    assert _query(warehouse, f"select count(*) from {STINTS} where call_id = '{removed_call}'") == [
        (0,)
    ]

    # Same rows as a warehouse built once from the changed files.
    scratch = make_warehouse(tmp_path / "from_scratch")
    Path(scratch.landing_dir).mkdir(parents=True)
    for path in files.values():
        (Path(scratch.landing_dir) / path.name).write_bytes(path.read_bytes())
    _build(scratch)
    for table, columns in ((STINTS, STINT_COLUMNS), ("marts.mart_queue_kpis_15m", "*")):
        sql = f"select {columns} from {table} order by all"
        assert _query(warehouse, sql) == _query(scratch, sql), table
