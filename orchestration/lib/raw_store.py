"""Writes parsed source files into the raw layer of the build warehouse, with the ledger.

A file is identified by path and content hash: an unchanged file is skipped; a grown live log
(its old content is a prefix of the new) loads only its new complete lines, another grown PBX
file is read again whole. Shrinking is not deleting: a PBX file that lost bytes or lines it had
(emptied, truncated, rewritten shorter or edited) is held, its earlier rows, quarantine and
ledger entry kept, and recorded in raw.held_files (a blocking check names it), unless its
earlier content now starts another landing file (a rotation, found by content) or its current
content was accepted (`python -m orchestration.landing accept`, orchestration/lib/acceptances):
then it replaces everything its earlier version loaded. A changed CRM or survey export never
deletes by absence: its records are merged into the earlier version's rows (only IsDeleted
deletes, downstream). Rows already loaded from another file (overlapping rotated logs) count
as duplicates.

Raw rows are partitioned by the center-local day they belong to (`event_date`). Every load
records the days whose rows it added or removed in raw.partition_changes, so that dbt
re-materialises only those days (see int_queue_stints_paired).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from orchestration.lib.landing import LandingFile
from orchestration.sources.parsed import ParsedFile

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

# Bump when raw_tables.sql or a row's identity (its key column's value) changes, or when a
# parser reads the same bytes into other rows (a file known by its hash is not read again):
# raw is rebuilt from the landing files, which are kept. 8: CSV records split at an unbalanced
# quote, files with a byte-order mark, CRM objects by a word of the file name, refused links.
# 9: raw.held_files (PBX files that shrank are held, not replaced); CRM and survey exports
# merge, their rows with loaded_at. 10: events outside the center's plausible times (before
# data_start, or past the load time by more than future_tolerance_hours) are quarantined, not
# loaded (orchestration/lib/plausibility).
RAW_SCHEMA_VERSION = 10
_RAW_TABLES_SQL = Path(__file__).with_name("raw_tables.sql")
# The center-local day is defined once, in dbt's macros: to_center_local (and
# pbx_local_to_utc for the CDR's wall-clock times). A source's partition expression calls
# them, rendered here with Jinja from the macro files themselves (the zones as dbt's vars),
# so a raw row's day is the day dbt gives its event.
_DBT_MACROS = Path(__file__).resolve().parents[2] / "dbt_project" / "macros"
_LOCAL_DAY_MACROS = ("to_center_local.sql", "pbx_local_to_utc.sql")


@dataclass(frozen=True)
class RawSource:
    """A source's raw table, the column that identifies a row (exact duplicates share it) and
    its event time in UTC: a Jinja expression whose value is the SQL, over the dbt macros in
    _LOCAL_DAY_MACROS (their DuckDB implementations). The event time decides the row's
    partition, its center-local day, and whether the event is plausible (plausibility.py)."""

    name: str
    table: str
    key_column: str
    event_at_jinja: str
    # An export of records (CRM, surveys): a changed file adds and updates records, and the
    # records its new version lacks keep their rows. Else (the PBX's logs) a file that shrank
    # is held until accepted.
    merges_versions: bool = False

    @property
    def event_at_sql(self) -> str:
        return f"{{{{ {self.event_at_jinja} }}}}"

    @property
    def event_date_sql(self) -> str:
        return f"cast({{{{ duckdb__to_center_local({self.event_at_jinja}) }}}} as date)"


QUEUE_LOG = RawSource("queue_log", "raw.queue_log", "event_hash", "'event_at'")
# The CDR's times are the PBX's wall clock.
CDR = RawSource("cdr", "raw.cdr", "line_hash", "duckdb__pbx_local_to_utc('start_local')")
CRM = RawSource("crm", "raw.crm_records", "record_hash", "'version_at'", merges_versions=True)
SURVEY = RawSource(
    "survey", "raw.survey_responses", "response_hash", "'submitted_at'", merges_versions=True
)
RAW_SOURCES = (QUEUE_LOG, CDR, CRM, SURVEY)


@dataclass(frozen=True)
class PartitionZones:
    """The IANA zones that decide a raw row's local day (orchestration.lib.center_config)."""

    center_zone: str
    pbx_zone: str

    def event_date_sql(self, source: RawSource) -> str:
        return self._render(source.event_date_sql)

    def event_at_sql(self, source: RawSource) -> str:
        """A row's event time, naive UTC."""
        return self._render(source.event_at_sql)

    def _render(self, template_text: str) -> str:
        import jinja2

        macros = "".join((_DBT_MACROS / name).read_text("utf-8") for name in _LOCAL_DAY_MACROS)
        dbt_vars = {"timezone": self.center_zone, "pbx_timezone": self.pbx_zone}
        template = jinja2.Environment().from_string(macros + template_text)
        return template.render(var=dbt_vars.__getitem__).strip()


