"""Writes a simulated center as the PBX would (landing folder) plus its ground truth."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

from orchestration.center_config import CenterConfig
from orchestration.simulate.cdr import cdr_lines
from orchestration.simulate.faults import InjectedFaults, inject_cdr_faults, inject_faults
from orchestration.simulate.inbound import SimulatedCenter, StintTruth

QUEUE_LOG_FILE = "queue_log"
CDR_FILE = "Master.csv"
STINT_TRUTH_FILE = "stints.csv"


@dataclasses.dataclass(frozen=True)
class WrittenFaults:
    """What the simulator broke on purpose, per file."""

    queue_log: InjectedFaults
    cdr: InjectedFaults


def write_simulated_center(
    center: SimulatedCenter, config: CenterConfig, landing_dir: Path, truth_dir: Path
) -> WrittenFaults:
    """Writes the queue_log and the CDR (with the configured faults) and the truth."""
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
    )
    legs, cdr_faults = inject_cdr_faults(legs, simulation.faults, simulation.seed)
    (landing_dir / CDR_FILE).write_bytes(b"".join(line + b"\n" for line in legs))
    with (truth_dir / STINT_TRUTH_FILE).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([f.name for f in dataclasses.fields(StintTruth)])
        writer.writerows(dataclasses.astuple(stint) for stint in center.stints)
    return WrittenFaults(queue_log_faults, cdr_faults)
