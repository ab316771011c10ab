"""Every real PBX sample of tests/fixtures/realdata, each alone in its own warehouse, under two
center configs: the run publishes, accounts for every line, and gets the figures the sample's
source states (or that are hand-computed from its few lines, below) right.

The `demo` config is config/example.yml without freshness limits (a sample is one source: the
others have no data to be fresh against); `utc` counts every abandon (`short_abandon_s: 0`), sets
a 10 s service level on the samples' queues and puts the center in UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
import yaml

from orchestration.console.summary import failure_lines
from orchestration.pipeline import run_warehouse_job
from tests.support import EXAMPLE_CONFIG, REALDATA, make_warehouse

pytestmark = pytest.mark.slow

# Every sample: each file of the folder but its SOURCES.md and licence texts.
SAMPLES = sorted(
    p.relative_to(REALDATA).as_posix()
    for p in REALDATA.rglob("*")
    if p.is_file() and p.name != "SOURCES.md" and p.relative_to(REALDATA).parts[0] != "LICENSES"
)
UTC_QUEUES = ["q01", "q02", "1501", "1509"]  # queues of the samples with figures below
UTC_SL_THRESHOLD_S = 10


def _config(name: str) -> dict:
    config = yaml.safe_load(EXAMPLE_CONFIG.read_text())
    config["quality"]["freshness"]["max_lag_hours"] = {}
    if name == "utc":
        config["center"].update(timezone="UTC", short_abandon_s=0)
        config["queues"] = [
            {"queue_id": q, "sl_threshold_s": UTC_SL_THRESHOLD_S} for q in UTC_QUEUES
        ]
    return config


def _landing_name(sample: str) -> str:
    """The name the landing folder knows the sample's kind by (orchestration/lib/landing.py)."""
    name = Path(sample).name
    if name == "Master.csv":
        return name
    if name.startswith("cdr"):
        return "cdr.csv"
    return "queue_log.csv" if name.endswith(".csv") else "queue_log"


def _lines(sample: str) -> int:
    return len((REALDATA / sample).read_bytes().splitlines())


# Per sample, its ledger where it is not every line loaded but duplicates: source, then lines
# read, loaded, quarantined, duplicates + header.
LEDGERS = {
    # The table export: a header and 1,000 rows with distinct ids (a few differ only by it).
    "pbxware-voipoffice/queue_log.original.csv": ("queue_log", 1001, 1000, 0, 1),
    # The same rows as a flat log, which has no row id: 12 lines repeat another exactly.
    "pbxware-voipoffice/queue_log.rebuilt": ("queue_log", 1000, 988, 0, 12),
    # The export's header, and 96 rows glued to their neighbour (no line break between them).
    "pbxware-voipoffice/cdr.original.csv": ("cdr", 774, 677, 96, 1),
    "asterisk-cdr-stadion/Master.csv": ("cdr", 84, 84, 0, 0),
    "asterisk-cdr-custom-lab/Master.csv": ("cdr", 14, 14, 0, 0),
}


def _issue_759(con: duckdb.DuckDBPyConnection, config: str) -> None:
    # The attended-transfer trap: the consult leg's uniqueid enters the second queue, yet the
    # caller (and so the call) is the first one; waits as logged (CONNECT data1).
    stints = con.execute(
        "select queue_id, outcome, wait_seconds, is_transferred, caller_number"
        " from marts.fct_queue_stints where call_id in"
        " ('1717397243.239826', '1717397390.239830') order by arrived_at"
    ).fetchall()
    assert stints == [
        ("1501", "answered", 12, True, "5249111054"),
        ("1509", "answered", 7, False, "5249111054"),
    ]
    # Within the service level: both under the default 20 s; under `utc`'s 10 s only the 7 s.
    within = con.execute(
        "select queue_id, sum(answered_within_sl_count) from marts.mart_queue_kpis_15m"
        " group by 1 order by 1"
    ).fetchall()
    assert within == (
        [("1501", 1), ("1509", 1)] if config == "demo" else [("1501", 0), ("1509", 1)]
    )


def _per_queue_hour(con: duckdb.DuckDBPyConnection, columns: str) -> list[tuple]:
    return con.execute(
        f"select queue_id, arrival_hour_local, {columns} from marts.mart_queue_kpis_15m"
        " group by 1, 2 order by 1, 2"
    ).fetchall()


# The Wazo statistics scenarios: six calls arriving on 2012-07-01 at 08:00:00 UTC (two into q01,
# one into q02), 08:59:59, 09:00:00 and 09:59:59 UTC (q01), i.e. 04:00 and 05:00 in New York.
def _hours(config: str) -> tuple[int, int]:
    return (8, 9) if config == "utc" else (4, 5)


def _wazo_answered(con: duckdb.DuckDBPyConnection, config: str) -> None:
    # Every call answered after 3 s (CONNECT data1), whatever the CONNECT's own time.
    first, second = _hours(config)
    assert _per_queue_hour(con, "sum(offered_count), sum(answered_count)") == [
        ("q01", first, 3, 3),
        ("q01", second, 2, 2),
        ("q02", first, 1, 1),
    ]


