"""The simulator: deterministic, writes real queue_log lines, CDR rows and CRM records, and its
truth is consistent (inbound calls, customers, telesales dials and trunks)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from orchestration.lib.center_config import CenterConfig
from orchestration.simulate.cdr import CHINESE_NAMES, cdr_lines
from orchestration.simulate.center import agent_logins, simulate_center
from orchestration.simulate.faults import inject_cdr_faults
from orchestration.simulate.inbound import (
    E164_SHARE,
    WITHHELD,
    QueueLogLine,
    SimulatedCenter,
    simulate_inbound,
)
from orchestration.simulate.outbound import OutboundAttempt
from orchestration.simulate.output import WrittenFaults, write_simulated_center
from orchestration.simulate.states import AgentState
from orchestration.sources.cdr import ParsedCdr, parse_cdr
from orchestration.sources.crm import ParsedCrm, parse_crm_export
from orchestration.sources.queue_log import parse_queue_log
from orchestration.sources.survey import parse_survey_export


@pytest.fixture(scope="module")
def simulated(example_config: CenterConfig) -> SimulatedCenter:
    return simulate_center(example_config)


# Two weekdays of the demo center: inbound, telesales and every kind of record, in a second.
SHORT_DAYS = 2


@pytest.fixture(scope="module")
def short_period(example_config: CenterConfig) -> CenterConfig:
    return _demo(example_config, SHORT_DAYS, {})


@pytest.fixture(scope="module")
def short_simulated(short_period: CenterConfig) -> SimulatedCenter:
    simulated = simulate_center(short_period)
    assert simulated.stints and simulated.outbound and simulated.outbound.calls
    return simulated


def test_same_seed_same_period(
    short_period: CenterConfig, short_simulated: SimulatedCenter
) -> None:
    simulated, again = short_simulated, simulate_center(short_period)
    assert again.queue_log_text() == simulated.queue_log_text()
    assert again.stints == simulated.stints
    assert again.calls == simulated.calls
    assert again.outbound == simulated.outbound
    assert again.states == simulated.states


def test_telesales_leave_the_inbound_simulation_as_it_was(
    short_period: CenterConfig, short_simulated: SimulatedCenter
) -> None:
    """Outbound runs on its own random stream: the inbound truth the KPI tests hold the
    warehouse to is the same with telesales as without."""
    simulated, inbound = short_simulated, simulate_inbound(short_period)
    assert inbound.stints == simulated.stints and inbound.calls == simulated.calls
    outbound_lines = [line for line in simulated.lines if line.queue == "outbound"]
    assert sorted(inbound.lines + outbound_lines, key=lambda line: line.epoch) == simulated.lines
    assert [dataclasses.replace(leg, trunk=None) for leg in simulated.legs] == inbound.legs


def test_queue_log_parses_cleanly_and_matches_truth(simulated: SimulatedCenter) -> None:
    parsed = parse_queue_log(simulated.queue_log_text().encode().splitlines())
    assert not parsed.quarantined and parsed.duplicate_count == 0
    events = Counter(e.event for e in parsed.events)
    outcomes = Counter(s.outcome for s in simulated.stints)
    transferred = sum(s.is_transferred for s in simulated.stints)
    assert events["ENTERQUEUE"] == len(simulated.stints)
    assert events["CONNECT"] == outcomes["answered"]
    assert events["COMPLETECALLER"] + events["COMPLETEAGENT"] == outcomes["answered"] - transferred
    assert events["BLINDTRANSFER"] + events["ATTENDEDTRANSFER"] == transferred
    assert events["BLINDTRANSFER"] > 0 and events["ATTENDEDTRANSFER"] > 0
    assert events["ABANDON"] == outcomes["abandoned"] + outcomes["short_abandoned"]
    assert events["EXITWITHKEY"] == outcomes["exit_key"] > 0
    assert events["EXITWITHTIMEOUT"] == outcomes["timeout"]
    assert events["PAUSE"] == events["UNPAUSE"] > 0
    assert events["ADDMEMBER"] == events["REMOVEMEMBER"] > 0


def test_transferred_calls_reenter_the_target_queue(simulated: SimulatedCenter) -> None:
    stints_by_call: dict[str, list] = {}
    for stint in simulated.stints:
        stints_by_call.setdefault(stint.call_id, []).append(stint)
    for stint in (s for s in simulated.stints if s.is_transferred):
        queues = [s.queue_id for s in stints_by_call[stint.call_id]]
        assert queues == ["sales", "support"], stint.call_id


def test_period_is_a_plausible_center(
    example_config: CenterConfig, simulated: SimulatedCenter
) -> None:
    outcomes = Counter(s.outcome for s in simulated.stints)
    by_day = Counter(s.arrived_epoch // 86400 for s in simulated.stints)
    assert len(by_day) == example_config.simulation.days
    assert max(by_day.values()) > 2.5 * min(by_day.values())  # the weekend is quieter
    # Caller patience makes some callers hang up, a few of them within seconds.
    assert 0.03 < outcomes["abandoned"] / len(simulated.stints) < 0.25
    short_waits = [s.wait_seconds for s in simulated.stints if s.outcome == "short_abandoned"]
    assert short_waits and max(short_waits) < example_config.center.short_abandon_s
    test_calls = {s.call_id for s in simulated.stints if s.is_test_call}
    # test_calls_per_day a day, from the test numbers
    assert len(test_calls) == example_config.simulation.test_calls_per_day * len(by_day)


def test_agents_work_their_shifts(example_config: CenterConfig, simulated: SimulatedCenter) -> None:
    zone = ZoneInfo(example_config.center.timezone)
    first_login: dict[str, dt.time] = {}
    for line in simulated.lines:
        local = dt.datetime.fromtimestamp(line.epoch, zone)
        if line.event == "ADDMEMBER" and local.date() == example_config.simulation.day:
            first_login.setdefault(line.agent, local.time())
    # Early shift from 8:00, late shift from 9:30, logging in a few minutes before.
    assert dt.time(7, 55) <= first_login["PJSIP/1001"] < dt.time(8, 0)
    assert dt.time(9, 25) <= first_login["PJSIP/1002"] < dt.time(9, 30)


def test_rona_rings_out_pauses_the_agent_and_the_call_goes_on(simulated: SimulatedCenter) -> None:
    rona = [line for line in simulated.lines if line.event == "RINGNOANSWER"]
    by_agent = Counter(line.agent for line in rona)
    assert by_agent.most_common(1)[0][0] == "PJSIP/1007"  # the agent who lets calls ring
    assert {line.data for line in rona} == {("15000",)}
    auto_pauses = [
        line for line in simulated.lines if line.event == "PAUSE" and line.data == ("Auto-Pause",)
    ]
    assert len(auto_pauses) >= len(rona)  # one per queue the agent serves
    # The rung-out calls were still answered or given up on, never lost.
    stint_calls = {s.call_id for s in simulated.stints}
    assert {line.callid for line in rona} <= stint_calls


@pytest.fixture(scope="module")
def master_csv(example_config: CenterConfig, simulated: SimulatedCenter) -> list[bytes]:
    """The simulated period's Master.csv lines (inbound legs and dials, no faults)."""
    zone = example_config.center.timezone
    return cdr_lines(simulated.legs, zone, 0.1, 1, simulated.outbound)


