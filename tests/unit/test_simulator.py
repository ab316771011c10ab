"""The simulator: deterministic, writes real queue_log lines, and its truth is consistent."""

from __future__ import annotations

from collections import Counter

import pytest

from orchestration.center_config import CenterConfig
from orchestration.simulate.inbound import SimulatedCenter, simulate_inbound
from orchestration.sources.queue_log import parse_queue_log


@pytest.fixture(scope="module")
def week(example_config: CenterConfig) -> SimulatedCenter:
    return simulate_inbound(example_config)


def test_same_seed_same_week(example_config: CenterConfig, week: SimulatedCenter) -> None:
    again = simulate_inbound(example_config)
    assert again.queue_log_text() == week.queue_log_text()
    assert again.stints == week.stints


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
    assert len(by_day) == 7
    assert max(by_day.values()) > 2.5 * min(by_day.values())  # the weekend is quieter
    # Caller patience makes some callers hang up, a few of them within seconds.
    assert 0.03 < outcomes["abandoned"] / len(week.stints) < 0.25
    short_waits = [s.wait_seconds for s in week.stints if s.outcome == "short_abandoned"]
    assert short_waits and max(short_waits) < example_config.center.short_abandon_s
    test_calls = {s.call_id for s in week.stints if s.is_test_call}
    assert len(test_calls) == 14  # 2 a day from the test numbers
