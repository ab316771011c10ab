"""Ingest through the Dagster asset: every line accounted for, re-runs change nothing."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, AssetSelection

from orchestration.pipeline import run_warehouse_job
from orchestration.resources import CenterWarehouse
from tests.conftest import SimulatedRun
from tests.support import EXAMPLE_CONFIG, REALDATA, make_warehouse

pytestmark = pytest.mark.slow

RAW_QUEUE_LOG = AssetKey(["raw", "queue_log"])
RAW_CDR = AssetKey(["raw", "cdr"])
REAL_LOG = REALDATA / "asterisk-issue-759" / "queue_log"


def _ingest(warehouse: CenterWarehouse) -> None:
    result = run_warehouse_job(warehouse, selection=AssetSelection.assets(RAW_QUEUE_LOG))
    assert result.success


def _ledger(db_path: Path, source: str) -> list[tuple[str, int, int, int, int, int]]:
    """(file name, lines read, loaded, quarantined, duplicates, header lines) per file."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute(
            "select source_file, lines_read, loaded_count, quarantined_count, duplicate_count,"
            " header_count from raw.ingest_files where source = ? order by 1",
            [source],
        ).fetchall()
    return [(Path(source_file).name, *counts) for source_file, *counts in rows]


def _snapshot(warehouse: CenterWarehouse) -> tuple[list, list, list]:
    with duckdb.connect(str(warehouse.build_path), read_only=True) as con:
        return tuple(
            con.execute(f"select * exclude ({ts}) from raw.{table} order by all").fetchall()
            for table, ts in [
                ("queue_log", "event_at"),
                ("raw_quarantine", "quarantined_at"),
                ("ingest_files", "ingested_at"),
            ]
        )


def test_malformed_lines_are_quarantined_and_the_rest_loads(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path)
    landing = Path(warehouse.landing_dir)
    landing.mkdir(parents=True)
    good = REAL_LOG.read_bytes().splitlines()
    lines = [
        *good[:3],
        b"1717397290|1717397243.239826|1501",
        good[3],
        good[3],
        *good[4:],
        b"not a time|x|q|NONE|ENTERQUEUE",
    ]
    (landing / "queue_log").write_bytes(b"\n".join(lines) + b"\n")
    _ingest(warehouse)
    with duckdb.connect(str(warehouse.build_path), read_only=True) as con:
        quarantined = con.execute(
            "select line_number, reason from raw.raw_quarantine order by 1"
        ).fetchall()
        loaded = con.execute("select count(*) from raw.queue_log").fetchone()[0]
    assert quarantined == [
        (4, "expected at least 5 '|'-separated fields (time|callid|queue|agent|event), found 3"),
        (11, "time field 'not a time' is not a Unix epoch"),
    ]
    assert _ledger(warehouse.build_path, "queue_log") == [("queue_log", 11, 8, 2, 1, 0)]
    assert loaded == len(good) == 8


def test_ingesting_twice_changes_nothing(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path)
    landing = Path(warehouse.landing_dir)
    landing.mkdir(parents=True)
    shutil.copy(REAL_LOG, landing / "queue_log")
    _ingest(warehouse)
    first = _snapshot(warehouse)
    _ingest(warehouse)
    assert _snapshot(warehouse) == first
    # lines_read, loaded, quarantined, duplicates
    assert len(first[0]) == 8 and first[2][0][5:9] == (8, 8, 0, 0)


def test_a_rotated_copy_counts_as_duplicates_and_a_changed_file_replaces(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path)
    landing = Path(warehouse.landing_dir)
    landing.mkdir(parents=True)
    shutil.copy(REAL_LOG, landing / "queue_log")
    _ingest(warehouse)
    shutil.copy(REAL_LOG, landing / "queue_log.1")  # logrotate left an overlapping copy
    _ingest(warehouse)
    (landing / "queue_log").write_bytes(b"".join(REAL_LOG.read_bytes().splitlines(True)[:5]))
    _ingest(warehouse)
    with duckdb.connect(str(warehouse.build_path), read_only=True) as con:
        loaded = con.execute("select count(*) from raw.queue_log").fetchone()[0]
    # Regression: queue_log.1's copies of lines 6-8 must reload once their first copy is gone.
    assert _ledger(warehouse.build_path, "queue_log") == [
        ("queue_log", 5, 5, 0, 0, 0),
        ("queue_log.1", 8, 3, 0, 5, 0),
    ]
    assert loaded == 8