@pytest.fixture(scope="module")
def cdr(master_csv: list[bytes]) -> ParsedCdr:
    return parse_cdr(master_csv)


def test_cdr_has_a_leg_per_stint_and_consult_legs_linked_to_the_caller(
    simulated: SimulatedCenter, master_csv: list[bytes], cdr: ParsedCdr
) -> None:
    assert not cdr.quarantined and cdr.duplicate_count == 0
    inbound = [r for r in cdr.events if r.lastapp != "Dial"]  # the dials: see below
    assert len(inbound) == len(simulated.stints) + sum(leg.is_consult for leg in simulated.legs)
    consults = [r for r in inbound if r.channel.startswith("PJSIP/10")]
    attended = sum(1 for line in simulated.lines if line.event == "ATTENDEDTRANSFER")
    assert len(consults) == attended > 0
    assert all(r.linkedid != r.uniqueid for r in consults)
    # Chinese caller names are written in GBK (not valid UTF-8) and decode back.
    chinese = [r for r in inbound if any(name in r.clid for name in CHINESE_NAMES)]
    gbk_lines = [line for line in master_csv if not _is_utf8(line)]
    assert chinese and len(gbk_lines) == len(chinese)


def test_cdr_lines_cut_short_are_all_distinct(
    example_config: CenterConfig, master_csv: list[bytes]
) -> None:
    """Regression: lines cut after the fifth field (up to clid) repeated when one agent made
    two consult calls to one queue, and the ledger counted a malformed line as a duplicate."""
    simulation = example_config.simulation
    lines = master_csv
    faults = simulation.faults.model_copy(update={"duplicate_rate": 0, "malformed_rate": 0.05})
    out, injected = inject_cdr_faults(lines, faults, simulation.seed)
    whole = set(lines)
    cut = [line for line in out if line not in whole]
    assert len(cut) == len(set(cut)) == injected.malformed_count > 1000


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_customers_withheld_numbers_and_e164_as_configured(
    example_config: CenterConfig, simulated: SimulatedCenter
) -> None:
    customers = example_config.simulation.customers
    calls = [c for c in simulated.calls if not c.is_test_call]
    withheld = [c for c in calls if c.caller == WITHHELD]
    assert all(c.customer is None for c in withheld)
    assert all(c.customer is not None for c in calls if c.caller != WITHHELD)
    # A withheld caller is never a customer and never calls again: one call each, fresh.
    fresh = {c.customer.number for c in calls if c.customer} | {c.call_id for c in withheld}
    assert len(withheld) / len(fresh) == pytest.approx(customers.withheld_share, abs=0.006)
    people = {c.customer for c in calls if c.customer}
    numbers = [p.phone for p in people] + [p.mobile for p in people if p.mobile]
    assert len(numbers) == len(set(numbers))  # one number, one customer
    assert sum(p.is_crm_contact for p in people) / len(people) == pytest.approx(
        customers.crm_share, abs=0.02
    )
    assert all(p.is_crm_contact for p in people if p.mobile)
    assert sum(p.is_e164 for p in people) / len(people) == pytest.approx(E164_SHARE, abs=0.015)
    for call in (c for c in calls if c.customer):
        digits = call.caller.removeprefix("+1") if call.customer.is_e164 else call.caller
        assert call.caller.startswith("+1") == call.customer.is_e164
        assert digits in (call.customer.phone, call.customer.mobile) and len(digits) == 10
    # Some contacts call again from their other number.
    assert any(
        c.customer.mobile and c.caller.endswith(c.customer.mobile) for c in calls if c.customer
    )


