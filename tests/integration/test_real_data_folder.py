"""The README's real-data command on a folder of every real PBX sample in tests/fixtures/realdata:
it publishes, accounts for every line, and gets the known traps right."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.support import EXAMPLE_CONFIG, REALDATA

pytestmark = pytest.mark.slow

QUEUE_LOG_SAMPLES = [
    *sorted(REALDATA.glob("wazo-*/**/*.queue_log")),
    REALDATA / "asterisk-issue-759" / "queue_log",
    REALDATA / "pbxware-voipoffice" / "queue_log.rebuilt",
]
OTHER_SAMPLES = {
    "queue_log-pbxware.csv": REALDATA / "pbxware-voipoffice" / "queue_log.original.csv",
    "Master-stadion.csv": REALDATA / "asterisk-cdr-stadion" / "Master.csv",
    "Master-lab.csv": REALDATA / "asterisk-cdr-custom-lab" / "Master.csv",
    "cdr-pbxware.csv": REALDATA / "pbxware-voipoffice" / "cdr.original.csv",
}


@pytest.fixture(scope="module")
def real_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Runs `python -m orchestration.pipeline` as the README shows; returns the serving file."""
    root = tmp_path_factory.mktemp("real_data")
    landing = root / "landing"
    landing.mkdir()
    for index, sample in enumerate(QUEUE_LOG_SAMPLES):
        shutil.copy(sample, landing / f"queue_log-{index:02d}-{sample.parent.name}")
    for name, sample in OTHER_SAMPLES.items():
        shutil.copy(sample, landing / name)
    # The samples come from unrelated sites and years: one source's newest event says
    # nothing about another's, so the demo's freshness limits are left out.
    config = yaml.safe_load(EXAMPLE_CONFIG.read_text())
    config["quality"]["freshness"]["max_lag_hours"] = {}
    (root / "center.yml").write_text(yaml.safe_dump(config))
    env = {
        **os.environ,
        "LANDING_DIR": str(landing),
        "WAREHOUSE_DIR": str(root / "warehouse"),
        "CENTER_CONFIG": str(root / "center.yml"),
    }
    completed = subprocess.run(
        [sys.executable, "-m", "orchestration.pipeline"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-5000:]
    assert "built, checked and published" in completed.stdout
    return root / "warehouse" / "serving.duckdb"


def test_every_real_line_is_accounted_for(real_run: Path) -> None:
    with duckdb.connect(str(real_run), read_only=True) as con:
        ledger = dict(
            con.execute(
                "select source, list_value(count(*), sum(lines_read), sum(loaded_count),"
                " sum(quarantined_count), sum(duplicate_count) + sum(header_count))"
                " from raw.ingest_files group by 1"
            ).fetchall()
        )
    queue_log_lines = sum(len(p.read_bytes().splitlines()) for p in QUEUE_LOG_SAMPLES) + 1001
    files, read, loaded, quarantined, other = ledger["queue_log"]
    assert (files, read) == (len(QUEUE_LOG_SAMPLES) + 1, queue_log_lines)
    assert quarantined == 0 and loaded + other == read
    # CDR: the PBXware export's 96 glued rows are the only lines not loaded.
    assert ledger["cdr"] == [3, 84 + 14 + 774, 84 + 14 + 677, 96, 1]


def test_attended_transfer_trap_makes_one_call_in_each_queue(real_run: Path) -> None:
    with duckdb.connect(str(real_run), read_only=True) as con:
        stints = con.execute(
            "select queue_id, outcome, wait_seconds, is_transferred, caller_number"
            " from marts.fct_queue_stints where call_id in"
            " ('1717397243.239826', '1717397390.239830') order by arrived_at"
        ).fetchall()
    assert stints == [
        ("1501", "answered", 12, True, "5249111054"),
        ("1509", "answered", 7, False, "5249111054"),
    ]


def test_every_stint_has_one_outcome_in_the_mart(real_run: Path) -> None:
    with duckdb.connect(str(real_run), read_only=True) as con:
        stints, summed = con.execute(
            "select (select count(*) from marts.fct_queue_stints where not is_test_call),"
            " sum(stint_count) from marts.mart_queue_kpis_15m"
        ).fetchone()
    assert stints == summed > 200