def test_grown_live_log_loads_only_new_complete_lines(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path)
    landing = Path(warehouse.landing_dir)
    landing.mkdir(parents=True)
    lines = REAL_LOG.read_bytes().splitlines(keepends=True)
    live = landing / "queue_log"
    live.write_bytes(b"".join(lines[:3]) + lines[3][:20])  # the PBX is mid-way through line 4
    _ingest(warehouse)
    with live.open("ab") as handle:
        handle.write(lines[3][20:] + b"".join(lines[4:]))
    _ingest(warehouse)
    with duckdb.connect(str(warehouse.build_path), read_only=True) as con:
        rows = con.execute("select line_number from raw.queue_log order by 1").fetchall()
        ledger = con.execute(
            "select lines_read, loaded_count, bytes_ingested from raw.ingest_files"
        ).fetchall()
        quarantined = con.execute("select count(*) from raw.raw_quarantine").fetchone()[0]
    assert [r[0] for r in rows] == list(range(1, 9))
    assert ledger == [(8, 8, len(REAL_LOG.read_bytes()))]
    assert quarantined == 0  # the half-written line waited instead of failing to parse


def test_gzip_rotation_and_table_export_load(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path)
    landing = Path(warehouse.landing_dir)
    landing.mkdir(parents=True)
    (landing / "queue_log-20240603.gz").write_bytes(gzip.compress(REAL_LOG.read_bytes()))
    shutil.copy(
        REALDATA / "pbxware-voipoffice" / "queue_log.original.csv", landing / "queue_log.csv"
    )
    _ingest(warehouse)
    with duckdb.connect(str(warehouse.build_path), read_only=True) as con:
        connect = con.execute(
            "select event_at, callid, queuename, agent, data2, data3, extra_columns"
            " from raw.queue_log where callid = '1543602660.197' and event = 'CONNECT'"
        ).fetchone()
    assert _ledger(warehouse.build_path, "queue_log") == [
        ("queue_log-20240603.gz", 8, 8, 0, 0, 0),
        # 1 000 exported rows, each its own event: rows that repeat another but for their
        # table id (PBXware's uid) are distinct rows of the table; plus the header line.
        ("queue_log.csv", 1001, 1000, 0, 0, 1),
    ]
    assert connect[:6] == (
        dt.datetime(2018, 11, 30, 18, 32, 33),
        "1543602660.197",
        "IT",
        "Agent/1127",
        "1543602746.232",
        "6",
    )
    assert json.loads(connect[6]) == {
        "entpos": "0",
        "expos": "0",
        "htime": "76",
        "time": "2018-11-30 13:32:34",
        "ttime": "0",
        "uid": "19",
    }


def test_real_cdr_files_load_with_their_ledger(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path)
    landing = Path(warehouse.landing_dir)
    landing.mkdir(parents=True)
    shutil.copy(REALDATA / "asterisk-cdr-stadion" / "Master.csv", landing / "Master.csv")
    (landing / "Master-lab.csv.gz").write_bytes(
        gzip.compress((REALDATA / "asterisk-cdr-custom-lab" / "Master.csv").read_bytes())
    )
    shutil.copy(REALDATA / "pbxware-voipoffice" / "cdr.original.csv", landing / "cdr-pbxware.csv")
    result = run_warehouse_job(warehouse, selection=AssetSelection.assets(RAW_CDR))
    assert result.success
    with duckdb.connect(str(warehouse.build_path), read_only=True) as con:
        reasons = con.execute(
            "select distinct regexp_replace(reason, 'found [0-9]+', 'found N')"
            " from raw.raw_quarantine where source = 'cdr'"
        ).fetchall()
    assert _ledger(warehouse.build_path, "cdr") == [
        ("Master-lab.csv.gz", 14, 14, 0, 0, 0),
        ("Master.csv", 84, 84, 0, 0, 0),
        # PBXware's export glued 96 rows together; they are quarantined, not guessed at.
        ("cdr-pbxware.csv", 774, 677, 96, 0, 1),
    ]
    assert reasons == [("expected 26 fields for the header row layout, found N",)]


