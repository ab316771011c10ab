"""`python -m orchestration.landing accept`: a held or whole-quarantined file's content is
accepted (logged in the warehouse folder), anything else refused; and the checks that such
files and row-count drops block the publish."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.defs.quality.landing_files import files_quarantined_whole, row_count_drop
from orchestration.landing import main
from orchestration.lib.acceptances import ACCEPTANCES_FILE, accepted_contents
from orchestration.lib.landing import cdr_files, crm_files
from orchestration.lib.raw_loader import cdr_rows, ingest_source, record_rows
from orchestration.lib.raw_store import CDR, CRM, PartitionZones, ensure_raw_tables
from orchestration.lib.warehouse_files import BUILD_FILE
from orchestration.resources import REPO_ROOT
from orchestration.sources.cdr import parse_cdr
from orchestration.sources.crm import CrmRecord, parse_crm_export
from tests.support import REALDATA

ZONES = PartitionZones(center_zone="UTC", pbx_zone="UTC")
CDR_LINES = (REALDATA / "asterisk-cdr-stadion" / "Master.csv").read_bytes().splitlines(True)[:3]
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
NO_ID = "crm/Opportunity_bad.csv"
NO_ID_TEXT = "Name,StageName,SystemModstamp\nRenewal 1,Prospecting,2026-11-01T08:00:00Z\n"


def _ingest(landing: Path, warehouse: Path) -> None:
    warehouse.mkdir(exist_ok=True)
    with duckdb.connect(str(warehouse / BUILD_FILE)) as con:
        ensure_raw_tables(con)
        ingest_source(con, CDR, cdr_files(landing), lambda lines, plan: parse_cdr(lines),
                      cdr_rows, ZONES)  # fmt: skip
        ingest_source(
            con, CRM, crm_files(landing),
            lambda lines, plan: parse_crm_export(lines, plan.file.path.name),
            record_rows(CrmRecord), ZONES,
        )  # fmt: skip


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """A landing folder whose Master.csv was emptied after its first load (held) and whose
    CRM Opportunity export lacks its Id (quarantined whole), ingested into a warehouse."""
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse"
    (landing / "crm").mkdir(parents=True)
    (landing / "Master.csv").write_bytes(b"".join(CDR_LINES))
    (landing / "Master-old.csv").write_bytes(CDR_LINES[0])
    (landing / NO_ID).write_text(NO_ID_TEXT)
    _ingest(landing, warehouse)
    (landing / "Master.csv").write_bytes(b"")
    _ingest(landing, warehouse)
    return landing, warehouse


def _accept(landing: Path, warehouse: Path, name: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "orchestration.landing", "accept", name,
               "--landing", str(landing), "--warehouse", str(warehouse)]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, check=False)


def test_accepting_a_held_file_records_its_content(folders: tuple[Path, Path]) -> None:
    landing, warehouse = folders
    done = _accept(landing, warehouse, "Master.csv")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (
        f"accepted Master.csv (sha256 {EMPTY_SHA256[:12]}…, 0 bytes), held (emptied): the next"
        f" run replaces its earlier rows with this content; recorded in"
        f" {warehouse / ACCEPTANCES_FILE}\n"
    )
    (record,) = [
        json.loads(line) for line in (warehouse / ACCEPTANCES_FILE).read_text().splitlines()
    ]
    assert (record["path"], record["sha256"], record["reason"]) == (
        "Master.csv",
        EMPTY_SHA256,
        "held (emptied): the next run replaces its earlier rows with this content",
    )
    # The next ingest replaces the file's three rows with none, and holds nothing.
    with duckdb.connect(str(warehouse / BUILD_FILE)) as con:
        _, held = ingest_source(con, CDR, cdr_files(landing), lambda lines, plan: parse_cdr(lines),
                                cdr_rows, ZONES, accepted_contents(warehouse, landing))  # fmt: skip
        rows = con.execute("select source_file, count(*) from raw.cdr group by 1").fetchall()
    assert held == [] and rows == [(str(landing / "Master-old.csv"), 1)]


def test_accepting_a_file_quarantined_whole_acknowledges_it(folders: tuple[Path, Path]) -> None:
    landing, warehouse = folders
    with duckdb.connect(str(warehouse / BUILD_FILE)) as con:
        files, problems = files_quarantined_whole(con, CRM, accepted_contents(warehouse, landing))
    assert (files, problems) == (
        1,
        [
            f"{landing / NO_ID}: quarantined whole (1 line: Opportunity export lacks required"
            f" column Id); nothing of it loaded (`python -m orchestration.landing accept"
            f" {landing / NO_ID}` acknowledges it)"
        ],
    )
    done = _accept(landing, warehouse, str(landing / NO_ID))
    assert (
        done.returncode == 0
        and done.stdout.startswith(f"accepted {NO_ID} (sha256 ")
        and "quarantined whole (1 line: Opportunity export lacks required column Id)"
        in (done.stdout)
    )
    with duckdb.connect(str(warehouse / BUILD_FILE)) as con:
        assert files_quarantined_whole(con, CRM, accepted_contents(warehouse, landing)) == (1, [])


def test_a_file_with_nothing_to_accept_is_refused(
    folders: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    landing, warehouse = folders
    done = _accept(landing, warehouse, "Master-old.csv")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"not accepted: {landing / 'Master-old.csv'}: neither held nor quarantined whole in the"
        " last run: nothing to accept\n"
    )
    outside = tmp_path / "Master.csv"
    outside.write_bytes(b"")
    refusals = {
        str(outside): f"{outside}: not in the landing folder {landing}",
        "Master-missing.csv": f"Master-missing.csv: no such file in the landing folder {landing}",
    }
    for name, reason in refusals.items():
        assert main(["accept", name, "--landing", str(landing), "--warehouse", str(warehouse)]) == 2
        assert capsys.readouterr().err == f"not accepted: {reason}\n"
    assert not (warehouse / ACCEPTANCES_FILE).exists()


@pytest.mark.parametrize(
    ("before", "now", "message"),
    [
        (58_422, 58_422, None),
        (1000, 900, None),  # exactly the 10 % allowed
        (0, 0, None),
        (
            58_422,
            0,
            "raw.cdr: 58,422 rows at the last publish, 0 now (-100.0%, more than"
            " quality.max_row_count_drop_share 10% allows)",
        ),
        (
            1000,
            899,
            "raw.cdr: 1,000 rows at the last publish, 899 now (-10.1%, more than"
            " quality.max_row_count_drop_share 10% allows)",
        ),
    ],
)
def test_a_row_count_drop_beyond_the_share_blocks(before: int, now: int, message: str) -> None:
    assert row_count_drop(CDR, before, now, 0.1) == message
