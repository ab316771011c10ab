"""A grown live log loads only its new lines, its offsets counted in its text as read (a
byte-order mark is not text): the mark never makes a grown log look changed."""

from __future__ import annotations

import codecs
from pathlib import Path

import duckdb
import pytest

from orchestration.lib.landing import queue_log_files
from orchestration.lib.raw_loader import ingest_source, queue_log_rows
from orchestration.lib.raw_store import QUEUE_LOG, PartitionZones, ensure_raw_tables, plan_ingest
from orchestration.sources.queue_log import parse_queue_log

ENTER = b"1762088400|1762088400.1|sales|NONE|ENTERQUEUE||5551234567|1\n"
ABANDON = b"1762088430|1762088400.1|sales|NONE|ABANDON|1|1|30\n"
LATER = b"1762088460|1762088460.2|sales|NONE|ENTERQUEUE||5559876543|1\n"


@pytest.mark.parametrize("mark", [b"", codecs.BOM_UTF8])
def test_a_grown_log_resumes_after_its_last_line(tmp_path: Path, mark: bytes) -> None:
    log = tmp_path / "queue_log"
    log.write_bytes(mark + ENTER + ABANDON)
    with duckdb.connect() as con:
        ensure_raw_tables(con)

        def ingest() -> list[tuple[int, str]]:
            ingest_source(
                con, QUEUE_LOG, queue_log_files(tmp_path),
                lambda lines, plan: parse_queue_log(lines, plan.first_line_number),
                queue_log_rows, PartitionZones(center_zone="UTC", pbx_zone="UTC"),
            )  # fmt: skip
            return con.execute("select line_number, event from raw.queue_log order by 1").fetchall()

        assert ingest() == [(1, "ENTERQUEUE"), (2, "ABANDON")]
        with log.open("ab") as append:
            append.write(LATER)
        (plan,), held = plan_ingest(con, QUEUE_LOG, queue_log_files(tmp_path))
        assert held == []
        # 60 + 50 bytes of text were read: the mark, if any, is not counted.
        assert (plan.resume_offset, plan.first_line_number) == (110, 3)
        assert ingest() == [(1, "ENTERQUEUE"), (2, "ABANDON"), (3, "ENTERQUEUE")]
