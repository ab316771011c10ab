"""Shrinking is not deleting, through the real job: an emptied CDR file (a failed sync, a
copytruncate without its copy) is held, and the blocking check naming it stops the publish,
the serving warehouse left byte for byte; once its new content is accepted with
`python -m orchestration.landing accept`, the next run replaces the file's rows and publishes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.lib.dq_results import blocking_failures
from orchestration.pipeline import run_warehouse_job
from orchestration.resources import REPO_ROOT
from tests.support import make_warehouse, run_fixture_pipeline

pytestmark = pytest.mark.slow

START = int(dt.datetime(2026, 11, 2, 14, 0, tzinfo=dt.UTC).timestamp())
CONFIG = "center: {name: Nothing lost, timezone: UTC}\n"
QUEUE_LOG = (
    f"{START}|q.1|sales|NONE|ENTERQUEUE||5551230000|1\n"
    f"{START + 5}|q.1|sales|PJSIP/1001|CONNECT|5|q.1b|2\n"
    f"{START + 65}|q.1|sales|PJSIP/1001|COMPLETECALLER|5|60|1\n"
)
# cdr_csv: the inbound leg of the queue call and two outbound dials.
CDR = "".join(
    f'"","{src}","{dst}","from-internal","""X"" <{src}>","PJSIP/1001-0000000{n}","",'
    f'"Dial","","2026-11-02 {hour}:00:00","2026-11-02 {hour}:00:05","2026-11-02 {hour}:01:05",'
    f'65,60,"ANSWERED","DOCUMENTATION","{START + n}.{n}","","","{START + n}.{n}",{n}\n'
    for n, (src, dst, hour) in enumerate(
        [("5551230000", "sales", 14), ("1001", "5559870000", 15), ("1001", "5559870001", 16)]
    )
)


def test_an_emptied_cdr_blocks_the_publish_until_accepted(tmp_path: Path) -> None:
    serving = run_fixture_pipeline(tmp_path, CONFIG, {"queue_log": QUEUE_LOG, "Master.csv": CDR})
    warehouse = make_warehouse(tmp_path, tmp_path / "center.yml")
    master = Path(warehouse.landing_dir) / "Master.csv"
    published = serving.read_bytes()

    master.write_bytes(b"")
    result = run_warehouse_job(warehouse)
    assert not result.success
    assert blocking_failures(warehouse, result.run_id) == [
        f"raw/cdr: no_file_held: {master}: held, not loaded: emptied: it had 3 lines"
        f" ({len(CDR.encode()):,} bytes) loaded, now 0 lines (0 bytes); its earlier rows are"
        " kept until `python -m orchestration.landing accept` accepts this content"
    ]
    assert serving.read_bytes() == published
    with duckdb.connect(str(warehouse.build_path), read_only=True) as con:
        assert con.execute("select count(*) from raw.cdr").fetchone() == (3,)

    accepted = subprocess.run(
        [sys.executable, "-m", "orchestration.landing", "accept", "Master.csv",
         "--landing", warehouse.landing_dir, "--warehouse", warehouse.warehouse_dir],
        capture_output=True, text=True, cwd=REPO_ROOT, check=False,
    )  # fmt: skip
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout.startswith("accepted Master.csv (sha256 e3b0c44298fc…, 0 bytes)")

    result = run_warehouse_job(warehouse)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    with duckdb.connect(str(serving), read_only=True) as con:
        cdr_rows = con.execute("select count(*) from raw.cdr").fetchone()[0]
        checks = con.execute(
            "select asset_key, check_name, passed from dq.dq_results"
            " where run_id = ? and check_name in ('no_file_held', 'row_count_kept')"
            " order by 1, 2",
            [result.run_id],
        ).fetchall()
    assert cdr_rows == 0
    # The accepted file's rows are left out of the row-count comparison: 0 of 0 kept.
    assert checks == [
        ("raw/cdr", "no_file_held", True),
        ("raw/cdr", "row_count_kept", True),
        ("raw/crm_records", "row_count_kept", True),
        ("raw/queue_log", "no_file_held", True),
        ("raw/queue_log", "row_count_kept", True),
        ("raw/survey_responses", "row_count_kept", True),
    ]
