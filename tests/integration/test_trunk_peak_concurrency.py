"""Trunk usage on a small fixture: mart_trunk_usage_15m's peak of simultaneous calls equals a
brute-force count, second by second, of the legs holding each trunk; attempts and failures
equal a plain count. The fixture is a seeded CDR of inbound and outbound legs over two hours,
with legs that start or end exactly on an interval boundary."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from tests.support import run_fixture_pipeline

pytestmark = pytest.mark.slow

START = int(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC).timestamp())
SPAN_SECONDS = 2 * 3600
TRUNKS = {"trunk-a": 12, "trunk-b": 8}
CONFIG = """center: {name: Trunk fixture, timezone: UTC}
trunks:
  - {trunk_id: trunk-a, capacity: 12}
  - {trunk_id: trunk-b, capacity: 8}
"""
# One answered call in the queue_log, so that the queue and CX marts have a row to check.
QUEUE_LOG = (
    f"{START}|q.1|sales|NONE|ENTERQUEUE||5551230000|1\n"
    f"{START + 5}|q.1|sales|PJSIP/1001|CONNECT|5|q.1b|2\n"
    f"{START + 65}|q.1|sales|PJSIP/1001|COMPLETECALLER|5|60|1\n"
)


def _legs(rng: random.Random) -> list[tuple[str, str, str, int, int, str]]:
    """(uniqueid, trunk, direction, start, end, disposition): random legs, and some aligned
    on 15-minute boundaries (a leg ending at 09:15:00 does not hold the trunk at 09:15:00)."""
    legs = []
    for index in range(260):
        start = START + rng.randrange(SPAN_SECONDS - 60)
        if index % 13 == 0:
            start -= start % 900
        end = start + rng.choice([0, rng.randint(1, 1500)])
        if index % 17 == 0:
            end = end - end % 900 if end - end % 900 > start else end
        direction = rng.choice(["inbound", "outbound"])
        disposition = (
            "ANSWERED"
            if direction == "inbound"
            else rng.choice(["ANSWERED", "ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION"])
        )
        legs.append((f"{start}.{index}", rng.choice(list(TRUNKS)), direction, start, end,
                     disposition))  # fmt: skip
    return legs


def _cdr_line(leg: tuple[str, str, str, int, int, str], sequence: int) -> str:
    uniqueid, trunk, direction, start, end, disposition = leg
    trunk_channel, agent_channel = f"PJSIP/{trunk}-{sequence:08x}", f"PJSIP/1001-{sequence:08x}"
    inbound = direction == "inbound"
    src, dst = ("5551230000", "sales") if inbound else ("1001", "5559870000")
    channel, dstchannel = (trunk_channel, agent_channel)
    if not inbound:
        channel, dstchannel = dstchannel, channel
    context = "from-trunk" if inbound else "from-internal"

    def wall(epoch: int) -> str:
        return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")

    billsec = end - start if disposition == "ANSWERED" else 0
    fields = ["", src, dst, context, f'"X" <{src}>', channel, dstchannel, "Dial", "", wall(start),
              wall(start), wall(end), str(end - start), str(billsec), disposition,
              "DOCUMENTATION", uniqueid, "", "", uniqueid, str(sequence)]  # fmt: skip
    return ",".join(f'"{f}"' if not f.isdigit() else f for f in fields)


def _brute_force(legs: list[tuple[str, str, str, int, int, str]]) -> dict[tuple, int]:
    """Peak simultaneous legs per (trunk, direction, interval start), second by second."""
    peaks: dict[tuple, int] = {}
    for direction in ("inbound", "outbound", "all"):
        for trunk in TRUNKS:
            held = Counter()
            for _, leg_trunk, leg_direction, start, end, _ in legs:
                if leg_trunk == trunk and direction in (leg_direction, "all"):
                    for second in range(start, end):
                        held[second] += 1
            chosen = [leg for leg in legs if leg[1] == trunk and direction in (leg[2], "all")]
            first = min(leg[3] for leg in chosen)
            last = max(leg[4] for leg in chosen)
            for interval in range(first - first % 900, last - last % 900 + 1, 900):
                peak = max(held[s] for s in range(interval, interval + 900))
                peaks[(trunk, direction, interval)] = peak
    return peaks


@pytest.fixture(scope="module")
def trunk_fixture(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    legs = _legs(random.Random(7))
    cdr = "".join(_cdr_line(leg, sequence) + "\n" for sequence, leg in enumerate(legs))
    serving = run_fixture_pipeline(
        tmp_path_factory.mktemp("trunks"), CONFIG, {"queue_log": QUEUE_LOG, "Master.csv": cdr}
    )
    return serving, legs


def test_peak_concurrency_equals_a_brute_force_count(trunk_fixture: tuple[Path, list]) -> None:
    serving, legs = trunk_fixture
    with duckdb.connect(str(serving), read_only=True) as con:
        rows = con.execute(
            "select trunk_id, direction, epoch(interval_start_at), peak_concurrent_calls,"
            " capacity from marts.mart_trunk_usage_15m"
        ).fetchall()
    actual = {(t, d, int(i)): peak for t, d, i, peak, _ in rows}
    expected = _brute_force(legs)
    assert actual == expected
    assert max(expected.values()) >= 5  # the fixture really overlaps calls
    assert {(t, c) for t, _, _, _, c in rows} == set(TRUNKS.items())


def test_attempts_and_failures_per_interval(trunk_fixture: tuple[Path, list]) -> None:
    serving, legs = trunk_fixture
    with duckdb.connect(str(serving), read_only=True) as con:
        rows = con.execute(
            "select trunk_id, direction, epoch(interval_start_at), attempt_count, failure_count"
            " from marts.mart_trunk_usage_15m where attempt_count > 0"
        ).fetchall()
    expected: Counter = Counter()
    failures: Counter = Counter()
    for _, trunk, direction, start, _, disposition in legs:
        for key_direction in (direction, "all"):
            key = (trunk, key_direction, start - start % 900)
            expected[key] += 1
            failures[key] += disposition in ("BUSY", "FAILED", "CONGESTION")
    assert {(t, d, int(i)): (a, f) for t, d, i, a, f in rows} == {
        key: (count, failures[key]) for key, count in expected.items()
    }