@dataclass(frozen=True)
class FileLedgerEntry:
    source_file: str
    lines_read: int
    loaded_count: int
    quarantined_count: int
    duplicate_count: int
    header_count: int = 0
    # Local days whose raw rows this load added or removed.
    changed_dates: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class IngestPlan:
    """One file to read: from `resume_offset` (0 = the whole file, replacing its past unless
    `merges`: a changed export of records, added to its earlier version's rows). `sha256` and
    `size` are of the bytes on disk when planned (planned_text reads those)."""

    file: LandingFile
    sha256: str
    size: int
    resume_offset: int = 0
    first_line_number: int = 1
    merges: bool = False

    @property
    def is_append(self) -> bool:
        return self.resume_offset > 0

    @property
    def keeps_earlier_rows(self) -> bool:
        return self.is_append or self.merges


@dataclass(frozen=True)
class HeldFile:
    """A PBX file that lost bytes or lines it had: not read, its earlier load kept."""

    source_file: str
    sha256: str
    bytes_before: int
    lines_before: int
    bytes_now: int
    lines_now: int

    @property
    def change(self) -> str:
        if self.bytes_now == 0:
            return "emptied"
        if self.bytes_now < self.bytes_before:
            return "truncated or rewritten shorter"
        return "edited (its loaded lines changed)"

    @property
    def message(self) -> str:
        return (
            f"{self.source_file}: held, not loaded: {self.change}: it had"
            f" {self.lines_before:,} lines ({self.bytes_before:,} bytes) loaded, now"
            f" {self.lines_now:,} lines ({self.bytes_now:,} bytes); its earlier rows are kept"
            " until `python -m orchestration.landing accept` accepts this content"
        )


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


def repartition_if_zones_changed(con: duckdb.DuckDBPyConnection, zones: PartitionZones) -> None:
    """Re-derives every raw row's local day when the center's zones are not those the raw
    layer was partitioned in (a corrected config), and logs every day as changed."""
    stored = con.execute("select center_zone, pbx_zone from raw.partition_zones").fetchall()
    if stored == [(zones.center_zone, zones.pbx_zone)]:
        return
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for source in RAW_SOURCES:
        con.execute(f"update {source.table} set event_date = {zones.event_date_sql(source)}")
        dates = con.execute(f"select distinct event_date from {source.table} order by 1")
        _record_partition_changes(con, source, tuple(d for (d,) in dates.fetchall()), now)
    con.execute("delete from raw.partition_zones")
    con.execute("insert into raw.partition_zones values (?, ?)", [*vars(zones).values()])


