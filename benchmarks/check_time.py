"""Prints how much time the data-quality checks add to a build of the simulated demo center.

    .venv/bin/python benchmarks/check_time.py [--days 28]

Runs the whole job (ingest, dbt build with its tests, ledger checks, Great Expectations
contract suites, publish) on the demo center (config/example.yml, `--days` days from its
first day), then adds up each kind of check: dbt tests by their execution time (from
dq.dq_results), the Dagster check steps by their step duration. Compare figures on the same
machine only.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

CHECK_STEPS = {
    "ledger checks (per source)": "_lines_accounted_for",
    "Great Expectations contract suites": "_meets_metric_contract",
}


def main() -> None:
    import duckdb
    import yaml
    from dagster import DagsterInstance

    from orchestration.lib.center_config import load_center_config
    from orchestration.pipeline import run_warehouse_job
    from orchestration.resources import REPO_ROOT, CenterWarehouse
    from orchestration.simulate.center import simulate_center
    from orchestration.simulate.output import accept_deliberate_faults, write_simulated_center

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, help="simulated days (default: the demo's)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config_text = yaml.safe_load((REPO_ROOT / "config" / "example.yml").read_text())
        if args.days:
            config_text["simulation"]["days"] = args.days
            # A long simulation runs past today: its days are not in the future here (events
            # more than future_tolerance_hours after the load are quarantined as implausible).
            config_text["center"]["future_tolerance_hours"] = 24 * 800
        (root / "center.yml").write_text(yaml.safe_dump(config_text))
        config = load_center_config(root / "center.yml")
        write_simulated_center(simulate_center(config), config, root / "landing", root / "truth")
        warehouse = CenterWarehouse(
            landing_dir=str(root / "landing"),
            warehouse_dir=str(root / "warehouse"),
            center_config_path=str(root / "center.yml"),
        )
        accept_deliberate_faults(root / "landing", root / "warehouse")
        instance = DagsterInstance.ephemeral()
        started = time.perf_counter()
        result = run_warehouse_job(warehouse, instance=instance)
        job_seconds = time.perf_counter() - started
        assert result.success, [e.message for e in result.all_events if e.is_failure]
        steps = instance.get_run_step_stats(result.run_id)
        with duckdb.connect(str(warehouse.serving_path), read_only=True) as con:
            details = con.execute(
                "select detail from dq.dq_results where run_id = ?", [result.run_id]
            ).fetchall()
    dbt_tests = [
        json.loads(detail)["Execution Duration"]
        for (detail,) in details
        if "Execution Duration" in json.loads(detail)
    ]
    rows = [("dbt tests (inside dbt build)", len(dbt_tests), sum(dbt_tests))]
    for label, suffix in CHECK_STEPS.items():
        durations = [s.end_time - s.start_time for s in steps if s.step_key.endswith(suffix)]
        rows.append((label, len(durations), sum(durations)))
    total = sum(seconds for _, _, seconds in rows)
    print(f"{'checks':<38} {'count':>6} {'seconds':>8}")
    for label, count, seconds in rows:
        print(f"{label:<38} {count:>6} {seconds:>8.1f}")
    print(f"{'all checks':<38} {sum(c for _, c, _ in rows):>6} {total:>8.1f}"
          f"  of a {job_seconds:.0f} s job ({total / job_seconds:.0%})")  # fmt: skip


if __name__ == "__main__":
    main()
