"""Issue 18's eight cases, each reproduced on a copy of the demo month and asserted with its new
outcome: the data kept, the check that fails and its message naming the file, serving unchanged
where it must be.

One copy goes through four runs, as an operator's week might (after a run whose whole process
group is killed mid-ingest, an attack that held, kept tested):
1. the pipeline is killed by the OOM killer (its parent only) while dbt builds [case 8];
2. the next run finds the stale lock, ingests a UTF-16 survey re-export [4], a survey record
   with an unbalanced quote [5], a symlink to /etc/passwd and a browser-named CRM file [6],
   queue_log lines stamped 1970 and 2099 [7], publishes while a reader holds serving open,
   and then fails to write the payroll exports (a folder has the November XLSX's name) [3];
3. Master.csv is emptied and User.csv cut to its header [1, 2]: held, nothing published;
4. the emptied Master.csv is accepted as a correction: its rows go, and a CDR without any
   event is stale, so nothing is published still.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from orchestration.lib.payroll_export import EXPORT_DIR
from orchestration.resources import CenterWarehouse
from tests.conftest import SimulatedRun
from tests.support import copy_center, process_state

pytestmark = pytest.mark.slow

FILES_KNOWN = "select count(*) from raw.ingest_files"
UTF16_SURVEY = "survey_2026-10-13.csv"
BROKEN_SURVEY = "survey_2026-10-14.csv"
PASSWD = Path(__file__).parents[1] / "fixtures" / "landing" / "passwd"
EPOCH_0 = "0|1.1|support|NONE|ENTERQUEUE||5551230000|1"
EPOCH_2099 = "4070908800|2.2|support|NONE|ENTERQUEUE||5551230001|1"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _env(warehouse: CenterWarehouse, root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "LANDING_DIR": warehouse.landing_dir,
        "WAREHOUSE_DIR": warehouse.warehouse_dir,
        "CENTER_CONFIG": warehouse.center_config_path,
        "LOG_DIR": str(root / "logs"),
    }


def _pipeline(warehouse: CenterWarehouse, root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orchestration.pipeline"],
        env=_env(warehouse, root), capture_output=True, text=True, timeout=1200, check=False,
    )  # fmt: skip


def _alive(pid: int) -> bool:
    return process_state(pid) not in (None, "Z")


def _dbt_children(pid: int) -> list[int]:
    """The dbt build processes `pid` started (once dbt_child.py has exec'd the real dbt)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if parent == pid and " build " in command and "dbt_child.py" not in command:
            children.append(int(stat.parent.name))
    return children


def _kill_group_while_crm_loads(warehouse: CenterWarehouse, root: Path) -> None:
    """Starts the pipeline in its own process group and kills the whole group with SIGKILL
    a second after the CRM's ingest step started (as a reboot or `kill -9 -<pgid>` would)."""
    logs = root / "logs"
    known = set(logs.glob("*.log"))
    run = subprocess.Popen(
        [sys.executable, "-m", "orchestration.pipeline"], env=_env(warehouse, root),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    while run.poll() is None and time.monotonic() < deadline:
        started = [
            log
            for log in set(logs.glob("*.log")) - known
            if "raw__crm_records - STEP_START" in log.read_text()
        ]
        if started:
            time.sleep(1)
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
            return
        time.sleep(0.2)
    run.kill()
    raise AssertionError(f"the CRM's ingest never started (pipeline exit {run.poll()})")


def _kill_parent_while_dbt_builds(warehouse: CenterWarehouse, root: Path) -> tuple[int, int]:
    """Starts the pipeline and kills it, not its children, with SIGKILL once dbt builds, as
    the OOM killer does; returns the pipeline's and dbt's pids."""
    run = subprocess.Popen(
        [sys.executable, "-m", "orchestration.pipeline"], env=_env(warehouse, root),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 900
    while run.poll() is None and time.monotonic() < deadline:
        if dbt := _dbt_children(run.pid):
            os.kill(run.pid, signal.SIGKILL)
            run.wait()
            return run.pid, dbt[0]
        time.sleep(0.2)
    run.kill()
    raise AssertionError(f"dbt never started (pipeline exit {run.poll()})")


def _raw_counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            table: con.execute(f"select count(*) from raw.{table}").fetchone()[0]
            for table in ("queue_log", "cdr", "crm_records", "survey_responses")
        }


def _query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


@dataclass(frozen=True)
class Attacked:
    warehouse: CenterWarehouse
    logs: Path  # the runs' log files
    raw_before: dict[str, int]  # the demo month's raw row counts, before any attack
    broken_line: int  # [5]'s line with an unbalanced quote
    serving_kept_after_group_kill: bool
    killed_pid: int
    dbt_alive_after_kill: bool
    second: subprocess.CompletedProcess[str]  # run 2: publishes, then the XLSX fails
    exports_before: dict[str, str]
    files_seen_by_reader: int  # ledger entries a reader opened before run 2 saw after it
    exports_after_second: dict[str, str]
    serving_after_second: str
    third: subprocess.CompletedProcess[str]  # run 3: Master.csv emptied, User.csv cut
    raw_after_third: dict[str, int]
    serving_after_third: str
    accepted: subprocess.CompletedProcess[str]
    fourth: subprocess.CompletedProcess[str]  # run 4: the emptied Master.csv accepted
    raw_after_fourth: dict[str, int]
    serving_after_fourth: str


def _exports(warehouse: CenterWarehouse) -> dict[str, str]:
    folder = Path(warehouse.warehouse_dir) / EXPORT_DIR
    return {path.name: _sha256(path) for path in sorted(folder.glob("scorecard_*"))}


@pytest.fixture(scope="module")
def attacked(simulated_run: SimulatedRun, tmp_path_factory: pytest.TempPathFactory) -> Attacked:
    root = tmp_path_factory.mktemp("attacked")
    warehouse = copy_center(simulated_run.warehouse, root / "center")
    landing = Path(warehouse.landing_dir)
    raw_before = _raw_counts(warehouse.build_path)
    # [4] A survey day re-exported from Excel as "Unicode text": UTF-16 with its mark, tabs.
    utf16 = landing / "surveys" / UTF16_SURVEY
    tabbed = io.StringIO()
    csv.writer(tabbed, delimiter="\t").writerows(csv.reader(io.StringIO(utf16.read_text("utf-8"))))
    utf16.write_bytes(tabbed.getvalue().encode("utf-16"))
    # [5] An empty comment of another day gets a quote that opens and never closes.
    broken = landing / "surveys" / BROKEN_SURVEY
    lines = broken.read_text("utf-8").splitlines(keepends=True)
    broken_line = next(n for n, line in enumerate(lines, 1) if line.endswith(",\n") and n > 1)
    lines[broken_line - 1] = lines[broken_line - 1].rstrip("\n") + '"never closed\n'
    broken.write_text("".join(lines), "utf-8")
    # [6] A link to a system file, and a browser's second download of the contacts.
    (landing / "queue_log.2").symlink_to(PASSWD.resolve())
    contacts = (landing / "crm" / "Contact.csv").read_bytes()
    (landing / "crm" / "Contact (1).csv").write_bytes(contacts)
    # [7] The live log grows by a line stamped at epoch 0 and one in 2099.
    with (landing / "queue_log").open("a") as log:
        log.write(f"{EPOCH_0}\n{EPOCH_2099}\n")
    exports_before = _exports(warehouse)
    # [3] Something took the November XLSX's name: a folder (a user's copy, unzipped there).
    november_xlsx = Path(warehouse.warehouse_dir) / EXPORT_DIR / "scorecard_2026-11.xlsx"
    november_xlsx.unlink()
    november_xlsx.mkdir()

    serving_before = _sha256(warehouse.serving_path)
    _kill_group_while_crm_loads(warehouse, root)  # an attack that held: kept tested
    serving_after_group_kill = _sha256(warehouse.serving_path)
    killed_pid, dbt_pid = _kill_parent_while_dbt_builds(warehouse, root)  # [8]
    gone_by = time.monotonic() + 5
    while _alive(dbt_pid) and time.monotonic() < gone_by:
        time.sleep(0.1)
    dbt_alive = _alive(dbt_pid)
    # A Superset query holds the serving warehouse open while the next run publishes.
    with duckdb.connect(str(warehouse.serving_path), read_only=True) as reader:
        second = _pipeline(warehouse, root)
        files_seen_by_reader = reader.execute(FILES_KNOWN).fetchone()[0]
    november_xlsx.rmdir()
    exports_after_second = _exports(warehouse)
    serving_after_second = _sha256(warehouse.serving_path)

    # [1] A copytruncate rotation or a failed sync leaves Master.csv empty; [2] the CRM's
    # user export comes back with its header only.
    (landing / "Master.csv").write_bytes(b"")
    users = landing / "crm" / "User.csv"
    users.write_text(users.read_text("utf-8").splitlines(keepends=True)[0], "utf-8")
    third = _pipeline(warehouse, root)
    raw_after_third = _raw_counts(warehouse.build_path)
    serving_after_third = _sha256(warehouse.serving_path)

    # The CDR really was emptied: the operator says so.
    accepted = subprocess.run(
        [sys.executable, "-m", "orchestration.landing", "accept", "Master.csv"],
        env=_env(warehouse, root), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    fourth = _pipeline(warehouse, root)
    return Attacked(
        warehouse, root / "logs", raw_before, broken_line,
        serving_after_group_kill == serving_before, killed_pid, dbt_alive, second,
        exports_before, files_seen_by_reader, exports_after_second, serving_after_second,
        third, raw_after_third, serving_after_third, accepted, fourth,
        _raw_counts(warehouse.build_path), _sha256(warehouse.serving_path),
    )  # fmt: skip


def _console(run: subprocess.CompletedProcess[str]) -> str:
    return run.stdout + run.stderr[-3000:]


def test_a_process_group_killed_mid_ingest_leaves_serving_as_it_was(attacked: Attacked) -> None:
    # ... and the runs after it load every file as a clean run would (the cases below).
    assert attacked.serving_kept_after_group_kill


def test_8_a_killed_pipeline_takes_dbt_along_and_the_next_run_takes_over_its_lock(
    attacked: Attacked,
) -> None:
    assert not attacked.dbt_alive_after_kill, "dbt went on building after its pipeline died"
    assert (
        f"stale lock of pid {attacked.killed_pid} (python -m orchestration.pipeline), started "
    ) in attacked.second.stdout, _console(attacked.second)
    # Said below the stages, whose bars ran to the end (publish's too: its export failed).
    lines = attacked.second.stdout.splitlines()
    stale = next(n for n, line in enumerate(lines) if line.startswith("stale lock of pid"))
    assert stale == 4 and all(line[0] in "✓✗" for line in lines[:4]), lines


def test_3_an_export_failing_after_the_publish_says_so_and_leaves_csv_and_xlsx_alike(
    attacked: Attacked,
) -> None:
    run = attacked.second
    assert run.returncode == 1, _console(run)
    lines = run.stdout.splitlines()
    (headline,) = [line for line in lines if "serving warehouse" in line]
    assert headline.startswith("serving warehouse published (run ") and headline.endswith(
        "); then failed:"
    ), lines
    assert any(
        line.startswith("  failed step exports__agent_scorecard: IsADirectoryError: ")
        for line in lines
    ), lines
    # The other files are the demo month's, byte for byte: none was replaced alone.
    before = attacked.exports_before
    others = {name: sha for name, sha in before.items() if name != "scorecard_2026-11.xlsx"}
    assert attacked.exports_after_second == others and len(before) == 4


def test_a_reader_holding_serving_open_keeps_its_view_and_the_run_publishes(
    attacked: Attacked, simulated_run: SimulatedRun
) -> None:
    (demo_files,) = _query(simulated_run.warehouse.serving_path, FILES_KNOWN)
    (published_files,) = _query(attacked.warehouse.serving_path, FILES_KNOWN)
    assert attacked.files_seen_by_reader == demo_files[0]
    assert published_files[0] == demo_files[0] + 1  # Contact (1).csv


def test_4_a_utf16_survey_export_loads(attacked: Attacked) -> None:
    records = len((Path(attacked.warehouse.landing_dir) / "surveys" / UTF16_SURVEY)
                  .read_text("utf-16").splitlines()) - 1  # fmt: skip
    ((lines, headers, accounted),) = _query(
        attacked.warehouse.serving_path,
        "select lines_read, header_count, loaded_count + duplicate_count + quarantined_count"
        f" from raw.ingest_files where source_file like '%/{UTF16_SURVEY}'",
    )
    # The ledger adds up over both versions of the file: the UTF-8 one, then the UTF-16 one.
    assert (lines, headers, accounted) == (2 * records + 2, 2, 2 * records) and records > 100
    reasons = _query(
        attacked.warehouse.serving_path,
        f"select distinct reason from raw.raw_quarantine where source_file like '%/{UTF16_SURVEY}'",
    )
    assert all("outside its scale" in reason for (reason,) in reasons), reasons
    assert (
        _raw_counts(attacked.warehouse.serving_path)["survey_responses"]
        == (attacked.raw_before["survey_responses"])
    )


def test_5_an_unbalanced_quote_quarantines_its_record_only(attacked: Attacked) -> None:
    quarantined = _query(
        attacked.warehouse.serving_path,
        "select line_number, reason from raw.raw_quarantine"
        f" where source_file like '%/{BROKEN_SURVEY}' and reason like 'unbalanced%'",
    )
    assert quarantined == [
        (
            attacked.broken_line,
            "unbalanced quote: a quoted field opens on this line and never closes",
        )
    ]
    # The rest of the file loaded: every response is still there.
    assert (
        _raw_counts(attacked.warehouse.serving_path)["survey_responses"]
        == (attacked.raw_before["survey_responses"])
    )


def test_6_a_link_outside_the_landing_is_refused_and_a_browser_named_export_loads(
    attacked: Attacked,
) -> None:
    serving = attacked.warehouse.serving_path
    assert _query(
        serving, "select count(*) from raw.ingest_files where source_file like '%queue_log.2'"
    ) == [(0,)]
    assert _query(
        serving, "select count(*) from raw.raw_quarantine where source_file like '%queue_log.2'"
    ) == [(0,)]
    assert "queue_log.2: refused, not read: a link to" in (
        "".join(p.read_text() for p in attacked.logs.glob("*"))
    )
    contacts = _query(
        serving,
        "select lines_read, loaded_count + duplicate_count, quarantined_count"
        " from raw.ingest_files where source_file like '%/Contact (1).csv'",
    )
    lines = (Path(attacked.warehouse.landing_dir) / "crm" / "Contact.csv").read_text().count("\n")
    assert contacts == [(lines, lines - 1, 0)]


def test_7_implausible_event_times_are_quarantined_and_freshness_ignores_them(
    attacked: Attacked,
) -> None:
    serving = attacked.warehouse.serving_path
    reasons = _query(
        serving,
        "select reason from raw.raw_quarantine where source = 'queue_log'"
        " and source_file like '%/queue_log' order by line_number",
    )
    *_, (too_early,), (too_late,) = reasons
    assert too_early == (
        "event time 1970-01-01 00:00:00 UTC is before data_start 2000-01-01 (America/New_York)"
    )
    assert too_late.startswith(
        "event time 2099-01-01 00:00:00 UTC is more than 24 h (future_tolerance_hours)"
        " after the load time 2026-"
    )
    years = _query(
        serving,
        "select distinct year(arrived_at) from marts.fct_queue_stints order by 1",
    )
    assert years == [(2026,)]
    stale = _query(
        serving, "select raw_source from marts.mart_dq_source_freshness where not is_fresh"
    )
    assert stale == []


def test_1_2_an_emptied_cdr_is_held_and_a_header_only_user_export_deletes_nothing(
    attacked: Attacked,
) -> None:
    run = attacked.third
    assert run.returncode == 1, _console(run)
    assert "pipeline failed, serving warehouse left as it was:" in run.stdout
    assert "Master.csv: held, not loaded: emptied: it had " in run.stdout, _console(run)
    assert attacked.serving_after_third == attacked.serving_after_second
    # Nothing lost: the CDR and the users keep every row.
    assert attacked.raw_after_third["cdr"] == attacked.raw_before["cdr"]
    assert attacked.raw_after_third["crm_records"] >= attacked.raw_before["crm_records"]


def test_1_an_accepted_emptied_cdr_replaces_the_file_and_freshness_then_blocks(
    attacked: Attacked,
) -> None:
    assert attacked.accepted.returncode == 0, _console(attacked.accepted)
    assert attacked.accepted.stdout.startswith("accepted Master.csv (sha256 e3b0c44298fc")
    run = attacked.fourth
    assert run.returncode == 1, _console(run)
    assert attacked.raw_after_fourth["cdr"] == 0  # the operator's word: the CDR is empty
    # ... but a CDR with no event is stale, not fresh: still nothing published.
    assert "cdr: stale, files landed but no event loaded" in run.stdout, _console(run)
    assert attacked.serving_after_fourth == attacked.serving_after_second