def test_unresolved_calls_are_repeated_more_often_as_configured(
    example_config: CenterConfig, simulated: SimulatedCenter
) -> None:
    """The chance of a next call of the same customer after a call answered to the end,
    among calls that end a simulated before the period does (no censoring)."""
    customers = example_config.simulation.customers
    simulation = example_config.simulation
    last_stint = {s.call_id: s for s in sorted(simulated.stints, key=lambda s: s.arrived_epoch)}
    calls_by_customer: dict[int, list[int]] = {}
    for call in simulated.calls:
        if call.customer:
            calls_by_customer.setdefault(call.customer.number, []).append(call.arrived_epoch)
    period_end = dt.datetime.combine(
        simulation.day + dt.timedelta(days=simulation.days), dt.time(),
        tzinfo=ZoneInfo(example_config.center.timezone),
    ).timestamp()  # fmt: skip
    repeated: dict[bool, list[bool]] = {True: [], False: []}
    for call in simulated.calls:
        if (
            call.customer is None
            or last_stint[call.call_id].outcome != "answered"
            or call.ended_epoch > period_end - 7 * 86400
        ):
            continue
        later = [t for t in calls_by_customer[call.customer.number] if t > call.ended_epoch]
        repeated[bool(call.is_resolved)].append(bool(later))
        if later:  # 1 hour to 6 days later, moved into opening hours (maybe the next day)
            assert 3600 <= min(later) - call.ended_epoch <= 7 * 86400
    resolved_share = sum(repeated[True]) / len(repeated[True])
    unresolved_share = sum(repeated[False]) / len(repeated[False])
    assert resolved_share == pytest.approx(customers.repeat_resolved_share, abs=0.02)
    assert unresolved_share == pytest.approx(customers.repeat_unresolved_share, abs=0.05)
    resolved = [c.is_resolved for c in simulated.calls if c.is_resolved is not None]
    assert sum(resolved) / len(resolved) == pytest.approx(customers.resolve_share, abs=0.05)
    # Repeats after the period are dropped: nothing arrives after the last day closes.
    assert max(c.arrived_epoch for c in simulated.calls) < period_end


@dataclass(frozen=True)
class Written:
    landing: Path
    truth: Path
    faults: WrittenFaults
    crm: dict[str, ParsedCrm]  # every CRM export file, parsed once, by name


@pytest.fixture(scope="module")
def written(
    example_config: CenterConfig,
    simulated: SimulatedCenter,
    tmp_path_factory: pytest.TempPathFactory,
) -> Written:
    root = tmp_path_factory.mktemp("simulated_exports")
    faults = write_simulated_center(simulated, example_config, root / "landing", root / "truth")
    crm = {
        path.name: parse_crm_export(path.read_bytes().splitlines(), path.name)
        for path in sorted((root / "landing" / "crm").glob("*.csv"))
    }
    return Written(root / "landing", root / "truth", faults, crm)


def _crm(written: Written, pattern: str) -> dict[str, ParsedCrm]:
    return {name: parsed for name, parsed in written.crm.items() if fnmatch(name, pattern)}


def _records(written: Written, crm_object: str) -> list[tuple[str, dict[str, str]]]:
    """(file, fields) of every loaded record of the object's files."""
    return [
        (name, json.loads(record.fields))
        for name, parsed in _crm(written, f"{crm_object}*.csv").items()
        for record in parsed.events
    ]