def test_injected_faults_are_accounted_for(simulated_run: SimulatedRun) -> None:
    """The simulated period's injected duplicates and malformed lines show in the ledger of both
    files (and the KPI tests in test_queue_kpis_vs_truth prove they changed no number)."""
    faults = simulated_run.faults.queue_log
    assert faults.duplicate_count > 10 and faults.malformed_count > 10 and faults.swapped_count
    with duckdb.connect(str(simulated_run.warehouse.serving_path), read_only=True) as con:
        reasons = dict(
            con.execute(
                "select reason, count(*) from raw.raw_quarantine where source = 'queue_log'"
                " group by 1"
            ).fetchall()
        )
    for source, injected in (("queue_log", faults), ("cdr", simulated_run.faults.cdr)):
        ((_, read, loaded, quarantined, duplicates, header),) = _ledger(
            simulated_run.warehouse.serving_path, source
        )
        assert (quarantined, duplicates, header) == (
            injected.malformed_count,
            injected.duplicate_count,
            0,
        ), source
        assert read == loaded + quarantined + duplicates
    assert simulated_run.faults.cdr.duplicate_count + simulated_run.faults.cdr.malformed_count
    cut_short = "expected at least 5 '|'-separated fields (time|callid|queue|agent|event), found 3"
    garbled = [reason for reason in reasons if reason.startswith("time field '17x")]
    assert cut_short in reasons and garbled
    assert set(reasons) == {cut_short, *garbled}


def test_simulated_crm_and_survey_faults_are_accounted_for(simulated_run: SimulatedRun) -> None:
    """The simulated CRM export's file without an Id column is quarantined whole, its deletes
    and unknown column arrive as such, and the surveys off their scale are quarantined."""
    faults = simulated_run.faults
    serving = simulated_run.warehouse.serving_path
    crm = {name: counts for name, *counts in _ledger(serving, "crm")}
    quarantined = {name: c[2] for name, c in crm.items() if c[2]}
    assert quarantined == faults.crm.quarantined_files == {"Opportunity_bad.csv": 5}
    assert all(read == loaded + q + dup + 1 for read, loaded, q, dup, _ in crm.values())
    survey = _ledger(serving, "survey")
    assert sum(counts[3] for counts in survey) == faults.survey.out_of_range_count > 0
    with duckdb.connect(str(serving), read_only=True) as con:
        deleted = con.execute(
            "select distinct record_id from raw.crm_records where is_deleted order by 1"
        ).fetchall()
        unknown = con.execute(
            "select distinct object_name || '.'"
            " || unnest(from_json(unknown_columns, '[\"varchar\"]')) from raw.crm_records"
        ).fetchall()
    assert [r for (r,) in deleted] == sorted(faults.crm.deleted_record_ids)
    declared = {f"{o}.{c}" for o, cs in simulated_run.config.crm.custom_fields.items() for c in cs}
    assert {u for (u,) in unknown} - declared == faults.crm.unknown_columns


def test_rows_are_partitioned_by_center_local_day(tmp_path: Path) -> None:
    # 23:30 and 00:30 New York time around the midnight before DST ends (UTC-4 that night).
    late, early = (
        int(dt.datetime(2026, 11, 1, hour, 30, tzinfo=dt.UTC).timestamp()) for hour in (3, 4)
    )
    warehouse = make_warehouse(tmp_path)
    landing = Path(warehouse.landing_dir)
    landing.mkdir(parents=True)
    (landing / "queue_log").write_text(
        f"{late}|1.1|sales|NONE|ENTERQUEUE||5551234567|1\n{early}|1.1|sales|NONE|ABANDON|1|1|3600\n"
    )
    _ingest(warehouse)

    def partitions() -> tuple[list[tuple], list[tuple]]:
        with duckdb.connect(str(warehouse.build_path), read_only=True) as con:
            return (
                con.execute("select event, event_date from raw.queue_log order by 2").fetchall(),
                con.execute(
                    "select change_id, event_date from raw.partition_changes order by all"
                ).fetchall(),
            )

    rows, changes = partitions()
    assert rows == [("ENTERQUEUE", dt.date(2026, 10, 31)), ("ABANDON", dt.date(2026, 11, 1))]
    ((first_load, load_days),) = _by_change(changes)
    assert load_days == [dt.date(2026, 10, 31), dt.date(2026, 11, 1)]

    # The same center corrected to UTC: both rows move to 1 November, and both sources log
    # every day they hold as changed (raw.cdr is empty).
    utc_config = tmp_path / "utc.yml"
    utc_config.write_text(
        EXAMPLE_CONFIG.read_text().replace("timezone: America/New_York", "timezone: UTC")
    )
    _ingest(make_warehouse(tmp_path, utc_config))
    rows, changes = partitions()
    assert rows == [("ENTERQUEUE", dt.date(2026, 11, 1)), ("ABANDON", dt.date(2026, 11, 1))]
    (_, _), (repartition, days) = _by_change(changes)
    assert repartition > first_load and days == [dt.date(2026, 11, 1)]


def _by_change(changes: list[tuple]) -> list[tuple[int, list[dt.date]]]:
    """(change id, its days) per load, in order."""
    by_change: dict[int, list[dt.date]] = {}
    for change_id, day in changes:
        by_change.setdefault(change_id, []).append(day)
    return sorted(by_change.items())
