"""The fault catalogue: attacks on the landing folder that the ingest withstands, kept tested so
that a rewrite of the ingest keeps every one (issue 18). Each lands a small real sample with one
fault, ingests it through the Dagster assets, and asserts where every line went: loaded,
quarantined with its reason, or counted as a duplicate.

Elsewhere: survey scores off their scale (test_survey_ingest), a grown log's half-written line
and a rotated copy (test_ingest), two runs at once (unit test_run_lock, test_launched_run_lock),
a killed pipeline, a failed export and a reader holding serving open, with the eight cases that
did not hold (test_hostile_landing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, AssetSelection

from orchestration.pipeline import run_warehouse_job
from tests.support import REALDATA, make_warehouse

pytestmark = pytest.mark.slow

QUEUE_LOG = (REALDATA / "asterisk-issue-759" / "queue_log").read_bytes()
CDR = (REALDATA / "asterisk-cdr-stadion" / "Master.csv").read_bytes()
RAW_ASSETS = AssetSelection.assets(
    AssetKey(["raw", "queue_log"]), AssetKey(["raw", "cdr"]), AssetKey(["raw", "survey_responses"])
)
INJECTION_QUEUE = "q'); drop table raw.queue_log; --"
INJECTION_AGENT = 'PJSIP/<script>alert("x")</script>'
FIELDS_EXPECTED = "expected at least 5 '|'-separated fields (time|callid|queue|agent|event)"


@dataclass(frozen=True)
class Fault:
    # landing file name -> its bytes, per ingest (a fault may need a second look at a file)
    ingests: tuple[dict[str, bytes], ...]
    # file name -> (lines read, loaded, quarantined, duplicates, header lines) after the last
    ledger: dict[str, tuple[int, int, int, int, int]]
    # (file name, line number, reason) of every quarantined line
    quarantined: list[tuple[str, int, str]]
    # a further assertion on the build warehouse, if any
    check: Callable[[duckdb.DuckDBPyConnection], None] | None = None


def _names_stored_literally(con: duckdb.DuckDBPyConnection) -> None:
    names = con.execute("select distinct queuename, agent from raw.queue_log").fetchall()
    assert names == [(INJECTION_QUEUE, INJECTION_AGENT)]


_CDR_LINES = CDR.splitlines(keepends=True)
_CUT = _CDR_LINES[-1].index(b'"Caller') + 5  # inside the quoted caller id of the last line

FAULTS = {
    "random binary appended to a log": Fault(
        # Its bytes split at \n and \r into five lines; the fourth repeats the second.
        ({"queue_log": QUEUE_LOG + bytes(range(256)) * 2 + b"\n"},),
        {"queue_log": (13, 8, 4, 1, 0)},
        [
            ("queue_log", 9, f"{FIELDS_EXPECTED}, found 1"),
            ("queue_log", 10, "empty line"),
            ("queue_log", 11, f"{FIELDS_EXPECTED}, found 2"),
            ("queue_log", 13, f"{FIELDS_EXPECTED}, found 2"),
        ],
    ),
    "a line of 30 fields": Fault(
        (
            {
                "queue_log": QUEUE_LOG
                + b"1717397600|1717397600.1|1501|NONE|ENTERQUEUE"
                + b"|x" * 25
                + b"\n"
            },
        ),  # fmt: skip
        {"queue_log": (9, 9, 0, 0, 0)},  # a caller's entry: the extra fields are not read
        [],
    ),
    "a CDR line cut mid-quote, completed later": Fault(
        (
            {"Master.csv": b"".join(_CDR_LINES[:-1]) + _CDR_LINES[-1][:_CUT]},
            {"Master.csv": CDR},
        ),
        {"Master.csv": (len(_CDR_LINES), len(_CDR_LINES), 0, 0, 0)},
        [],
    ),
    "the same log under a second name": Fault(
        ({"queue_log": QUEUE_LOG, "queue_log.bak": QUEUE_LOG},),
        {"queue_log": (8, 8, 0, 0, 0), "queue_log.bak": (8, 0, 0, 8, 0)},
        [],
    ),
    "injection-looking queue and agent names": Fault(
        (
            {
                "queue_log": f"1717397600|1717397600.1|{INJECTION_QUEUE}|{INJECTION_AGENT}|"
                "ADDMEMBER|\n".encode()
            },
        ),  # fmt: skip
        {"queue_log": (1, 1, 0, 0, 0)},
        [],
        _names_stored_literally,
    ),
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_fault_is_withstood(tmp_path: Path, name: str) -> None:
    fault = FAULTS[name]
    warehouse = make_warehouse(tmp_path)
    landing = Path(warehouse.landing_dir)
    landing.mkdir(parents=True)
    for files in fault.ingests:
        for file_name, data in files.items():
            (landing / file_name).write_bytes(data)
        result = run_warehouse_job(warehouse, selection=RAW_ASSETS)
        assert result.success, [e.message for e in result.all_events if e.is_failure]

    with duckdb.connect(str(warehouse.build_path), read_only=True) as con:
        ledger = con.execute(
            "select source_file, lines_read, loaded_count, quarantined_count, duplicate_count,"
            " header_count from raw.ingest_files"
        ).fetchall()
        quarantined = con.execute(
            "select source_file, line_number, reason from raw.raw_quarantine order by all"
        ).fetchall()
        if fault.check:
            fault.check(con)
    assert {Path(f).name: tuple(counts) for f, *counts in ledger} == fault.ledger
    assert [(Path(f).name, n, reason) for f, n, reason in quarantined] == fault.quarantined
    for file_name, (lines, loaded, bad, duplicates, headers) in fault.ledger.items():
        assert lines == loaded + bad + duplicates + headers, file_name