def _truth(written: Written, name: str) -> list[dict[str, str]]:
    with (written.truth / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_task_is_an_answered_call_by_its_last_agent(
    simulated: SimulatedCenter, written: Written
) -> None:
    tasks = [fields for _, fields in _records(written, "Task") if fields["CallType"] == "Inbound"]
    answered = {c.call_id: c for c in simulated.calls if c.answered_epoch and not c.is_test_call}
    assert [t["CallObject"] for t in tasks] == list(answered)  # one each, none other
    for task in tasks:
        call = answered[task["CallObject"]]
        assert task["OwnerId"] == "005SIM000" + call.agent.removeprefix("PJSIP/")
        assert task["CallDisposition"] == ("Resolved" if call.is_resolved else "Follow-up")
        assert int(task["CallDurationInSeconds"]) == call.talk_seconds > 0
        is_contact = call.customer is not None and call.customer.is_crm_contact
        assert ("WhoId" in task) == ("WhatId" in task) == is_contact


def test_every_answered_contact_call_has_exactly_one_phone_case(
    simulated: SimulatedCenter, written: Written
) -> None:
    cases = [fields for name, fields in _records(written, "Case") if name == "Case.csv"]
    phone_cases = Counter(c["Id"] for c in cases if c["Origin"] == "Phone")
    assert set(phone_cases.values()) == {1}
    case_of_call = {
        t["CallObject"]: t["WhatId"]
        for _, t in _records(written, "Task")
        if "WhatId" in t and t["CallType"] == "Inbound"
    }
    contact_calls = [
        c for c in simulated.calls if c.answered_epoch and c.customer and c.customer.is_crm_contact
    ]
    assert sorted(case_of_call) == sorted(c.call_id for c in contact_calls)
    assert sorted(case_of_call.values()) == sorted(phone_cases)
    truth = {row["case_id"]: row for row in _truth(written, "cases.csv")}
    for call in contact_calls:
        case = truth[case_of_call[call.call_id]]
        assert (case["call_id"], case["origin"]) == (call.call_id, "Phone")
        assert int(case["created_epoch"]) == call.answered_epoch
    # Other channels: cases with no call, every day.
    others = Counter(c["Origin"] for c in cases if c["Origin"] != "Phone")
    assert set(others) == {"Email", "Web", "Chat", "Social"}
    assert all(not row["call_id"] for row in truth.values() if row["origin"] != "Phone")
    complaints = [row for row in truth.values() if row["type"] == "Complaint"]
    assert 0.01 < len(complaints) / len(truth) < 0.03  # complaint_share 0.02


def test_moved_agent_has_two_user_versions(written: Written) -> None:
    users = [(name, fields) for name, fields in _records(written, "User")]
    versions = [(name, u["Department"], u["SystemModstamp"]) for name, u in users
                if u.get("Extension") == "1004"]  # fmt: skip
    assert versions == [
        ("User.csv", "Sales East", "2022-06-13T04:00:00.000Z"),  # hired, at local midnight
        ("User_2026-10-26.csv", "Support A", "2026-10-26T04:00:00.000Z"),  # EDT midnight
    ]
    leads = {u["Department"]: u["Id"] for _, u in users if "Extension" not in u}
    managers = [u["ManagerId"] for _, u in users if u.get("Extension") == "1004"]
    assert managers == [leads["Sales East"], leads["Support A"]]
    agents = _truth(written, "agents.csv")
    assert [(a["team"], a["valid_from"]) for a in agents if a["agent_id"] == "1004"] == [
        ("Sales East", "2022-06-13"),
        ("Support A", "2026-10-26"),
    ]
    # 10 inbound agents (one moved: two versions) and 6 telesales agents.
    assert len(agents) == 17 and {a["site"] for a in agents} == {"Boston", "Denver"}


def test_crm_faults_are_exactly_what_the_parser_meets(
    example_config: CenterConfig, simulated: SimulatedCenter, written: Written
) -> None:
    faults = written.faults.crm
    parsed = _crm(written, "*.csv")
    quarantined = {name: len(p.quarantined) for name, p in parsed.items() if p.quarantined}
    assert quarantined == faults.quarantined_files == {"Opportunity_bad.csv": 5}
    declared = {f"{o}.{c}" for o, cs in example_config.crm.custom_fields.items() for c in cs}
    unknown = {
        f"{record.object_name}.{column}"
        for p in parsed.values()
        for record in p.events
        for column in json.loads(record.unknown_columns or "[]")
    }
    assert unknown - declared == faults.unknown_columns == {"Contact.Preferred_Language__c"}
    deleted = {r.record_id for p in parsed.values() for r in p.events if r.is_deleted}
    assert deleted == faults.deleted_record_ids and len(deleted) == 3
    cases = {row["case_id"]: row for row in _truth(written, "cases.csv")}
    assert {i for i, row in cases.items() if row["is_deleted"] == "true"} == deleted
    assert any(cases[i]["type"] == "Complaint" and cases[i]["call_id"] for i in deleted)
    (account_drift,) = faults.of_kind("missing_optional_column")
    assert all(
        "Industry" not in f for n, f in _records(written, "Account") if n == account_drift.file
    )
    changed = {(f.file, f.record_id) for f in faults.of_kind("changed_record")}
    incremental = {
        (n, f["Id"]) for o in ("Account", "Contact") for n, f in _records(written, o) if "_" in n
    }
    assert changed == incremental
    # Contacts' phones as CRM users type them, the same numbers as the PBX logs.
    contacts = _records(written, "Contact")
    formats = {
        re.sub(r"\d", "N", f[phone])
        for _, f in contacts
        for phone in ("Phone", "MobilePhone")
        if phone in f
    }
    assert formats == {"(NNN) NNN-NNNN", "NNN-NNN-NNNN", "+N NNN NNN NNNN", "NNN.NNN.NNNN"}
    numbers = {re.sub(r"\D", "", f["Phone"])[-10:] for _, f in contacts}
    logged = {c.caller.removeprefix("+1") for c in simulated.calls if c.customer}
    assert numbers <= logged


def test_survey_scores_follow_the_truth_within_scale_but_for_the_faults(
    simulated: SimulatedCenter, written: Written
) -> None:
    responses = []
    quarantined = []
    for path in sorted((written.landing / "surveys").glob("*.csv")):
        parsed = parse_survey_export(path.read_bytes().splitlines(), "UTC")
        responses += parsed.events
        quarantined += parsed.quarantined
    faults = written.faults.survey
    assert faults.out_of_range_count > 5 and faults.unknown_call_count > 5
    assert len(quarantined) == faults.out_of_range_count  # csat 6 or nps 11
    truth = {row["response_id"]: row for row in _truth(written, "surveys.csv")}
    assert Counter(row["status"] for row in truth.values()) == {
        "loaded": len(responses) - faults.unknown_call_count,
        "out_of_range": faults.out_of_range_count,
        "unknown_call": faults.unknown_call_count,
    }
    calls = {c.call_id: c for c in simulated.calls}
    csat: dict[bool, list[int]] = {True: [], False: []}
    for response in responses:
        row = truth[response.response_id]
        named = response.call_uniqueid or response.call_linkedid
        if row["status"] == "unknown_call":
            assert named not in calls and not row["call_id"]
            continue
        call = calls[row["call_id"]]
        assert named in (call.call_id, None)
        assert response.caller_number in (call.caller, None)
        assert call.customer is not None and call.answered_epoch is not None
        assert 60 <= (response.submitted_at - _utc(call.ended_epoch)).total_seconds() <= 1800
        if response.csat is not None:
            csat[bool(call.is_resolved)].append(response.csat)
    share = len(truth) / sum(1 for c in calls.values() if c.customer and c.answered_epoch)
    assert 0.22 < share < 0.28  # survey_share 0.25
    assert statistics.mean(csat[True]) - statistics.mean(csat[False]) > 1.2


def test_customer_keys_and_window_truth(simulated: SimulatedCenter, written: Written) -> None:
    calls = _truth(written, "calls.csv")
    assert len(calls) == len(simulated.calls)
    for row, call in zip(calls, simulated.calls, strict=True):
        if call.customer is None:
            assert row["customer_key"] == ""
            assert call.is_test_call or row["caller_number"] == WITHHELD
        elif call.customer.is_crm_contact:
            assert re.fullmatch(r"crm:003SIM\d{9}", row["customer_key"])
        else:
            assert row["customer_key"] == f"tel:+1{call.caller.removeprefix('+1')}"
        assert row["is_resolved"] in ("true", "false", "")
        assert (row["is_resolved"] == "") == (call.answered_epoch is None)
    keys = Counter(row["customer_key"] for row in calls if row["customer_key"])
    assert max(keys.values()) > 3  # customers call again
    (window,) = _truth(written, "window.csv")
    assert int(window["data_end_epoch"]) == max(line.epoch for line in simulated.lines)


def _utc(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).replace(tzinfo=None)


# ---------- telesales and trunks


def _dials(simulated: SimulatedCenter) -> list[OutboundAttempt]:
    assert simulated.outbound is not None
    return simulated.outbound.attempts


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags)


