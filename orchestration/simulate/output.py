"""Writes a simulated center as the PBX would (landing folder) plus its ground truth."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

from orchestration.simulate.inbound import SimulatedCenter, StintTruth

QUEUE_LOG_FILE = "queue_log"
STINT_TRUTH_FILE = "stints.csv"


def write_simulated_center(center: SimulatedCenter, landing_dir: Path, truth_dir: Path) -> None:
    landing_dir.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    (landing_dir / QUEUE_LOG_FILE).write_text(center.queue_log_text(), encoding="utf-8")
    with (truth_dir / STINT_TRUTH_FILE).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([f.name for f in dataclasses.fields(StintTruth)])
        writer.writerows(dataclasses.astuple(stint) for stint in center.stints)
