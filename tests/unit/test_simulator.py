"""The simulator: deterministic, writes real queue_log lines, and its truth is consistent."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from orchestration.center_config import CenterConfig
from orchestration.simulate.cdr import CHINESE_NAMES, cdr_lines
from orchestration.simulate.inbound import (
    E164_SHARE,
    WITHHELD,
    SimulatedCenter,
    simulate_inbound,
)
from orchestration.sources.cdr import parse_cdr
from orchestration.sources.queue_log import parse_queue_log


@pytest.fixture(scope="module")
def week(example_config: CenterConfig) -> SimulatedCenter:
    return simulate_inbound(example_config)


def test_same_seed_same_week(example_config: CenterConfig, week: SimulatedCenter) -> None:
    again = simulate_inbound(example_config)
    assert again.queue_log_text() == week.queue_log_text()
    assert again.stints == week.stints
    assert again.calls == week.calls


def test_queue_log_parses_cleanly_and_matches_truth(week: SimulatedCenter) -> None:
    parsed = parse_queue_log(week.queue_log_text().encode().splitlines())
    assert not parsed.quarantined and parsed.duplicate_count == 0
    events = Counter(e.event for e in parsed.events)
    outcomes = Counter(s.outcome for s in week.stints)
    transferred = sum(s.is_transferred for s in week.stints)
    assert events["ENTERQUEUE"] == len(week.stints)
    assert events["CONNECT"] == outcomes["answered"]
    assert events["COMPLETECALLER"] + events["COMPLETEAGENT"] == outcomes["answered"] - transferred
    assert events["BLINDTRANSFER"] + events["ATTENDEDTRANSFER"] == transferred
    assert events["BLINDTRANSFER"] > 0 and events["ATTENDEDTRANSFER"] > 0
    assert events["ABANDON"] == outcomes["abandoned"] + outcomes["short_abandoned"]
    assert events["EXITWITHKEY"] == outcomes["exit_key"] > 0
    assert events["EXITWITHTIMEOUT"] == outcomes["timeout"]
    assert events["PAUSE"] == events["UNPAUSE"] > 0
    assert events["ADDMEMBER"] == events["REMOVEMEMBER"] > 0


def test_transferred_calls_reenter_the_target_queue(week: SimulatedCenter) -> None:
    stints_by_call: dict[str, list] = {}
    for stint in week.stints:
        stints_by_call.setdefault(stint.call_id, []).append(stint)
    for stint in (s for s in week.stints if s.is_transferred):
        queues = [s.queue_id for s in stints_by_call[stint.call_id]]
        assert queues == ["sales", "support"], stint.call_id


def test_week_is_a_plausible_center(example_config: CenterConfig, week: SimulatedCenter) -> None:
    outcomes = Counter(s.outcome for s in week.stints)
    by_day = Counter(s.arrived_epoch // 86400 for s in week.stints)
    assert len(by_day) == example_config.simulation.days
    assert max(by_day.values()) > 2.5 * min(by_day.values())  # the weekend is quieter
    # Caller patience makes some callers hang up, a few of them within seconds.
    assert 0.03 < outcomes["abandoned"] / len(week.stints) < 0.25
    short_waits = [s.wait_seconds for s in week.stints if s.outcome == "short_abandoned"]
    assert short_waits and max(short_waits) < example_config.center.short_abandon_s
    test_calls = {s.call_id for s in week.stints if s.is_test_call}
    # test_calls_per_day a day, from the test numbers
    assert len(test_calls) == example_config.simulation.test_calls_per_day * len(by_day)


def test_agents_work_their_shifts(example_config: CenterConfig, week: SimulatedCenter) -> None:
    zone = ZoneInfo(example_config.center.timezone)
    first_login: dict[str, dt.time] = {}
    for line in week.lines:
        local = dt.datetime.fromtimestamp(line.epoch, zone)
        if line.event == "ADDMEMBER" and local.date() == example_config.simulation.day:
            first_login.setdefault(line.agent, local.time())
    # Early shift from 8:00, late shift from 9:30, logging in a few minutes before.
    assert dt.time(7, 55) <= first_login["PJSIP/1001"] < dt.time(8, 0)
    assert dt.time(9, 25) <= first_login["PJSIP/1002"] < dt.time(9, 30)


def test_rona_rings_out_pauses_the_agent_and_the_call_goes_on(week: SimulatedCenter) -> None:
    rona = [line for line in week.lines if line.event == "RINGNOANSWER"]
    by_agent = Counter(line.agent for line in rona)
    assert by_agent.most_common(1)[0][0] == "PJSIP/1007"  # the agent who lets calls ring
    assert {line.data for line in rona} == {("15000",)}
    auto_pauses = [
        line for line in week.lines if line.event == "PAUSE" and line.data == ("Auto-Pause",)
    ]
    assert len(auto_pauses) >= len(rona)  # one per queue the agent serves
    # The rung-out calls were still answered or given up on, never lost.
    stint_calls = {s.call_id for s in week.stints}
    assert {line.callid for line in rona} <= stint_calls


def test_cdr_has_a_leg_per_stint_and_consult_legs_linked_to_the_caller(
    example_config: CenterConfig, week: SimulatedCenter
) -> None:
    lines = cdr_lines(week.legs, example_config.center.timezone, 0.1, seed=1)
    parsed = parse_cdr(lines)
    assert not parsed.quarantined and parsed.duplicate_count == 0
    assert len(parsed.events) == len(week.stints) + sum(leg.is_consult for leg in week.legs)
    consults = [r for r in parsed.events if r.channel.startswith("PJSIP/10")]
    attended = sum(1 for line in week.lines if line.event == "ATTENDEDTRANSFER")
    assert len(consults) == attended > 0
    assert all(r.linkedid != r.uniqueid for r in consults)
    # Chinese caller names are written in GBK (not valid UTF-8) and decode back.
    chinese = [r for r in parsed.events if any(name in r.clid for name in CHINESE_NAMES)]
    gbk_lines = [line for line in lines if not _is_utf8(line)]
    assert chinese and len(gbk_lines) == len(chinese)


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_customers_withheld_numbers_and_e164_as_configured(
    example_config: CenterConfig, week: SimulatedCenter
) -> None:
    customers = example_config.simulation.customers
    calls = [c for c in week.calls if not c.is_test_call]
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
    example_config: CenterConfig, week: SimulatedCenter
) -> None:
    """The chance of a next call of the same customer after a call answered to the end,
    among calls that end a week before the period does (no censoring)."""
    customers = example_config.simulation.customers
    simulation = example_config.simulation
    last_stint = {s.call_id: s for s in sorted(week.stints, key=lambda s: s.arrived_epoch)}
    calls_by_customer: dict[int, list[int]] = {}
    for call in week.calls:
        if call.customer:
            calls_by_customer.setdefault(call.customer.number, []).append(call.arrived_epoch)
    period_end = dt.datetime.combine(
        simulation.day + dt.timedelta(days=simulation.days), dt.time(),
        tzinfo=ZoneInfo(example_config.center.timezone),
    ).timestamp()  # fmt: skip
    repeated: dict[bool, list[bool]] = {True: [], False: []}
    for call in week.calls:
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
    resolved = [c.is_resolved for c in week.calls if c.is_resolved is not None]
    assert sum(resolved) / len(resolved) == pytest.approx(customers.resolve_share, abs=0.05)
    # Repeats after the period are dropped: nothing arrives after the last day closes.
    assert max(c.arrived_epoch for c in week.calls) < period_end