def test_truth_files_of_telesales_trunks_and_logins_have_their_columns(written: Written) -> None:
    headers = {
        name: next(csv.reader((written.truth / name).open(encoding="utf-8")))
        for name in (
            "outbound_attempts.csv", "trunk_calls.csv", "agent_logins.csv", "agent_states.csv"
        )
    }  # fmt: skip
    assert headers == {
        "outbound_attempts.csv": [
            "uniqueid", "agent_id", "campaign", "trunk", "start_epoch", "answer_epoch",
            "end_epoch", "disposition", "billsec", "is_machine", "is_connect",
            "disposition_crm", "is_intent", "opportunity_id", "is_won", "amount", "close_date",
            "is_converted", "local_date",
        ],
        "trunk_calls.csv": [
            "trunk", "direction", "uniqueid", "start_epoch", "end_epoch", "disposition",
        ],
        "agent_logins.csv": ["agent_id", "login_epoch", "logout_epoch"],
        "agent_states.csv": ["agent_id", "state", "pause_reason", "start_epoch", "end_epoch"],
    }  # fmt: skip
    dial = next(r for r in _truth(written, "outbound_attempts.csv") if r["is_converted"] == "true")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", dial["close_date"]) and dial["is_won"] == "true"


def test_dials_are_cdr_rows_the_parser_reads_as_the_truth_says(
    example_config: CenterConfig, simulated: SimulatedCenter, cdr: ParsedCdr
) -> None:
    parsed = cdr
    assert not parsed.quarantined and parsed.duplicate_count == 0
    rows = {r.uniqueid: r for r in parsed.events if r.lastapp == "Dial"}
    dials = _dials(simulated)
    assert len(rows) == len(dials) and len(parsed.events) == len(dials) + len(simulated.legs)
    zone = ZoneInfo(example_config.center.timezone)
    campaigns = {c.accountcode for c in example_config.simulation.outbound.campaigns}
    for dial in dials:
        row = rows[dial.uniqueid]
        assert row.dcontext in example_config.outbound.dial_contexts
        assert row.accountcode == dial.campaign in campaigns
        assert row.src == dial.agent_id and row.clid.endswith(f"<{dial.agent_id}>")
        assert re.fullmatch(r"\d{10}", row.dst) and row.linkedid == dial.uniqueid
        assert row.channel.startswith(f"PJSIP/{dial.agent_id}-")
        assert row.dstchannel is not None and row.dstchannel.startswith(f"PJSIP/{dial.trunk}-")
        assert (row.disposition, row.billsec_seconds) == (dial.disposition, dial.billsec)
        assert row.start == dt.datetime.fromtimestamp(dial.start_epoch, zone).replace(tzinfo=None)
        assert row.duration_seconds == dial.end_epoch - dial.start_epoch
        assert (row.answer is None) == (dial.answer_epoch is None)
        assert (row.userfield == "AMD=MACHINE") == dial.is_machine
        assert dial.is_connect == (
            row.disposition == "ANSWERED" and row.billsec_seconds > 0 and not dial.is_machine
        )
    dispositions = Counter(d.disposition for d in dials)
    assert set(dispositions) == {"ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION"}
    answered = [d for d in dials if d.disposition == "ANSWERED"]
    assert any(d.billsec == 0 for d in answered) and any(d.is_machine for d in answered)


def test_an_inbound_caller_keeps_one_trunk_across_its_cdr_lines(
    simulated: SimulatedCenter, cdr: ParsedCdr
) -> None:
    trunks: dict[str, set[str]] = {}
    for row in cdr.events:
        if row.dcontext == "from-trunk":
            trunks.setdefault(row.uniqueid, set()).add(row.channel.rsplit("-", 1)[0])
    assert all(len(seen) == 1 for seen in trunks.values())
    transferred = {s.call_id for s in simulated.stints if s.is_transferred}
    assert transferred and transferred <= set(trunks)
    assert simulated.outbound is not None
    routed = simulated.outbound.inbound_trunks
    assert {call: f"PJSIP/{routed[call]}" for call in trunks} == {
        call: seen.pop() for call, seen in trunks.items()
    }


