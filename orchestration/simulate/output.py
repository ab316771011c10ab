"""Writes a simulated center as its systems would (landing folder: the PBX's queue_log and
CDR, the CRM's export under crm/, the survey tool's under surveys/) plus its ground truth
(truth folder, CSV with a header):

- stints.csv: one row per queue entry (`StintTruth`).
- calls.csv: call_id (the caller's uniqueid), customer_key (`crm:<Contact Id>` for a CRM
  contact, else `tel:+1<10 digits>`; empty for withheld numbers and test calls),
  caller_number (as logged in ENTERQUEUE), is_resolved (true/false; empty when no agent
  answered), ended_epoch (max over the call's stints of arrived + wait + talk).
- window.csv: data_end_epoch, the newest queue_log line's epoch (before faults).
- surveys.csv: response_id, call_id (empty for a call no one made), status (loaded |
  out_of_range | unknown_call), csat, nps, ces, resolved (as written; empty when skipped).
- cases.csv: case_id, call_id (empty for cases of other channels), contact_id, type, reason,
  origin, created_epoch, is_deleted (final state).
- agents.csv: agent_id, user_id, team, site, hired, valid_from (local date the team took
  effect; the first version's is the hire date).
- crm_faults.csv: kind, file, record_id, detail (`CrmFault`).
- agent_logins.csv: agent_id, login_epoch, logout_epoch: one row per span an agent (inbound
  or telesales; the extension, as in agents.csv) was logged in to at least one queue.
- agent_states.csv: agent_id, state, pause_reason, start_epoch, end_epoch (`AgentState`):
  each agent's logins cut into spans [start, end) of one state, contiguous, none empty,
  exactly covering its agent_logins.csv spans; by agent, then time. The state is what the
  logs show: ringing (inbound: offered to the agent until the CONNECT or RINGNOANSWER;
  telesales: a dial's CDR start until its answer, or its end unanswered), talking (CONNECT
  until the hang-up or transfer; a dial's CDR answer until its end), wrap_up (an ACW pause,
  PAUSE to UNPAUSE, of an agent with `acw_pause`), paused (any other PAUSE until its UNPAUSE
  or the logout) and idle (the rest: unlogged wrap-up, a ring the caller hung up on).
  pause_reason is the PAUSE line's reason (paused, wrap_up), else empty.

Of a center with telesales and trunks (simulate/center.py), also:

- outbound_attempts.csv: one row per dial (CDR row), `OutboundAttempt`: uniqueid, agent_id,
  campaign, trunk (empty: every trunk full), start_epoch, answer_epoch (empty if none),
  end_epoch, disposition (as in the CDR), billsec, is_machine, is_connect (a person answered:
  ANSWERED, billsec > 0), disposition_crm (the Task's CallDisposition; empty without a
  Task), is_intent, opportunity_id, is_won (as the export at the end of the period says),
  amount (the opportunity's), close_date (empty while open), is_converted (won and
  close_date <= local_date + attribution_days), local_date (center-local date of start).
- trunk_calls.csv: trunk, direction (inbound | outbound), uniqueid, start_epoch, end_epoch,
  disposition: one row per CDR line occupying a trunk over [start, end): every inbound caller
  leg (a transferred call has one per queue, end to end, on one trunk) and every dial with a
  trunk.

Times are UTC epochs, dates yyyy-mm-dd, booleans true/false, and None an empty cell.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterable, Sequence
from pathlib import Path

from orchestration.lib.acceptances import read_acceptances, record_acceptance
from orchestration.lib.center_config import CenterConfig
from orchestration.lib.raw_store import sha256_of
from orchestration.simulate.cdr import cdr_lines
from orchestration.simulate.center import AgentLogin, agent_logins
from orchestration.simulate.crm import (
    QUARANTINED_FILE,
    AgentVersion,
    CaseTruth,
    CrmFault,
    CrmFaults,
    contact_id,
    crm_export,
)
from orchestration.simulate.faults import InjectedFaults, inject_cdr_faults, inject_faults
from orchestration.simulate.inbound import CallTruth, SimulatedCenter, StintTruth
from orchestration.simulate.outbound import OutboundAttempt, TrunkCall
from orchestration.simulate.states import AgentState
from orchestration.simulate.survey import HEADER as SURVEY_HEADER
from orchestration.simulate.survey import SurveyFaults, SurveyTruth, survey_export

QUEUE_LOG_FILE = "queue_log"
CDR_FILE = "Master.csv"
CRM_DIR = "crm"
SURVEY_DIR = "surveys"
STINT_TRUTH_FILE = "stints.csv"
CALL_TRUTH_FILE = "calls.csv"
WINDOW_TRUTH_FILE = "window.csv"
SURVEY_TRUTH_FILE = "surveys.csv"
CASE_TRUTH_FILE = "cases.csv"
AGENT_TRUTH_FILE = "agents.csv"
CRM_FAULTS_FILE = "crm_faults.csv"
AGENT_LOGINS_FILE = "agent_logins.csv"
AGENT_STATES_FILE = "agent_states.csv"
OUTBOUND_ATTEMPTS_FILE = "outbound_attempts.csv"
TRUNK_CALLS_FILE = "trunk_calls.csv"


@dataclasses.dataclass(frozen=True)
class WrittenFaults:
    """What the simulator broke on purpose, per file or export."""

    queue_log: InjectedFaults
    cdr: InjectedFaults
    crm: CrmFaults = CrmFaults()
    survey: SurveyFaults = SurveyFaults(0, 0)


def write_simulated_center(
    center: SimulatedCenter, config: CenterConfig, landing_dir: Path, truth_dir: Path
) -> WrittenFaults:
    """Writes the queue_log and the CDR (with the configured faults; telesales dials and
    logins included when the center has them), the CRM and survey exports (with theirs) and
    the truth."""
    simulation = config.simulation
    assert simulation is not None
    landing_dir.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    lines, queue_log_faults = inject_faults(
        [line.render() for line in center.lines], simulation.faults, simulation.seed
    )
    (landing_dir / QUEUE_LOG_FILE).write_text("".join(f"{line}\n" for line in lines), "utf-8")
    legs = cdr_lines(
        center.legs,
        config.center.export_timezone,
        simulation.faults.gbk_name_share,
        simulation.seed,
        center.outbound,
    )
    legs, cdr_faults = inject_cdr_faults(legs, simulation.faults, simulation.seed)
    (landing_dir / CDR_FILE).write_bytes(b"".join(line + b"\n" for line in legs))
    crm = crm_export(center, config)
    for name, (header, rows) in crm.files.items():
        _write_csv(landing_dir / CRM_DIR / name, header, rows)
    surveys = survey_export(center.calls, config)
    for name, rows in surveys.files.items():
        _write_csv(landing_dir / SURVEY_DIR / name, SURVEY_HEADER, rows)

    _write_csv(
        truth_dir / STINT_TRUTH_FILE,
        [f.name for f in dataclasses.fields(StintTruth)],
        (dataclasses.astuple(stint) for stint in center.stints),
    )
    calls = [
        _CallRow(c.call_id, customer_key(c), c.caller, c.is_resolved, c.ended_epoch)
        for c in center.calls
    ]
    data_end = max(line.epoch for line in center.lines)
    truth: list[tuple[str, type, Sequence[object]]] = [
        (CALL_TRUTH_FILE, _CallRow, calls),
        (WINDOW_TRUTH_FILE, _WindowRow, [_WindowRow(data_end)]),
        (SURVEY_TRUTH_FILE, SurveyTruth, surveys.responses),
        (CASE_TRUTH_FILE, CaseTruth, crm.cases),
        (AGENT_TRUTH_FILE, AgentVersion, crm.agents),
        (CRM_FAULTS_FILE, CrmFault, crm.faults.rows),
        (AGENT_LOGINS_FILE, AgentLogin, agent_logins(center.lines)),
        (AGENT_STATES_FILE, AgentState, center.states),
    ]
    if center.outbound is not None:
        truth += [
            (OUTBOUND_ATTEMPTS_FILE, OutboundAttempt, center.outbound.attempts),
            (TRUNK_CALLS_FILE, TrunkCall, center.outbound.trunk_calls),
        ]
    for name, row_type, rows in truth:
        _write_truth(truth_dir / name, row_type, rows)
    return WrittenFaults(queue_log_faults, cdr_faults, crm.faults, surveys.faults)


def accept_deliberate_faults(landing_dir: Path, warehouse_dir: Path) -> None:
    """Accepts, in the warehouse that ingests `landing_dir`, the CRM file the simulator
    quarantines whole on purpose (QUARANTINED_FILE: its Id column missing), as a person would
    with `python -m orchestration.landing accept`: its quarantine is acknowledged, so the
    demo publishes while the check still fails on any file quarantined whole by accident."""
    name = f"{CRM_DIR}/{QUARANTINED_FILE}"
    sha256 = sha256_of((landing_dir / name).read_bytes())
    reason = "quarantined whole on purpose: the simulator's CRM export without its Id column"
    if not any((a.path, a.sha256) == (name, sha256) for a in read_acceptances(warehouse_dir)):
        record_acceptance(warehouse_dir, name, sha256, reason)


def customer_key(call: CallTruth) -> str:
    """`crm:<Contact Id>`, `tel:+1<10 digits>`, or empty (withheld number, test call)."""
    if call.customer is None:
        return ""
    if call.customer.is_crm_contact:
        return f"crm:{contact_id(call.customer)}"
    return f"tel:+1{call.customer.phone}"


@dataclasses.dataclass(frozen=True)
class _CallRow:
    call_id: str
    customer_key: str
    caller_number: str
    is_resolved: bool | None
    ended_epoch: int


@dataclasses.dataclass(frozen=True)
class _WindowRow:
    data_end_epoch: int


def _write_truth(path: Path, row_type: type, rows: Sequence[object]) -> None:
    """One truth file: a row per dataclass, booleans as true/false, None as an empty cell."""
    fields = [f.name for f in dataclasses.fields(row_type)]
    _write_csv(path, fields, ([_cell(getattr(row, f)) for f in fields] for row in rows))


def _cell(value: object) -> object:
    return str(value).lower() if isinstance(value, bool) else value


def _write_csv(path: Path, header: list[str], rows: Iterable[Iterable[object]]) -> None:
    """A CSV with a header; None is an empty cell."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
