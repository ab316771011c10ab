"""The simulator: deterministic, writes real queue_log lines, and its truth is consistent."""

from __future__ import annotations

from collections import Counter

from orchestration.center_config import CenterConfig
from orchestration.simulate.inbound_day import simulate_inbound_day
from orchestration.sources.queue_log import parse_queue_log


def test_same_seed_same_day(example_config: CenterConfig) -> None:
    first, second = simulate_inbound_day(example_config), simulate_inbound_day(example_config)
    assert first.queue_log_text() == second.queue_log_text()
    assert first.stints == second.stints


def test_queue_log_parses_cleanly_and_matches_truth(example_config: CenterConfig) -> None:
    day = simulate_inbound_day(example_config)
    parsed = parse_queue_log(day.queue_log_text().encode().splitlines())
    assert not parsed.quarantined and parsed.duplicate_count == 0
    events = Counter(e.event for e in parsed.events)
    outcomes = Counter(s.outcome for s in day.stints)
    assert events["ENTERQUEUE"] == len(day.stints)
    assert events["CONNECT"] == outcomes["answered"]
    assert events["COMPLETECALLER"] + events["COMPLETEAGENT"] == outcomes["answered"]
    assert events["ABANDON"] == outcomes["abandoned"] + outcomes["short_abandoned"]
    assert events["EXITWITHTIMEOUT"] == outcomes["timeout"]
    assert events["PAUSE"] == events["UNPAUSE"] > 0
    assert events["ADDMEMBER"] == events["REMOVEMEMBER"] > 0


def test_simulated_day_is_a_plausible_center(example_config: CenterConfig) -> None:
    day = simulate_inbound_day(example_config)
    outcomes = Counter(s.outcome for s in day.stints)
    assert 500 < len(day.stints) < 1500
    # Caller patience makes some callers hang up, a few of them within seconds.
    assert 0.03 < outcomes["abandoned"] / len(day.stints) < 0.25
    assert outcomes["short_abandoned"] > 0
    short_waits = [s.wait_seconds for s in day.stints if s.outcome == "short_abandoned"]
    assert max(short_waits) < example_config.center.short_abandon_s