def test_connect_rate_rises_from_morning_to_late_afternoon(
    example_config: CenterConfig, simulated: SimulatedCenter
) -> None:
    dials = _dials(simulated)
    assert 0.35 <= _share([d.is_connect for d in dials]) <= 0.5
    zone = ZoneInfo(example_config.center.timezone)
    by_hour: dict[int, list[bool]] = {}
    for dial in dials:
        hour = dt.datetime.fromtimestamp(dial.start_epoch, zone).hour
        by_hour.setdefault(hour, []).append(dial.is_connect)
    morning = _share(by_hour[8] + by_hour[9])
    afternoon = _share(by_hour[16] + by_hour[17])
    assert afternoon - morning > 0.12
    assert all(d.local_date.weekday() < 5 for d in dials)  # telesales work weekdays


def test_new_hires_convert_at_about_half_the_tenured_rate(
    example_config: CenterConfig, simulated: SimulatedCenter
) -> None:
    teams = {a.agent_id: a.team for a in example_config.simulation.outbound.agents}
    connects: dict[str, list[bool]] = {}
    for dial in (d for d in _dials(simulated) if d.is_connect):
        connects.setdefault(teams[dial.agent_id], []).append(dial.is_converted)
    tenured, new = _share(connects["Telesales Tenured"]), _share(connects["Telesales New"])
    assert 0.35 <= new / tenured <= 0.65, (new, tenured)
    assert len(connects["Telesales New"]) > 3000  # a month of connects, not a few


def test_conversions_follow_the_opportunities_and_the_attribution_window(
    example_config: CenterConfig, simulated: SimulatedCenter
) -> None:
    simulation = example_config.simulation
    last_day = simulation.day + dt.timedelta(days=simulation.days - 1)
    window = dt.timedelta(days=example_config.outbound.attribution_days)
    intents = set(example_config.outbound.intent_dispositions)
    assert simulated.outbound is not None
    stages: Counter[str] = Counter()
    for call in simulated.outbound.calls:
        dial, opportunity = call.attempt, call.opportunity
        assert dial.is_intent == (dial.disposition_crm in intents) == (opportunity is not None)
        assert dial.is_connect == (dial.disposition_crm is not None)
        assert dial.is_converted == (
            dial.is_won
            and dial.close_date is not None
            and dial.close_date <= dial.local_date + window
        )
        if opportunity is None:
            continue
        stages[opportunity.stage] += 1
        campaign = next(c for c in simulation.outbound.campaigns if c.accountcode == dial.campaign)
        assert campaign.amount[0] <= opportunity.amount <= campaign.amount[1]
        is_open = opportunity.close_date > last_day  # the export is taken at the period's end
        assert is_open == (opportunity.stage in ("Prospecting", "Negotiation"))
        assert dial.is_won == (opportunity.stage == "Closed Won")
        assert (dial.close_date is None) == is_open
        assert 0 <= (opportunity.close_date - dial.local_date).days <= 40
    assert set(stages) == {"Closed Won", "Closed Lost", "Prospecting", "Negotiation"}


def test_trunk_c_fails_the_largest_share_of_dials(simulated: SimulatedCenter) -> None:
    failures: dict[str, list[bool]] = {}
    for dial in _dials(simulated):
        assert dial.trunk is not None  # the demo never fills every trunk
        failed = dial.disposition in ("BUSY", "FAILED", "CONGESTION")
        failures.setdefault(dial.trunk, []).append(failed)
    shares = {trunk: _share(flags) for trunk, flags in failures.items()}
    assert max(shares, key=shares.__getitem__) == "trunk-c"
    assert shares["trunk-c"] > 2 * max(shares["trunk-a"], shares["trunk-b"])


def test_no_trunk_exceeds_its_capacity_and_trunk_c_fills_at_peaks(
    example_config: CenterConfig, written: Written
) -> None:
    """A brute-force count of the truth's calls over [start, end) at every start."""
    rows = _truth(written, "trunk_calls.csv")
    spans: dict[str, list[tuple[int, int]]] = {}
    for row in rows:
        spans.setdefault(row["trunk"], []).append((int(row["start_epoch"]), int(row["end_epoch"])))
    peaks = {}
    for trunk, calls in spans.items():
        starts = sorted(calls)
        ends = sorted(end for _, end in calls)
        peak = ended = 0
        for index, (start, _) in enumerate(starts):
            while ends[ended] <= start:
                ended += 1
            peak = max(peak, index + 1 - ended)
        peaks[trunk] = peak
    capacity = {t.trunk_id: t.capacity for t in example_config.trunks}
    assert all(peaks[t] <= capacity[t] for t in peaks), peaks
    assert peaks["trunk-c"] >= 0.9 * capacity["trunk-c"]
    assert {row["direction"] for row in rows} == {"inbound", "outbound"}


def test_every_connect_has_exactly_one_task_and_its_opportunity(
    simulated: SimulatedCenter, written: Written
) -> None:
    tasks = [t for _, t in _records(written, "Task") if t["CallType"] == "Outbound"]
    connects = {d.uniqueid: d for d in _dials(simulated) if d.is_connect}
    assert sorted(t["CallObject"] for t in tasks) == sorted(connects)  # one each, none other
    opportunities = {o["Id"]: o for _, o in _records(written, "Opportunity")}
    campaigns = {c["Name"]: c["Id"] for _, c in _records(written, "Campaign")}
    assert set(campaigns) == {"RENEWAL", "WINBACK"}
    for task in tasks:
        dial = connects[task["CallObject"]]
        assert task["OwnerId"] == f"005SIM000{dial.agent_id}"
        assert task["CallDisposition"] == dial.disposition_crm
        assert int(task["CallDurationInSeconds"]) == dial.billsec > 0
        assert task.get("WhatId") == dial.opportunity_id
        if dial.opportunity_id is None:
            continue
        opportunity = opportunities.pop(dial.opportunity_id)
        assert opportunity["IsWon"] == str(dial.is_won).lower()
        assert int(opportunity["Amount"]) == dial.amount
        assert opportunity["CampaignId"] == campaigns[dial.campaign]
        if dial.close_date is not None:
            assert opportunity["CloseDate"] == dial.close_date.isoformat()
    assert not opportunities  # none without its call
    users = {u["Extension"]: u for _, u in _records(written, "User") if "Extension" in u}
    assert users["2004"]["Department"] == "Telesales New"
    assert users["2001"]["Department"] == "Telesales Tenured"