def plan_ingest(
    con: duckdb.DuckDBPyConnection,
    source: RawSource,
    files: list[LandingFile],
    accepted: Mapping[tuple[str, str], dt.datetime] | None = None,
) -> tuple[list[IngestPlan], list[HeldFile]]:
    """The files to (re-)ingest, in the order to ingest them, and the files held.

    Changed files, then new ones, then, if a known file was replaced, every other file whose rows
    were counted as duplicates: their first copy may have gone with the old version. A PBX
    file that is not grown, not rotated (its loaded content starts another file) and whose
    content (path, sha256) was not accepted (`accepted`: its latest acceptance time) after
    the version the ledger holds was loaded is held instead.
    """
    accepted = accepted or {}
    ledger = {
        row[0]: row[1:]
        for row in con.execute(
            "select source_file, content_sha256, bytes_ingested, prefix_sha256, lines_read,"
            " duplicate_count, ingested_at from raw.ingest_files where source = ?",
            [source.name],
        ).fetchall()
    }
    texts: dict[Path, bytes] = {}

    def text(file: LandingFile) -> bytes:
        if file.path not in texts:
            texts[file.path] = file.text_of(file.file_bytes())
        return texts[file.path]

    plans: list[IngestPlan] = []
    # Loaded after the known files: a rotated copy whose name sorts first (Master-20261101.csv
    # before Master.csv) must not count its rows as duplicates of those the rotation removes.
    new_files: list[IngestPlan] = []
    held: list[HeldFile] = []
    replaced_any = False
    for file in files:
        data = file.file_bytes()
        sha256 = sha256_of(data)
        known = ledger.get(str(file.path))
        if known is None:
            new_files.append(IngestPlan(file, sha256, len(data)))
            continue
        content_sha256, bytes_ingested, prefix_sha256, lines_read, _, ingested_at = known
        if content_sha256 == sha256:
            continue
        texts[file.path] = file.text_of(data)
        grew = _grew_from(text(file), bytes_ingested, prefix_sha256)
        if file.can_grow and grew:
            plans.append(IngestPlan(file, sha256, len(data), bytes_ingested, lines_read + 1))
        elif source.merges_versions:
            plans.append(IngestPlan(file, sha256, len(data), merges=True))
        elif (
            grew
            or bytes_ingested == 0
            or accepted.get((str(file.path), sha256), ingested_at) > ingested_at
            or any(
                _grew_from(text(other), bytes_ingested, prefix_sha256)
                for other in files
                if other.path != file.path
            )
        ):
            plans.append(IngestPlan(file, sha256, len(data)))
            replaced_any = True
        else:
            now_text = text(file)
            held.append(
                HeldFile(str(file.path), sha256, bytes_ingested, lines_read, len(now_text),
                         len(now_text.splitlines()))
            )  # fmt: skip
    plans += new_files
    if replaced_any:
        planned = {p.file.path for p in plans} | {Path(h.source_file) for h in held}
        plans += [
            IngestPlan(file, sha256_of(data), len(data))
            for file in files
            if file.path not in planned and (ledger.get(str(file.path)) or (0,) * 5)[4] > 0
            for data in [file.file_bytes()]
        ]
    return plans, held


