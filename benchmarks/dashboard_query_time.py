"""Prints each dashboard's chart query times in Superset over a simulated year of the demo center.

    .venv/bin/python benchmarks/dashboard_query_time.py [--days 365] [--serving FILE] [--keep DIR]

Simulates the demo center (config/example.yml) over `--days` days and builds it (or takes a
published `--serving` file; `--keep DIR` keeps the build for that), bootstraps a Superset
over it, then opens every dashboard in headless Chromium as the admin, as a user would, and
times each chart's data request (/api/v1/chart/data, request sent to response received; no
result cache is configured).
Compare figures on the same machine only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo, as a script

from tests.e2e.superset_app import (  # noqa: E402
    RENDER_TIMEOUT_MS,
    RunningSuperset,
    free_port,
    logged_in_page,
    run_script,
)

DASHBOARD_SPECS = Path(__file__).resolve().parents[1] / "superset" / "dashboards"


def _build(root: Path, days: int) -> Path:
    import yaml

    from orchestration.lib.center_config import load_center_config
    from orchestration.pipeline import run_warehouse_job
    from orchestration.resources import REPO_ROOT, CenterWarehouse
    from orchestration.simulate.center import simulate_center
    from orchestration.simulate.output import accept_deliberate_faults, write_simulated_center

    config_text = yaml.safe_load((REPO_ROOT / "config" / "example.yml").read_text())
    config_text["simulation"]["days"] = days
    # A long simulation runs past today: its days are not in the future here (events
    # more than future_tolerance_hours after the load are quarantined as implausible).
    config_text["center"]["future_tolerance_hours"] = 24 * 800
    (root / "center.yml").write_text(yaml.safe_dump(config_text))
    config = load_center_config(root / "center.yml")
    started = time.perf_counter()
    write_simulated_center(simulate_center(config), config, root / "landing", root / "truth")
    warehouse = CenterWarehouse(
        landing_dir=str(root / "landing"),
        warehouse_dir=str(root / "warehouse"),
        center_config_path=str(root / "center.yml"),
    )
    accept_deliberate_faults(root / "landing", root / "warehouse")
    result = run_warehouse_job(warehouse)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    print(f"simulated and built {days} days in {time.perf_counter() - started:.0f} s")
    return warehouse.serving_path


def _time_dashboard(superset: RunningSuperset, slug: str, charts: int) -> list[tuple[int, float]]:
    """(chart id, seconds) of each chart's data request while the dashboard loads (native
    filters' value lists also query chart/data, without a chart: not counted)."""
    timings: list[tuple[int, float]] = []

    def record(request) -> None:  # a finished playwright Request
        if "/api/v1/chart/data" in request.url and request.method == "POST":
            chart_id = json.loads(request.post_data or "{}").get("form_data", {}).get("slice_id")
            if chart_id is not None:
                timings.append((chart_id, request.timing["responseEnd"] / 1000))

    with logged_in_page(superset, "admin", f"benchmark_{slug}.png") as page:
        page.on("requestfinished", record)
        page.goto(f"{superset.url}/superset/dashboard/{slug}/")
        deadline = time.monotonic() + RENDER_TIMEOUT_MS / 1000 * 3
        while len(timings) < charts and time.monotonic() < deadline:
            page.mouse.wheel(0, 600)  # charts below the fold load when scrolled to
            page.wait_for_timeout(500)
    return timings


def main() -> None:
    import yaml

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365, help="simulated days (default 365)")
    parser.add_argument("--serving", type=Path, help="a published serving.duckdb to read instead")
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
        serving = args.serving or _build(args.keep or root, args.days)
        password = secrets.token_urlsafe(16)
        home = root / "superset"
        env = {**os.environ, "SUPERSET_ADMIN_PASSWORD": password}
        run_script("bootstrap.py", "--home", home, "--serving", serving, env=env)
        port = free_port()
        run_script("server.py", "start", "--home", home, "--port", port)
        try:
            superset = RunningSuperset(f"http://127.0.0.1:{port}", home, password, "")
            charts = superset.api("admin").get("/api/v1/chart/?q=(page_size:100)")["result"]
            names = {c["id"]: c["slice_name"] for c in charts}
            print(f"{'dashboard':<28} {'chart':<40} {'seconds':>8}")
            for spec_path in sorted(DASHBOARD_SPECS.glob("*.yaml")):
                spec = yaml.safe_load(spec_path.read_text())
                timings = _time_dashboard(superset, spec["slug"], len(spec["charts"]))
                for chart_id, seconds in sorted(timings, key=lambda t: -t[1]):
                    name = re.sub(r"\s+", " ", names.get(chart_id, str(chart_id)))
                    print(f"{spec['slug']:<28} {name[:40]:<40} {seconds:>8.2f}")
                slowest = max((s for _, s in timings), default=float("nan"))
                print(f"{spec['slug']:<28} {'(slowest of ' + str(len(timings)) + ')':<40}"
                      f" {slowest:>8.2f}")  # fmt: skip
        finally:
            run_script("server.py", "stop", "--home", home)


if __name__ == "__main__":
    main()
