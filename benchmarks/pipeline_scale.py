"""Prints simulate / ingest / build timings and peak memory for a simulated center at scale.

    .venv/bin/python benchmarks/pipeline_scale.py [--days 1 30] [--agents 200]

The center is the demo's (config/example.yml) with `--agents` agents, traffic scaled to keep
them as busy as the demo's 10, over `--days` consecutive days. Each scale runs in a fresh
process so that its peak memory is its own. Compare figures on the same machine only.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEMO_AGENTS = 10


def _scaled_config(days: int, agents: int, path: Path) -> None:
    import yaml

    from orchestration.resources import REPO_ROOT

    config = yaml.safe_load((REPO_ROOT / "config" / "example.yml").read_text())
    sim = config["simulation"]
    demo_agents = sim["agents"]
    sim["days"] = days
    sim["agents"] = [
        # Inbound agents numbered apart from the demo's telesales agents (20xx).
        {"agent_id": str(10000 + i), "queues": demo_agents[i % len(demo_agents)]["queues"]}
        for i in range(agents)
    ]
    for traffic in sim["queue_traffic"]:
        traffic["peak_calls_per_hour"] *= agents / DEMO_AGENTS
    path.write_text(yaml.safe_dump(config))


def run_one(days: int, agents: int) -> dict[str, float]:
    from dagster import AssetKey, AssetSelection

    from orchestration.lib.center_config import load_center_config
    from orchestration.pipeline import run_warehouse_job
    from orchestration.resources import CenterWarehouse
    from orchestration.simulate.center import simulate_center
    from orchestration.simulate.output import accept_deliberate_faults, write_simulated_center

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _scaled_config(days, agents, root / "center.yml")
        warehouse = CenterWarehouse(
            landing_dir=str(root / "landing"),
            warehouse_dir=str(root / "warehouse"),
            center_config_path=str(root / "center.yml"),
        )
        started = time.perf_counter()
        config = load_center_config(root / "center.yml")
        center = simulate_center(config)
        write_simulated_center(center, config, root / "landing", root / "truth")
        accept_deliberate_faults(root / "landing", root / "warehouse")
        simulated = time.perf_counter()
        # Lines as written, faults included: what ingest reads.
        lines = sum(
            path.read_bytes().count(b"\n")
            for path in (root / "landing").iterdir()
            if path.is_file()
        )
        ingest = AssetSelection.assets(AssetKey(["raw", "queue_log"]), AssetKey(["raw", "cdr"]))
        assert run_warehouse_job(warehouse, selection=ingest).success
        ingested = time.perf_counter()
        assert run_warehouse_job(warehouse, selection=AssetSelection.all() - ingest).success
        built = time.perf_counter()
    return {
        "days": days,
        "agents": agents,
        "landing_lines": lines,
        "stints": len(center.stints),
        "simulate_s": simulated - started,
        "ingest_s": ingested - simulated,
        "ingest_lines_per_s": lines / (ingested - simulated),
        "build_check_publish_s": built - ingested,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, nargs="+", default=[1, 30])
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.days[0], args.agents)))
        return
    print(f"{'days':>5} {'agents':>6} {'lines':>10} {'stints':>9} {'simulate':>9} "
          f"{'ingest':>8} {'lines/s':>9} {'build':>8} {'peak MiB':>9}")  # fmt: skip
    for days in args.days:
        child = subprocess.run(
            [sys.executable, __file__, "--one", "--days", str(days), "--agents", str(args.agents)],
            capture_output=True, text=True,
        )  # fmt: skip
        if child.returncode != 0:  # say why, not just that the scale failed
            sys.exit(f"{days} days x {args.agents} agents failed:\n{child.stderr[-4000:]}")
        r = json.loads(child.stdout.strip().splitlines()[-1])
        print(f"{r['days']:>5} {r['agents']:>6} {r['landing_lines']:>10,} {r['stints']:>9,} "
              f"{r['simulate_s']:>8.1f}s {r['ingest_s']:>7.1f}s {r['ingest_lines_per_s']:>9,.0f} "
              f"{r['build_check_publish_s']:>7.1f}s {r['peak_rss_mib']:>9,.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