def record_held_files(
    con: duckdb.DuckDBPyConnection, source: RawSource, held: list[HeldFile]
) -> None:
    """Replaces the source's held files with this run's (a file no longer held drops out)."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute("delete from raw.held_files where source = ?", [source.name])
    if not held:
        return
    con.executemany(
        "insert into raw.held_files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (source.name, h.source_file, h.sha256, h.bytes_before, h.lines_before, h.bytes_now,
             h.lines_now, h.change, h.message, now)
            for h in held
        ],
    )  # fmt: skip


def planned_text(plan: IngestPlan) -> bytes | None:
    """The file's text as it was planned: its first `plan.size` bytes on disk, which a PBX
    may have appended to since; None when it changed, shrank or went since it was planned (a
    copytruncate mid-run), so that the next run judges it again rather than this one loading
    bytes it never looked at."""
    try:
        on_disk = plan.file.file_bytes()[: plan.size]
    except FileNotFoundError:
        return None
    return plan.file.text_of(on_disk) if sha256_of(on_disk) == plan.sha256 else None


def _grew_from(text: bytes, bytes_ingested: int, prefix_sha256: str) -> bool:
    """Whether the file's text (as read, LandingFile.text_of) still starts with what was
    ingested: it grew, rather than changed."""
    return 0 < bytes_ingested <= len(text) and sha256_of(text[:bytes_ingested]) == prefix_sha256


def load_file(
    con: duckdb.DuckDBPyConnection,
    source: RawSource,
    plan: IngestPlan,
    parsed: ParsedFile,
    rows: pd.DataFrame,
    bytes_ingested: int,
    prefix_sha256: str,
    zones: PartitionZones,
) -> FileLedgerEntry:
    """Loads one parsed file (or the grown part of it), its ledger entry and the local days
    it changed, atomically.

    `rows` holds the parsed rows with the raw table's columns except source_file and
    event_date; `prefix_sha256` is the hash of the first `bytes_ingested` bytes (to recognise
    growth).
    """
    import pandas as pd

    source_file = str(plan.file.path)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    quarantine = pd.DataFrame(
        [(q.line_number, q.raw_text, q.reason) for q in parsed.quarantined],
        columns=["line_number", "raw_text", "reason"],
    ).astype({"line_number": "int64"})
    con.execute("begin transaction")
    try:
        previous, removed_dates = _take_ledger_entry(
            con, source, source_file, plan.keeps_earlier_rows
        )
        con.register("parsed_rows", rows)
        event_date = zones.event_date_sql(source)
        # A merged export's rows carry their load time: the later of two equal versions wins.
        loaded_at, params = (", ? as loaded_at", [now]) if source.merges_versions else ("", [])
        loaded = con.execute(
            f"insert into {source.table} by name"
            f" select ? as source_file, {event_date} as event_date{loaded_at}, * from parsed_rows"
            f" where {source.key_column} not in (select {source.key_column} from {source.table})",
            [source_file, *params],
        ).fetchone()[0]
        # Days of every parsed row, duplicates included: a superset is only extra work.
        added = con.execute(f"select distinct {event_date} from parsed_rows").fetchall()
        added_dates = {d for (d,) in added}
        changed_dates = tuple(sorted(removed_dates | added_dates))
        _record_partition_changes(con, source, changed_dates, now)
        con.register("parsed_quarantine", quarantine)
        con.execute(
            "insert into raw.raw_quarantine select ?, ?, line_number, raw_text, reason, ?"
            " from parsed_quarantine",
            [source.name, source_file, now],
        )
        entry = FileLedgerEntry(
            source_file=source_file,
            lines_read=previous.lines_read + parsed.lines_read,
            loaded_count=previous.loaded_count + loaded,
            quarantined_count=previous.quarantined_count + len(parsed.quarantined),
            duplicate_count=previous.duplicate_count + parsed.duplicate_count + len(rows) - loaded,
            header_count=previous.header_count + parsed.header_line_count,
            changed_dates=changed_dates,
        )
        con.execute(
            "insert into raw.ingest_files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [source.name, source_file, plan.sha256, bytes_ingested, prefix_sha256,
             entry.lines_read, entry.loaded_count, entry.quarantined_count,
             entry.duplicate_count, entry.header_count, now],
        )  # fmt: skip
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return entry


def _record_partition_changes(
    con: duckdb.DuckDBPyConnection, source: RawSource, dates: tuple[dt.date, ...], now: dt.datetime
) -> None:
    """One change id per load, increasing: dbt rebuilds the days of changes it has not seen.

    Ids count microseconds since the epoch, so they keep increasing when the raw layer is
    rebuilt from scratch (a new schema version), which an incremental model must not miss.
    """
    if not dates:
        return
    last = con.execute("select coalesce(max(change_id), 0) from raw.partition_changes")
    change_id = max(last.fetchone()[0] + 1, int(now.replace(tzinfo=dt.UTC).timestamp() * 1e6))
    con.executemany(
        "insert into raw.partition_changes values (?, ?, ?, ?)",
        [(change_id, source.name, date, now) for date in dates],
    )


def _take_ledger_entry(
    con: duckdb.DuckDBPyConnection, source: RawSource, source_file: str, keep_rows: bool
) -> tuple[FileLedgerEntry, set[dt.date]]:
    """Removes the file's ledger entry and returns its counts (zero when new). Unless
    `keep_rows` (a grown file, a merged export), also removes the rows its earlier version
    loaded; returns the local days those rows belonged to."""
    row = con.execute(
        "select lines_read, loaded_count, quarantined_count, duplicate_count, header_count"
        " from raw.ingest_files where source = ? and source_file = ?",
        [source.name, source_file],
    ).fetchone()
    con.execute(
        "delete from raw.ingest_files where source = ? and source_file = ?",
        [source.name, source_file],
    )
    if row is not None and keep_rows:
        return FileLedgerEntry(source_file, *row), set()
    removed_dates = {
        d
        for (d,) in con.execute(
            f"select distinct event_date from {source.table} where source_file = ?", [source_file]
        ).fetchall()
    }
    con.execute(f"delete from {source.table} where source_file = ?", [source_file])
    con.execute(
        "delete from raw.raw_quarantine where source = ? and source_file = ?",
        [source.name, source_file],
    )
    return FileLedgerEntry(source_file, 0, 0, 0, 0, 0), removed_dates