def test_every_agent_has_its_login_spans(
    example_config: CenterConfig, simulated: SimulatedCenter, written: Written
) -> None:
    logins = _truth(written, "agent_logins.csv")
    agents = {a.agent_id for a in example_config.simulation.staff}
    assert {row["agent_id"] for row in logins} == agents
    zone = ZoneInfo(example_config.center.timezone)
    days: dict[str, set[dt.date]] = {}
    for row in logins:
        login, logout = int(row["login_epoch"]), int(row["logout_epoch"])
        assert login < logout < login + 12 * 3600
        days.setdefault(row["agent_id"], set()).add(dt.datetime.fromtimestamp(login, zone).date())
    assert len(days["1001"]) == example_config.simulation.days
    assert len(days["2001"]) == 20 and all(day.weekday() < 5 for day in days["2001"])
    # Telesales agents log in to the outbound queue only and take no inbound calls.
    outbound = {line.agent for line in simulated.lines if line.queue == "outbound"}
    assert outbound == {f"PJSIP/{a.agent_id}" for a in example_config.simulation.outbound.agents}
    assert not outbound & {s.agent for s in simulated.stints}
    pauses = Counter(line.event for line in simulated.lines if line.agent in outbound)
    assert pauses["PAUSE"] == pauses["UNPAUSE"] == pauses["ADDMEMBER"] > 0


# ---------- agent states


def _states_by_agent(center: SimulatedCenter) -> dict[str, list[AgentState]]:
    by_agent: dict[str, list[AgentState]] = {}
    for span in center.states:
        by_agent.setdefault(span.agent_id, []).append(span)
    return by_agent


def _seconds(spans: list[AgentState]) -> int:
    return sum(span.end_epoch - span.start_epoch for span in spans)


def test_agent_states_partition_every_login_exactly(
    example_config: CenterConfig, simulated: SimulatedCenter
) -> None:
    logins: dict[str, list[tuple[int, int]]] = {}
    for login in agent_logins(simulated.lines):
        logins.setdefault(login.agent_id, []).append((login.login_epoch, login.logout_epoch))
    by_agent = _states_by_agent(simulated)
    assert set(by_agent) == set(logins) == {a.agent_id for a in example_config.simulation.staff}
    for agent, spans in by_agent.items():
        assert spans == sorted(spans, key=lambda span: span.start_epoch)  # by agent, then time
        covered: list[tuple[int, int]] = []
        for span in spans:
            assert span.start_epoch < span.end_epoch, span
            assert (span.pause_reason != "") == (span.state in ("paused", "wrap_up")), span
            if covered and covered[-1][1] == span.start_epoch:
                covered[-1] = (covered[-1][0], span.end_epoch)
            else:
                covered.append((span.start_epoch, span.end_epoch))
        assert covered == sorted(logins[agent]), agent
    states = Counter(span.state for span in simulated.states)
    assert set(states) == {"ringing", "talking", "wrap_up", "paused", "idle"}


def test_talking_adds_up_to_the_answered_talk_of_each_agent(simulated: SimulatedCenter) -> None:
    expected: Counter[str] = Counter()
    for stint in simulated.stints:
        if stint.outcome == "answered":
            expected[stint.agent.split("/")[-1]] += stint.talk_seconds
    for dial in _dials(simulated):
        if dial.answer_epoch is not None:
            expected[dial.agent_id] += dial.end_epoch - dial.answer_epoch
    talking: Counter[str] = Counter()
    for span in simulated.states:
        if span.state == "talking":
            talking[span.agent_id] += span.end_epoch - span.start_epoch
    assert talking == expected and len(expected) == 16


def test_wrap_up_is_the_logged_acw_pause_right_after_a_talk(
    example_config: CenterConfig, simulated: SimulatedCenter
) -> None:
    acw = example_config.center.acw_pause_reasons[0]
    logging_acw = {a.agent_id for a in example_config.simulation.agents if a.acw_pause}
    assert logging_acw == {"1001", "1006", "1008", "1009"}
    wrap_ups: set[tuple[str, int, int]] = set()
    for agent, spans in _states_by_agent(simulated).items():
        for before, span in zip(spans, spans[1:], strict=False):
            if span.state == "wrap_up":
                assert span.pause_reason == acw
                assert before.state == "talking" and before.end_epoch == span.start_epoch
                wrap_ups.add((agent, span.start_epoch, span.end_epoch))
    assert {agent for agent, _, _ in wrap_ups} == logging_acw
    # One ACW PAUSE (per queue) at each wrap-up's start, its UNPAUSE at the end: nothing else.
    pauses = {(line.agent, line.epoch) for line in simulated.lines if line.data == (acw,)}
    assert pauses == {(f"PJSIP/{agent}", start) for agent, start, _ in wrap_ups}
    unpauses = {(line.agent, line.epoch) for line in simulated.lines if line.event == "UNPAUSE"}
    assert all((f"PJSIP/{agent}", end) in unpauses for agent, _, end in wrap_ups)


