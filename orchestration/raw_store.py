"""Writes parsed source files into the raw layer of the build warehouse, with the ledger.

A file is identified by path and content hash: an unchanged file is skipped; a grown live log
(its old content is a prefix of the new) loads only its new complete lines; any other change
replaces everything that came from the earlier version (rows, quarantine, ledger entry).
Events already loaded from another file (overlapping rotated logs) count as duplicates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from orchestration.landing import LandingFile
from orchestration.sources.queue_log import ParsedQueueLog

if TYPE_CHECKING:
    import duckdb

QUEUE_LOG_SOURCE = "queue_log"
# Bump when raw_tables.sql changes: raw is rebuilt from the landing files, which are kept.
RAW_SCHEMA_VERSION = 2
_RAW_TABLES_SQL = Path(__file__).with_name("raw_tables.sql")
_EVENT_COLUMNS = [
    "event_hash",
    "line_number",
    "event_epoch",
    "callid",
    "queuename",
    "agent",
    "event",
    "data1",
    "data2",
    "data3",
    "data4",
    "data5",
    "data_extra",
    "extra_columns",
]


@dataclass(frozen=True)
class FileLedgerEntry:
    source_file: str
    lines_read: int
    loaded_count: int
    quarantined_count: int
    duplicate_count: int
    header_count: int = 0


@dataclass(frozen=True)
class IngestPlan:
    """One file to read: from `resume_offset` (0 = the whole file, replacing its past)."""

    file: LandingFile
    sha256: str
    resume_offset: int = 0
    first_line_number: int = 1

    @property
    def is_append(self) -> bool:
        return self.resume_offset > 0


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Creates the raw layer; rebuilds it from scratch when it was made by another schema
    version (or before versions were recorded)."""
    con.execute("create schema if not exists raw")
    con.execute("create table if not exists raw.schema_version (version integer)")
    stored = con.execute("select max(version) from raw.schema_version").fetchone()[0]
    tables = con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'raw'"
        " and table_name <> 'schema_version'"
    ).fetchone()[0]
    if tables and stored != RAW_SCHEMA_VERSION:
        con.execute("drop schema raw cascade")
        con.execute("create schema raw")
        con.execute("create table raw.schema_version (version integer)")
        stored = None
    con.execute(_RAW_TABLES_SQL.read_text())
    if stored is None:
        con.execute("insert into raw.schema_version values (?)", [RAW_SCHEMA_VERSION])


def plan_ingest(
    con: duckdb.DuckDBPyConnection, source: str, files: list[LandingFile]
) -> list[IngestPlan]:
    """The files to (re-)ingest, in the order to ingest them.

    New and changed files, then, if a known file was replaced, every other file whose events
    were counted as duplicates: their first copy may have gone with the old version.
    """
    ledger = {
        row[0]: row[1:]
        for row in con.execute(
            "select source_file, content_sha256, bytes_ingested, prefix_sha256, lines_read,"
            " duplicate_count from raw.ingest_files where source = ?",
            [source],
        ).fetchall()
    }
    plans: list[IngestPlan] = []
    replaced_any = False
    for file in files:
        data = file.path.read_bytes()
        sha256 = sha256_of(data)
        known = ledger.get(str(file.path))
        if known is None:
            plans.append(IngestPlan(file, sha256))
            continue
        content_sha256, bytes_ingested, prefix_sha256, lines_read, _ = known
        if content_sha256 == sha256:
            continue
        if (
            file.can_grow
            and 0 < bytes_ingested <= len(data)
            and (sha256_of(data[:bytes_ingested]) == prefix_sha256)
        ):
            plans.append(IngestPlan(file, sha256, bytes_ingested, lines_read + 1))
        else:
            plans.append(IngestPlan(file, sha256))
            replaced_any = True
    if replaced_any:
        planned = {p.file.path for p in plans}
        plans += [
            IngestPlan(file, sha256_of(file.path.read_bytes()))
            for file in files
            if file.path not in planned and (ledger.get(str(file.path)) or (0,) * 5)[4] > 0
        ]
    return plans


