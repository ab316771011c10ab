"""Prints how long each stage takes on the demo center's simulated day, and peak memory.

    .venv/bin/python benchmarks/pipeline_day.py

Stages: simulate, parse (pure Python), the whole Dagster job (ingest, dbt build with tests,
GE suite, publish). Numbers are for this machine; compare runs on the same machine only.
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from orchestration.center_config import load_center_config
from orchestration.pipeline import run_warehouse_job
from orchestration.resources import REPO_ROOT, CenterWarehouse
from orchestration.simulate.inbound import simulate_inbound
from orchestration.simulate.output import write_simulated_day
from orchestration.sources.queue_log import parse_queue_log


def main() -> None:
    config_path = REPO_ROOT / "config" / "example.yml"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        day = simulate_inbound(load_center_config(config_path))
        write_simulated_day(day, root / "landing", root / "truth")
        simulated = time.perf_counter()
        lines = (root / "landing" / "queue_log").read_bytes().splitlines()
        parse_queue_log(lines)
        parsed = time.perf_counter()
        warehouse = CenterWarehouse(
            landing_dir=str(root / "landing"),
            warehouse_dir=str(root / "warehouse"),
            center_config_path=str(config_path),
        )
        assert run_warehouse_job(warehouse).success
        finished = time.perf_counter()
    print(f"queue_log lines        {len(lines):>10,}")
    print(f"simulate               {simulated - started:>10.2f} s")
    print(
        f"parse                  {parsed - simulated:>10.3f} s "
        f"({len(lines) / (parsed - simulated):,.0f} lines/s)"
    )
    print(f"job (ingest..publish)  {finished - parsed:>10.2f} s")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS               {peak_mib:>10,.0f} MiB")


if __name__ == "__main__":
    main()