def _assert_members_paused_and_unpaused_in_order(lines: list[QueueLogLine]) -> None:
    """Per agent and queue: PAUSE only when in and not paused, UNPAUSE only when paused and
    still in (Asterisk cannot unpause a removed member); a logout ends any pause."""
    paused: dict[tuple[str, str], bool | None] = {}  # None: not a member
    for line in lines:
        member = (line.agent, line.queue)
        if line.event == "ADDMEMBER":
            assert paused.get(member) is None, line
            paused[member] = False
        elif line.event == "REMOVEMEMBER":
            paused[member] = None
        elif line.event in ("PAUSE", "UNPAUSE"):
            assert paused.get(member) is (line.event == "UNPAUSE"), line
            paused[member] = line.event == "PAUSE"


def test_pauses_follow_the_members_state_in_queue_log_order(simulated: SimulatedCenter) -> None:
    """An ACW UNPAUSE comes before a pending Lunch PAUSE of the same second."""
    _assert_members_paused_and_unpaused_in_order(simulated.lines)
    paused_at = {(line.agent, line.epoch) for line in simulated.lines if line.event == "PAUSE"}
    unpaused_and_paused = [
        line for line in simulated.lines
        if line.event == "UNPAUSE" and (line.agent, line.epoch) in paused_at
    ]  # fmt: skip
    assert unpaused_and_paused  # the order was put to the test


def test_inbound_ringing_is_the_ring_the_logs_show(
    example_config: CenterConfig, simulated: SimulatedCenter
) -> None:
    """Each CONNECT's ring (its ring seconds) and each RONA's 15 s, then the auto-pause; a
    ring the caller hung up on shows nowhere, so it is idle."""
    follows = {
        (span.agent_id, span.end_epoch): (span, after)
        for spans in _states_by_agent(simulated).values()
        for span, after in zip(spans, spans[1:], strict=False)
    }
    rings = []
    for line in simulated.lines:
        if line.event not in ("CONNECT", "RINGNOANSWER"):
            continue
        ring, after = follows[(line.agent.split("/")[-1], line.epoch)]
        rings.append(ring)
        if line.event == "CONNECT":
            assert ring.end_epoch - ring.start_epoch == int(line.data[2]), line
            assert after.state == "talking", line
        else:
            assert ring.end_epoch - ring.start_epoch == 15, line
            assert (after.state, after.pause_reason) == ("paused", "Auto-Pause"), line
    assert all(ring.state == "ringing" for ring in rings)
    inbound = {a.agent_id for a in example_config.simulation.agents}
    ringing = [s for s in simulated.states if s.state == "ringing" and s.agent_id in inbound]
    assert len(ringing) == len(rings)  # no other ring, none the caller hung up on
    assert Counter(line.event for line in simulated.lines)["RINGNOANSWER"] > 100


def _demo(config: CenterConfig, days: int, agents: dict[str, dict[str, object]]) -> CenterConfig:
    """The demo center over its first `days` days, some agents' fields changed (by id)."""
    simulation = config.simulation
    assert simulation is not None
    changed = [a.model_copy(update=agents.get(a.agent_id, {})) for a in simulation.agents]
    update = {"days": days, "agents": changed}
    return config.model_copy(update={"simulation": simulation.model_copy(update=update)})


def test_agent_stories_hold_over_a_demo_week(example_config: CenterConfig) -> None:
    center = simulate_inbound(_demo(example_config, 5, {}))
    states = _states_by_agent(center)

    def spans(agent: str, state: str, reason: str) -> list[AgentState]:
        return [s for s in states[agent] if (s.state, s.pause_reason) == (state, reason)]

    # 1008 wraps up slowly, 1009 quickly (wrap_up_s [60, 180] and [3, 12]).
    slow, quick = spans("1008", "wrap_up", "ACW"), spans("1009", "wrap_up", "ACW")
    assert 100 < _seconds(slow) / len(slow) < 140 and min(_seconds([s]) for s in slow) >= 60
    assert _seconds(quick) / len(quick) < 10
    # 1003 lunches twice as long as 1002 (pause_factor 2), five lunches each.
    assert _seconds(spans("1003", "paused", "Lunch")) == 2 * 5 * 1800
    assert _seconds(spans("1002", "paused", "Lunch")) == 5 * 1800
    # 1009 talks a quarter less than every other agent of the support queue.
    talk: dict[str, list[int]] = {}
    for stint in center.stints:
        if stint.outcome == "answered" and stint.queue_id == "support":
            talk.setdefault(stint.agent.split("/")[-1], []).append(stint.talk_seconds)
    means = {agent: statistics.mean(seconds) for agent, seconds in talk.items()}
    star = means.pop("1009")
    assert len(means) == 6 and star < 0.85 * min(means.values()), (star, means)


def test_a_member_logged_out_while_paused_is_not_unpaused(example_config: CenterConfig) -> None:
    """Regression: the simulator unpaused an agent after its REMOVEMEMBER, which Asterisk
    cannot do. 1003's break (10 x 10 min) runs past its logout."""
    center = simulate_inbound(_demo(example_config, 1, {"1003": {"pause_factor": 10}}))
    _assert_members_paused_and_unpaused_in_order(center.lines)
    events = Counter(line.event for line in center.lines if line.agent == "PJSIP/1003")
    assert events["PAUSE"] == events["UNPAUSE"] + 1 and events["REMOVEMEMBER"] == 1
    last = _states_by_agent(center)["1003"][-1]
    (logout,) = [line.epoch for line in center.lines if line.event == "REMOVEMEMBER"
                 and line.agent == "PJSIP/1003"]  # fmt: skip
    assert (last.state, last.pause_reason, last.end_epoch) == ("paused", "Break", logout)
