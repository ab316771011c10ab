"""Faults real PBX files carry, injected at configured rates into simulated files: exact
duplicate lines, malformed lines (cut short, or with a garbled time), and rows of one call
listed out of order (queue_log only). None of them may change a KPI; each must show in the
ledger."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from orchestration.simulate.config import Faults

Line = TypeVar("Line", str, bytes)


@dataclass(frozen=True)
class InjectedFaults:
    duplicate_count: int
    malformed_count: int
    swapped_count: int = 0


def inject_faults(lines: list[str], faults: Faults, seed: int) -> tuple[list[str], InjectedFaults]:
    """The queue_log lines with faults added, and how many of each kind."""
    rng = random.Random(seed)
    out, duplicates, malformed = _duplicated_and_malformed(lines, faults, rng, _malformed_queue_log)
    swapped = 0
    for index in range(len(out) - 1):
        # Two rows of one call swapped: the file lists them newest first.
        same_call = out[index].split("|")[1:2] == out[index + 1].split("|")[1:2]
        if same_call and out[index].split("|")[1] != "NONE" and rng.random() < faults.swap_rate:
            out[index], out[index + 1] = out[index + 1], out[index]
            swapped += 1
    return out, InjectedFaults(duplicates, malformed, swapped)


def inject_cdr_faults(
    lines: list[bytes], faults: Faults, seed: int
) -> tuple[list[bytes], InjectedFaults]:
    """The CDR lines (bytes: some are GBK) with duplicates and lines cut short after the
    channel, whose name carries the line's sequence: two cut lines never read the same (the
    parser would count the second as a duplicate, not a malformed line)."""
    rng = random.Random(seed + 1)
    out, duplicates, malformed = _duplicated_and_malformed(
        lines, faults, rng, lambda line, _: b",".join(line.split(b",")[:6])
    )
    return out, InjectedFaults(duplicates, malformed)


def _duplicated_and_malformed(
    lines: list[Line],
    faults: Faults,
    rng: random.Random,
    malform: Callable[[Line, random.Random], Line],
) -> tuple[list[Line], int, int]:
    out: list[Line] = []
    duplicates = malformed = 0
    for line in lines:
        out.append(line)
        if rng.random() < faults.duplicate_rate:
            out.append(line)
            duplicates += 1
        if rng.random() < faults.malformed_rate:
            out.append(malform(line, rng))
            malformed += 1
    return out, duplicates, malformed


def _malformed_queue_log(line: str, rng: random.Random) -> str:
    fields = line.split("|")
    if rng.random() < 0.5:
        return "|".join(fields[:3])  # a line cut short by a full disk or a crash
    return "|".join(["17x" + fields[0][3:], *fields[1:]])  # garbled time
