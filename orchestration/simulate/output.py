"""Writes a simulated center as the PBX would (landing folder) plus its ground truth."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

from orchestration.center_config import Simulation
from orchestration.simulate.faults import InjectedFaults, inject_faults
from orchestration.simulate.inbound import SimulatedCenter, StintTruth

QUEUE_LOG_FILE = "queue_log"
STINT_TRUTH_FILE = "stints.csv"


def write_simulated_center(
    center: SimulatedCenter, simulation: Simulation, landing_dir: Path, truth_dir: Path
) -> InjectedFaults:
    """Writes the queue_log (with the configured faults) and the truth; returns the faults."""
    landing_dir.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    lines, injected = inject_faults(
        [line.render() for line in center.lines], simulation.faults, simulation.seed
    )
    (landing_dir / QUEUE_LOG_FILE).write_text("".join(f"{line}\n" for line in lines), "utf-8")
    with (truth_dir / STINT_TRUTH_FILE).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([f.name for f in dataclasses.fields(StintTruth)])
        writer.writerows(dataclasses.astuple(stint) for stint in center.stints)
    return injected