def _wazo_abandoned(con: duckdb.DuckDBPyConnection, config: str) -> None:
    # Waits as logged (ABANDON data3): 4 and 5 s, then 2 s (q01, first hour), 3 s (q02), 4 and
    # 2 s (q01, second hour). With the demo's short_abandon_s of 5 only the 5 s wait is an
    # abandon (the rest are short abandons, not offered); with 0 every one is.
    first, second = _hours(config)
    columns = "sum(stint_count), sum(abandoned_count), sum(short_abandoned_count)"
    assert _per_queue_hour(con, columns) == (
        [("q01", first, 3, 1, 2), ("q01", second, 2, 0, 2), ("q02", first, 1, 0, 1)]
        if config == "demo"
        else [("q01", first, 3, 3, 0), ("q01", second, 2, 2, 0), ("q02", first, 1, 1, 0)]
    )


def _wazo_partial_answered(con: duckdb.DuckDBPyConnection, config: str) -> None:
    # Wazo's "partial answered call logs": q01 holds only a COMPLETEAGENT (wait 12 s, talk 6 s)
    # at 11:05:00 UTC, rebuilt as one answered stint of agent 1001 that arrived at 11:04:42;
    # wazo-acceptance asserts q01 11h-12h received 1, answered 1. q00's lone ENTERQUEUE stays
    # in the queue (offered, no outcome yet).
    assert con.execute(
        "select agent_id, wait_seconds, is_reconstructed, arrived_at from marts.fct_queue_stints"
        " where queue_id = 'q01'"
    ).fetchall() == [("1001", 12, True, datetime(2012, 7, 1, 11, 4, 42))]
    q01 = ("q01", 11 if config == "utc" else 7, 1, 1)
    assert _per_queue_hour(con, "sum(offered_count), sum(answered_count)")[-1] == q01


FIGURES: dict[str, Callable[[duckdb.DuckDBPyConnection, str], None]] = {
    "asterisk-issue-759/queue_log": _issue_759,
    "wazo-xivo-stats/queue/02_generate_stats_for_received_abandoned_calls.queue_log": (
        _wazo_abandoned
    ),
    "wazo-xivo-stats/queue/03_generate_stats_for_received_answered_calls.queue_log": (
        _wazo_answered
    ),
    "wazo-xivo-stats/queue/09_generate_stats_for_partial_answered_call_logs.queue_log": (
        _wazo_partial_answered
    ),
}

# `make test` runs the samples with figures above under both configs (their figures differ by
# config), and the ledgers' files and the xivo-dao wrap-up and pause-merge scenarios under the
# demo config (their counts do not). `make realdata` runs every sample under both (about an
# hour on two cores): each run costs about a minute, mostly dbt and GX per-run overhead.
CI_RUNS = {
    *((sample, config) for sample in FIGURES for config in ("demo", "utc")),
    *((sample, "demo") for sample in LEDGERS),
    ("wazo-xivo-dao/H_wrapup_times.queue_log", "demo"),
    ("wazo-xivo-dao/J5_pause_merge_queue_and_all.queue_log", "demo"),
}


@pytest.mark.parametrize(
    ("sample", "config"),
    [
        pytest.param(s, c, marks=() if (s, c) in CI_RUNS else pytest.mark.matrix)
        for s in SAMPLES
        for c in ("demo", "utc")
    ],
)
def test_real_sample_publishes_and_accounts_for_every_line(
    tmp_path: Path, sample: str, config: str
) -> None:
    (tmp_path / "center.yml").write_text(yaml.safe_dump(_config(config)))
    warehouse = make_warehouse(tmp_path, tmp_path / "center.yml")
    landing = Path(warehouse.landing_dir)
    landing.mkdir()
    (landing / _landing_name(sample)).write_bytes((REALDATA / sample).read_bytes())

    result = run_warehouse_job(warehouse)

    assert result.success, "\n".join(failure_lines(warehouse, result))
    with duckdb.connect(str(warehouse.serving_path), read_only=True) as con:
        ((source, files, read, loaded, quarantined, other),) = con.execute(
            "select source, count(*), sum(lines_read), sum(loaded_count),"
            " sum(quarantined_count), sum(duplicate_count) + sum(header_count)"
            " from raw.ingest_files group by 1"
        ).fetchall()
        assert (files, loaded + quarantined + other) == (1, read)
        if sample in LEDGERS:
            assert (source, read, loaded, quarantined, other) == LEDGERS[sample]
        else:  # a queue_log: every line read, none malformed
            assert (source, read, quarantined) == ("queue_log", _lines(sample), 0)
        # Every stint (test calls aside) has one outcome in the queue mart.
        stints, summed = con.execute(
            "select (select count(*) from marts.fct_queue_stints where not is_test_call),"
            " (select coalesce(sum(stint_count), 0) from marts.mart_queue_kpis_15m)"
        ).fetchone()
        assert stints == summed
        if sample in FIGURES:
            FIGURES[sample](con, config)
