"""Reads landing files into raw tables: plan, read complete lines, parse, load with the ledger.

The per-source part is only how a parsed file becomes rows of its raw table.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from orchestration.lib.acceptances import accepted_contents
from orchestration.lib.landing import LandingFile, complete_lines
from orchestration.lib.plausibility import PlausibleTimes, quarantine_implausible
from orchestration.lib.raw_store import (
    FileLedgerEntry,
    HeldFile,
    IngestPlan,
    PartitionZones,
    RawSource,
    ensure_raw_tables,
    load_file,
    plan_ingest,
    planned_text,
    record_held_files,
    repartition_if_zones_changed,
    sha256_of,
)
from orchestration.sources.cdr import CdrRecord, ParsedCdr
from orchestration.sources.parsed import ParsedFile
from orchestration.sources.queue_log import NAMED_DATA_FIELDS, ParsedQueueLog

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

    from orchestration.resources import CenterWarehouse


def ingest_source(
    con: duckdb.DuckDBPyConnection,
    source: RawSource,
    files: list[LandingFile],
    parse: Callable[[list[bytes], IngestPlan], ParsedFile],
    to_rows: Callable[[ParsedFile], pd.DataFrame],
    zones: PartitionZones,
    accepted: Mapping[tuple[str, str], dt.datetime] | None = None,
    plausible: PlausibleTimes | None = None,
) -> tuple[list[FileLedgerEntry], list[HeldFile]]:
    """Ingests the new, grown and changed files of one source; returns their ledger entries
    and the files held (recorded in raw.held_files). `accepted`: the (source_file, sha256)
    contents accepted to replace their earlier version, with when (orchestration/lib/
    acceptances.py).

    Events outside the `plausible` times (default: the config schema's, loading now) are
    quarantined with the reason."""
    from orchestration.lib.center_config import Center

    plausible = plausible or PlausibleTimes.of(Center(name="defaults", timezone=zones.center_zone))
    entries = []
    plans, held = plan_ingest(con, source, files, accepted)
    record_held_files(con, source, held)
    for plan in plans:
        data = planned_text(plan)
        if data is None:
            continue  # changed since it was planned: the next run plans it again
        lines, end = complete_lines(data[plan.resume_offset :], keep_partial=not plan.file.can_grow)
        parsed = parse(lines, plan)
        rows = quarantine_implausible(con, source, zones, plausible, parsed, to_rows(parsed))
        bytes_ingested = plan.resume_offset + end
        entries.append(
            load_file(con, source, plan, parsed, rows, bytes_ingested,
                      sha256_of(data[:bytes_ingested]), zones)
        )  # fmt: skip
    return entries, held


def ingest_into_warehouse(
    warehouse: CenterWarehouse,
    source: RawSource,
    files: list[LandingFile],
    parse: Callable[[list[bytes], IngestPlan], ParsedFile],
    to_rows: Callable[[ParsedFile], pd.DataFrame],
    log: Callable[[str], None],
) -> dict[str, int | str]:
    """Ingests one source into the build warehouse; returns what the materialization reports:
    files touched or refused, where their lines went, the local days changed and the raw
    table's row count."""
    center = warehouse.center_config().center
    zones = PartitionZones(center_zone=center.timezone, pbx_zone=center.export_timezone)
    refused = [f for f in files if f.refused is not None]
    readable = [f for f in files if f.refused is None]
    accepted = accepted_contents(Path(warehouse.warehouse_dir), Path(warehouse.landing_dir))
    with warehouse.connect() as con:
        ensure_raw_tables(con)
        repartition_if_zones_changed(con, zones)
        entries, held = ingest_source(
            con, source, readable, parse, to_rows, zones, accepted, PlausibleTimes.of(center)
        )
        row_count = con.execute(f"select count(*) from {source.table}").fetchone()[0]
    for file in refused:
        log(f"{file.path}: refused, not read: {file.refused}")
    for held_file in held:
        log(held_file.message)
    for entry in entries:
        log(str(entry))
    return {
        "files_ingested": len(entries),
        "files_unchanged": len(readable) - len(entries) - len(held),
        "files_refused": ", ".join(f"{f.path.name} ({f.refused})" for f in refused),
        "files_held": "; ".join(h.message for h in held),
        "lines_read": sum(e.lines_read for e in entries),
        "loaded": sum(e.loaded_count for e in entries),
        "quarantined": sum(e.quarantined_count for e in entries),
        "duplicates": sum(e.duplicate_count for e in entries),
        "local_days_changed": ", ".join(sorted({str(d) for e in entries for d in e.changed_dates})),
        "dagster/row_count": row_count,
    }


def queue_log_rows(parsed: ParsedQueueLog) -> pd.DataFrame:
    import pandas as pd

    events = parsed.events
    epochs = pd.Series([e.event_epoch for e in events], dtype="float64")
    return pd.DataFrame(
        {
            "event_hash": pd.Series([e.event_hash for e in events], dtype="object"),
            "line_number": pd.Series([e.line_number for e in events], dtype="int64"),
            "event_epoch": epochs,
            # Past pandas' timestamps (year 2262): NaT, quarantined as implausible.
            "event_at": pd.to_datetime(epochs, unit="s", errors="coerce"),
            "callid": [e.callid for e in events],
            "queuename": [e.queuename for e in events],
            "agent": [e.agent for e in events],
            "event": [e.event for e in events],
            **{f"data{i + 1}": [e.data[i] for e in events] for i in range(NAMED_DATA_FIELDS)},
            "data_extra": [e.data_extra for e in events],
            "extra_columns": [e.extra_columns for e in events],
        }
    )


def record_rows(record_type: type) -> Callable[[ParsedFile], pd.DataFrame]:
    """For sources whose parsed records already have the raw table's columns (CRM, surveys)."""

    def rows(parsed: ParsedFile) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame.from_records(
            [dataclasses.astuple(r) for r in parsed.events],
            columns=[f.name for f in dataclasses.fields(record_type)],
        )

    return rows


def cdr_rows(parsed: ParsedCdr) -> pd.DataFrame:
    """CDR records as raw.cdr rows: times stay as written (local, see stg_pbx__cdr)."""
    import pandas as pd

    records = [dataclasses.asdict(r) for r in parsed.events]
    for record in records:
        record["extra"] = json.dumps(record["extra"], sort_keys=True) if record["extra"] else None
    frame = pd.DataFrame.from_records(
        records, columns=[f.name for f in dataclasses.fields(CdrRecord)]
    )
    return frame.rename(
        columns={"start": "start_local", "answer": "answer_local", "end": "end_local"}
    )
