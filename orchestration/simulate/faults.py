"""Faults real queue_logs carry, injected at configured rates into a simulated file: exact
duplicate lines, malformed lines (cut short, or with a garbled time), and rows of one call
listed out of order. None of them may change a KPI; each must show in the ledger."""

from __future__ import annotations

import random
from dataclasses import dataclass

from orchestration.center_config import Faults


@dataclass(frozen=True)
class InjectedFaults:
    duplicate_count: int
    malformed_count: int
    swapped_count: int


def inject_faults(lines: list[str], faults: Faults, seed: int) -> tuple[list[str], InjectedFaults]:
    """The lines with faults added, and how many of each kind."""
    rng = random.Random(seed)
    out: list[str] = []
    duplicates = malformed = swapped = 0
    for line in lines:
        out.append(line)
        if rng.random() < faults.duplicate_rate:
            out.append(line)
            duplicates += 1
        if rng.random() < faults.malformed_rate:
            fields = line.split("|")
            if rng.random() < 0.5:
                out.append("|".join(fields[:3]))  # a line cut short by a full disk or a crash
            else:
                out.append("|".join(["17x" + fields[0][3:], *fields[1:]]))  # garbled time
            malformed += 1
    for index in range(len(out) - 1):
        # Two rows of one call swapped: the file lists them newest first.
        same_call = out[index].split("|")[1:2] == out[index + 1].split("|")[1:2]
        if same_call and out[index].split("|")[1] != "NONE" and rng.random() < faults.swap_rate:
            out[index], out[index + 1] = out[index + 1], out[index]
            swapped += 1
    return out, InjectedFaults(duplicates, malformed, swapped)
