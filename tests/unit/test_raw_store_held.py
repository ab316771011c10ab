"""Shrinking is not deleting: a PBX file that lost what it had is held (its earlier rows,
quarantine and ledger kept), unless it grew, was rotated (found by content) or its content
was accepted; a CRM export never deletes by absence."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from orchestration.lib.acceptances import accepted_contents, read_acceptances, record_acceptance
from orchestration.lib.landing import cdr_files, crm_files, queue_log_files
from orchestration.lib.raw_loader import cdr_rows, ingest_source, queue_log_rows, record_rows
from orchestration.lib.raw_store import (
    CDR,
    CRM,
    QUEUE_LOG,
    HeldFile,
    PartitionZones,
    RawSource,
    ensure_raw_tables,
    plan_ingest,
    planned_text,
    sha256_of,
)
from orchestration.sources.cdr import parse_cdr
from orchestration.sources.crm import CrmRecord, parse_crm_export
from orchestration.sources.queue_log import parse_queue_log
from tests.support import REALDATA

ZONES = PartitionZones(center_zone="UTC", pbx_zone="UTC")
LOG_LINES = [
    b"1762088400|1762088400.1|sales|NONE|ENTERQUEUE||5551234567|1\n",
    b"1762088430|1762088400.1|sales|NONE|ABANDON|1|1|30\n",
    b"1762088460|1762088460.2|sales|NONE|ENTERQUEUE||5559876543|1\n",
    b"1762088470|1762088460.2|sales|NONE|ABANDON|1|1|10\n",
]
CDR_LINES = (REALDATA / "asterisk-cdr-stadion" / "Master.csv").read_bytes().splitlines(True)[:3]
USERS = (
    "Id,Name,Department,SystemModstamp\n"
    "005A1,Ann Lee,Support East,2026-11-01T08:00:00Z\n"
    "005A2,Bo Chen,Sales West,2026-11-01T08:00:00Z\n"
)


def _ingest(
    con: duckdb.DuckDBPyConnection,
    landing: Path,
    source: RawSource,
    accepted: frozenset = frozenset(),
) -> list[HeldFile]:
    readers: dict[str, tuple[Callable, Callable, Callable]] = {
        "queue_log": (
            queue_log_files,
            lambda lines, plan: parse_queue_log(lines, plan.first_line_number),
            queue_log_rows,
        ),
        "cdr": (cdr_files, lambda lines, plan: parse_cdr(lines, plan.first_line_number), cdr_rows),
        "crm": (
            crm_files,
            lambda lines, plan: parse_crm_export(lines, plan.file.path.name),
            record_rows(CrmRecord),
        ),
    }
    files, parse, rows = readers[source.name]
    _, held = ingest_source(con, source, files(landing), parse, rows, ZONES, accepted)
    return held


def _state(con: duckdb.DuckDBPyConnection, source: RawSource) -> tuple[list, list]:
    """Per file: (name, lines read, loaded) in the ledger and rows in raw; held files."""
    ledger = con.execute(
        "select source_file, lines_read, loaded_count from raw.ingest_files"
        " where source = ? order by 1",
        [source.name],
    ).fetchall()
    rows = dict(
        con.execute(f"select source_file, count(*) from {source.table} group by 1").fetchall()
    )
    held = con.execute(
        "select source_file, bytes_before, lines_before, bytes_now, lines_now, change"
        " from raw.held_files where source = ? order by 1",
        [source.name],
    ).fetchall()
    return (
        [(Path(f).name, read, loaded, rows.get(f, 0)) for f, read, loaded in ledger],
        [(Path(f).name, *rest) for f, *rest in held],
    )


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    with duckdb.connect() as connection:
        ensure_raw_tables(connection)
        yield connection


@pytest.mark.parametrize(
    ("now", "change"),
    [
        (b"", "emptied"),  # copytruncate without a rotated copy, a failed sync
        (b"".join(LOG_LINES[:2]), "truncated or rewritten shorter"),
        (
            LOG_LINES[0] + LOG_LINES[1].replace(b"|30", b"|31") + b"".join(LOG_LINES[2:]),
            "edited (its loaded lines changed)",
        ),
    ],  # fmt: skip
    ids=["emptied", "truncated", "edited"],
)
def test_a_live_log_that_lost_what_it_had_is_held(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, now: bytes, change: str
) -> None:
    log = tmp_path / "queue_log"
    log.write_bytes(b"".join(LOG_LINES))
    assert _ingest(con, tmp_path, QUEUE_LOG) == []
    log.write_bytes(now)
    (held,) = _ingest(con, tmp_path, QUEUE_LOG)
    ledger, held_rows = _state(con, QUEUE_LOG)
    # The earlier load stays whole: 4 lines read, 4 loaded, 4 rows in raw.
    assert ledger == [("queue_log", 4, 4, 4)]
    assert held_rows == [("queue_log", 220, 4, len(now), len(now.splitlines()), change)]
    assert held.message.startswith(
        f"{log}: held, not loaded: {change}: it had 4 lines (220 bytes) loaded, now"
    )
    # Held again on the next run, not loaded nor forgotten.
    assert len(_ingest(con, tmp_path, QUEUE_LOG)) == 1
    assert _state(con, QUEUE_LOG)[0] == [("queue_log", 4, 4, 4)]


def test_an_emptied_cdr_file_is_held_and_its_return_releases_it(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    master = tmp_path / "Master.csv"
    master.write_bytes(b"".join(CDR_LINES))
    _ingest(con, tmp_path, CDR)
    master.write_bytes(b"")
    (held,) = _ingest(con, tmp_path, CDR)
    assert (held.lines_before, held.lines_now, held.bytes_now, held.change) == (3, 0, 0, "emptied")
    assert _state(con, CDR)[0] == [("Master.csv", 3, 3, 3)]
    # The sync is repaired: the same content again is unchanged, and nothing is held.
    master.write_bytes(b"".join(CDR_LINES))
    assert _ingest(con, tmp_path, CDR) == []
    assert _state(con, CDR) == ([("Master.csv", 3, 3, 3)], [])


def test_a_grown_cdr_file_is_read_again_not_held(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    master = tmp_path / "Master.csv"
    master.write_bytes(b"".join(CDR_LINES[:2]))
    _ingest(con, tmp_path, CDR)
    master.write_bytes(b"".join(CDR_LINES))
    assert _ingest(con, tmp_path, CDR) == []
    assert _state(con, CDR) == ([("Master.csv", 3, 3, 3)], [])


def test_a_grown_live_log_loads_its_new_lines(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    log = tmp_path / "queue_log"
    log.write_bytes(b"".join(LOG_LINES[:2]))
    _ingest(con, tmp_path, QUEUE_LOG)
    log.write_bytes(b"".join(LOG_LINES))
    assert _ingest(con, tmp_path, QUEUE_LOG) == []
    assert _state(con, QUEUE_LOG) == ([("queue_log", 4, 4, 4)], [])


@pytest.mark.parametrize("compressed", [False, True], ids=["queue_log.1", "queue_log.1.gz"])
def test_a_rotation_found_by_content_is_not_held(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, compressed: bool
) -> None:
    log = tmp_path / "queue_log"
    log.write_bytes(b"".join(LOG_LINES[:3]))
    _ingest(con, tmp_path, QUEUE_LOG)
    # logrotate: the old log (grown by one more line) moves away, a fresh short one starts.
    rotated = b"".join(LOG_LINES)
    if compressed:
        (tmp_path / "queue_log.1.gz").write_bytes(gzip.compress(rotated))
    else:
        (tmp_path / "queue_log.1").write_bytes(rotated)
    log.write_bytes(b"1762088500|1762088500.3|sales|NONE|ENTERQUEUE||5550000000|1\n")
    assert _ingest(con, tmp_path, QUEUE_LOG) == []
    name = "queue_log.1.gz" if compressed else "queue_log.1"
    # The fresh log replaced the old one's rows; the rotated copy holds all four again.
    assert _state(con, QUEUE_LOG) == ([("queue_log", 1, 1, 1), (name, 4, 4, 4)], [])


def test_a_cdr_rotated_to_a_name_sorting_first_keeps_every_row(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    # Regression: the rotated copy, planned first, counted its rows as duplicates of the rows
    # the rotation of Master.csv then removed.
    master = tmp_path / "Master.csv"
    master.write_bytes(b"".join(CDR_LINES[:2]))
    _ingest(con, tmp_path, CDR)
    master.rename(tmp_path / "Master-20261101.csv")
    master.write_bytes(CDR_LINES[2])
    assert _ingest(con, tmp_path, CDR) == []
    assert _state(con, CDR) == ([("Master-20261101.csv", 2, 2, 2), ("Master.csv", 1, 1, 1)], [])


def test_an_accepted_content_replaces_the_earlier_version(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse"
    landing.mkdir()
    master = landing / "Master.csv"
    master.write_bytes(b"".join(CDR_LINES))
    _ingest(con, landing, CDR)
    master.write_bytes(CDR_LINES[0])
    assert len(_ingest(con, landing, CDR)) == 1
    # Another content of the same file accepted earlier does not count.
    record_acceptance(warehouse, "Master.csv", sha256_of(b"other"), "an older correction")
    assert len(_ingest(con, landing, CDR, accepted_contents(warehouse, landing))) == 1
    record_acceptance(warehouse, "Master.csv", sha256_of(CDR_LINES[0]), "a correction")
    assert _ingest(con, landing, CDR, accepted_contents(warehouse, landing)) == []
    assert _state(con, CDR) == ([("Master.csv", 1, 1, 1)], [])


def test_an_accepted_content_coming_back_later_is_held_again(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    # Regression: an acceptance of the empty content stood for every later emptying.
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse"
    landing.mkdir()
    master = landing / "Master.csv"
    master.write_bytes(b"".join(CDR_LINES))
    _ingest(con, landing, CDR)
    master.write_bytes(b"")
    assert len(_ingest(con, landing, CDR)) == 1
    record_acceptance(warehouse, "Master.csv", sha256_of(b""), "held (emptied)")
    assert _ingest(con, landing, CDR, accepted_contents(warehouse, landing)) == []
    master.write_bytes(b"".join(CDR_LINES))  # the PBX writes again ...
    _ingest(con, landing, CDR, accepted_contents(warehouse, landing))
    master.write_bytes(b"")  # ... and a failed sync empties it again
    assert len(_ingest(con, landing, CDR, accepted_contents(warehouse, landing))) == 1
    assert _state(con, CDR)[0] == [("Master.csv", 3, 3, 3)]


def test_accepted_contents_are_dated_by_their_latest_acceptance(tmp_path: Path) -> None:
    first = record_acceptance(tmp_path, "crm/User.csv", "ab" * 32, "held (emptied)")
    again = record_acceptance(tmp_path, "crm/User.csv", "ab" * 32, "held (emptied)")
    assert read_acceptances(tmp_path) == [first, again]
    ((key, at),) = accepted_contents(tmp_path, Path("/landing")).items()
    assert key == ("/landing/crm/User.csv", "ab" * 32)
    assert at.isoformat() == again.accepted_at.removesuffix("+00:00")


def test_a_header_only_crm_export_keeps_its_records(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    users = tmp_path / "crm" / "User.csv"
    users.parent.mkdir()
    users.write_text(USERS)
    _ingest(con, tmp_path, CRM)
    # A failed export: the header alone. Then one record updated, the other missing.
    users.write_text(USERS.splitlines(True)[0])
    assert _ingest(con, tmp_path, CRM) == []
    users.write_text(USERS.splitlines(True)[0] + "005A1,Ann Lee,Sales West,2026-11-05T08:00:00Z\n")
    _ingest(con, tmp_path, CRM)
    records = con.execute(
        "select record_id, version_at::varchar, json_extract_string(fields, 'Department')"
        " from raw.crm_records order by all"
    ).fetchall()
    assert records == [
        ("005A1", "2026-11-01 08:00:00", "Support East"),
        ("005A1", "2026-11-05 08:00:00", "Sales West"),
        ("005A2", "2026-11-01 08:00:00", "Sales West"),
    ]
    # Each row knows its load: of two equal versions, the later load wins downstream.
    (latest,) = con.execute(
        "select version_at::varchar from raw.crm_records"
        " where loaded_at = (select max(loaded_at) from raw.crm_records)"
    ).fetchone()
    assert latest == "2026-11-05 08:00:00"
    # Every line of the three versions accounted for: 3 + 1 + 2 read, 3 headers, 3 loaded.
    ledger = con.execute(
        "select lines_read, loaded_count, quarantined_count, duplicate_count, header_count"
        " from raw.ingest_files"
    ).fetchall()
    assert ledger == [(6, 3, 0, 0, 3)]


def test_a_file_is_read_as_it_was_planned(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    # Regression: the loader read the file again after planning it, so a copytruncate between
    # the two loaded an emptied file as its new version.
    master = tmp_path / "Master.csv"
    master.write_bytes(b"".join(CDR_LINES[:2]))
    (plan,), _ = plan_ingest(con, CDR, cdr_files(tmp_path))
    master.write_bytes(b"".join(CDR_LINES))  # the PBX appended meanwhile: read as planned
    assert planned_text(plan) == b"".join(CDR_LINES[:2])
    master.write_bytes(b"")  # emptied meanwhile: not read now, judged by the next run
    assert planned_text(plan) is None
    master.unlink()  # gone meanwhile
    assert planned_text(plan) is None