def load_queue_log_file(
    con: duckdb.DuckDBPyConnection,
    plan: IngestPlan,
    parsed: ParsedQueueLog,
    bytes_ingested: int,
    prefix_sha256: str,
) -> FileLedgerEntry:
    """Loads one parsed file (or the grown part of it) and its ledger entry, atomically."""
    import pandas as pd

    source_file = str(plan.file.path)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    events = pd.DataFrame(
        [
            (
                e.event_hash,
                e.line_number,
                e.event_epoch,
                e.callid,
                e.queuename,
                e.agent,
                e.event,
                *e.data,
                e.data_extra,
                e.extra_columns,
            )
            for e in parsed.events
        ],
        columns=_EVENT_COLUMNS,
    ).astype({"line_number": "int64", "event_epoch": "float64"})
    quarantine = pd.DataFrame(
        [(q.line_number, q.raw_text, q.reason) for q in parsed.quarantined],
        columns=["line_number", "raw_text", "reason"],
    ).astype({"line_number": "int64"})
    con.execute("begin transaction")
    try:
        previous = _take_ledger_entry(con, QUEUE_LOG_SOURCE, source_file, plan.is_append)
        con.register("parsed_events", events)
        loaded = con.execute(
            """
            insert into raw.queue_log
            select event_hash, ?, line_number, event_epoch,
                   make_timestamp(cast(round(event_epoch * 1000000) as bigint)),
                   callid, queuename, agent, event, data1, data2, data3, data4, data5,
                   data_extra, extra_columns
            from parsed_events
            where event_hash not in (select event_hash from raw.queue_log)
            """,
            [source_file],
        ).fetchone()[0]
        con.register("parsed_quarantine", quarantine)
        con.execute(
            "insert into raw.raw_quarantine select ?, ?, line_number, raw_text, reason, ?"
            " from parsed_quarantine",
            [QUEUE_LOG_SOURCE, source_file, now],
        )
        entry = FileLedgerEntry(
            source_file=source_file,
            lines_read=previous.lines_read + parsed.lines_read,
            loaded_count=previous.loaded_count + loaded,
            quarantined_count=previous.quarantined_count + len(parsed.quarantined),
            duplicate_count=previous.duplicate_count
            + parsed.duplicate_count
            + len(parsed.events)
            - loaded,
            header_count=previous.header_count + parsed.header_line_count,
        )
        con.execute(
            "insert into raw.ingest_files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                QUEUE_LOG_SOURCE,
                source_file,
                plan.sha256,
                bytes_ingested,
                prefix_sha256,
                entry.lines_read,
                entry.loaded_count,
                entry.quarantined_count,
                entry.duplicate_count,
                entry.header_count,
                now,
            ],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return entry


def _take_ledger_entry(
    con: duckdb.DuckDBPyConnection, source: str, source_file: str, keep_rows: bool
) -> FileLedgerEntry:
    """Removes the file's ledger entry and returns its counts (zero when new). Unless
    `keep_rows` (a grown file), also removes the rows its earlier version loaded."""
    row = con.execute(
        "select lines_read, loaded_count, quarantined_count, duplicate_count, header_count"
        " from raw.ingest_files where source = ? and source_file = ?",
        [source, source_file],
    ).fetchone()
    con.execute(
        "delete from raw.ingest_files where source = ? and source_file = ?", [source, source_file]
    )
    if row is not None and keep_rows:
        return FileLedgerEntry(source_file, *row)
    con.execute("delete from raw.queue_log where source_file = ?", [source_file])
    con.execute(
        "delete from raw.raw_quarantine where source = ? and source_file = ?",
        [source, source_file],
    )
    return FileLedgerEntry(source_file, 0, 0, 0, 0, 0)
