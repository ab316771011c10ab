"""Writes parsed source files into the raw layer of the build warehouse, with the ledger.

A file is identified by path and content hash: an unchanged file is skipped, a changed one
replaces everything that came from its earlier version (rows, quarantine, ledger entry).
Lines already loaded from another file (overlapping rotated logs) count as duplicates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from orchestration.sources.queue_log import ParsedQueueLog

if TYPE_CHECKING:
    import duckdb

QUEUE_LOG_SOURCE = "queue_log"
_RAW_TABLES_SQL = Path(__file__).with_name("raw_tables.sql")


@dataclass(frozen=True)
class FileLedgerEntry:
    source_file: str
    lines_read: int
    loaded_count: int
    quarantined_count: int
    duplicate_count: int


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(_RAW_TABLES_SQL.read_text())


def files_to_ingest(
    con: duckdb.DuckDBPyConnection, source: str, files: list[Path]
) -> list[tuple[Path, str]]:
    """(path, sha256) of the files to (re-)ingest, in the order to ingest them.

    New and changed files, then, if a known file changed, every other file whose lines were
    counted as duplicates: their first copy may have gone with the old version.
    """
    known = dict(
        con.execute(
            "select source_file, content_sha256 from raw.ingest_files where source = ?", [source]
        ).fetchall()
    )
    hashes = {path: file_sha256(path) for path in files}
    changed = [path for path in files if known.get(str(path)) != hashes[path]]
    if any(str(path) in known for path in changed):
        holders = {
            row[0]
            for row in con.execute(
                "select source_file from raw.ingest_files where source = ? and duplicate_count > 0",
                [source],
            ).fetchall()
        }
        changed += [path for path in files if str(path) in holders and path not in changed]
    return [(path, hashes[path]) for path in changed]


def load_queue_log_file(
    con: duckdb.DuckDBPyConnection, path: Path, sha256: str, parsed: ParsedQueueLog
) -> FileLedgerEntry:
    """Replaces the file's earlier version, if any, by `parsed`, in one transaction."""
    import pandas as pd

    source_file = str(path)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute("begin transaction")
    try:
        _forget_file(con, QUEUE_LOG_SOURCE, source_file, "raw.queue_log")
        con.register(
            "events",
            pd.DataFrame(
                [
                    (
                        e.line_hash,
                        source_file,
                        e.line_number,
                        e.event_epoch,
                        e.callid,
                        e.queuename,
                        e.agent,
                        e.event,
                        *e.data,
                        e.data_extra,
                    )
                    for e in parsed.events
                ],
                columns=[
                    "line_hash",
                    "source_file",
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
                ],
            ).astype({"line_number": "int64", "event_epoch": "float64"}),
        )
        loaded = con.execute(
            """
            insert into raw.queue_log
            select line_hash, source_file, line_number, event_epoch,
                   make_timestamp(cast(round(event_epoch * 1000000) as bigint)),
                   callid, queuename, agent, event, data1, data2, data3, data4, data5, data_extra
            from events
            where line_hash not in (select line_hash from raw.queue_log)
            """
        ).fetchone()[0]
        con.register(
            "quarantine",
            pd.DataFrame(
                [(q.line_number, q.raw_text, q.reason) for q in parsed.quarantined],
                columns=["line_number", "raw_text", "reason"],
            ).astype({"line_number": "int64"}),
        )
        con.execute(
            "insert into raw.raw_quarantine select ?, ?, line_number, raw_text, reason, ? "
            "from quarantine",
            [QUEUE_LOG_SOURCE, source_file, now],
        )
        entry = FileLedgerEntry(
            source_file=source_file,
            lines_read=parsed.lines_read,
            loaded_count=loaded,
            quarantined_count=len(parsed.quarantined),
            duplicate_count=parsed.duplicate_count + len(parsed.events) - loaded,
        )
        con.execute(
            "insert into raw.ingest_files values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                QUEUE_LOG_SOURCE,
                source_file,
                sha256,
                entry.lines_read,
                entry.loaded_count,
                entry.quarantined_count,
                entry.duplicate_count,
                now,
            ],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return entry


def _forget_file(con: duckdb.DuckDBPyConnection, source: str, source_file: str, table: str) -> None:
    con.execute(f"delete from {table} where source_file = ?", [source_file])
    con.execute(
        "delete from raw.raw_quarantine where source = ? and source_file = ?",
        [source, source_file],
    )
    con.execute(
        "delete from raw.ingest_files where source = ? and source_file = ?", [source, source_file]
    )
