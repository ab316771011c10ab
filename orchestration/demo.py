"""python -m orchestration.demo: simulate the demo center's week, build, check, publish, serve.

Ends with Superset serving the dashboards on 127.0.0.1 and prints how to log in and how to
open the Dagster UI on the same run history.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dagster import DagsterInstance

from orchestration.console import RunConsole
from orchestration.console.summary import print_run_summary
from orchestration.pipeline import publish_or_exit
from orchestration.resources import REPO_ROOT, center_warehouse_from_env, log_dir_from_env
from orchestration.simulate.center import simulate_center
from orchestration.simulate.output import accept_deliberate_faults, write_simulated_center

VAR_DIR = REPO_ROOT / "var"
SUPERSET_PORT = int(os.environ.get("SUPERSET_PORT", "8088"))


def main() -> None:
    with RunConsole(log_dir_from_env()) as console:
        _demo(console)


def _demo(console: RunConsole) -> None:
    warehouse = center_warehouse_from_env()
    config = warehouse.center_config()
    with console.stage("simulate"):
        center = simulate_center(config)
        write_simulated_center(center, config, Path(warehouse.landing_dir), VAR_DIR / "truth")
        accept_deliberate_faults(Path(warehouse.landing_dir), Path(warehouse.warehouse_dir))

    # A persistent instance, so `dagster dev` shows this run and its checks afterwards.
    dagster_home = Path(os.environ.setdefault("DAGSTER_HOME", str(VAR_DIR / "dagster")))
    dagster_home.mkdir(parents=True, exist_ok=True)
    (dagster_home / "dagster.yaml").touch()  # defaults, stated: the UI warns without the file
    run_id = publish_or_exit(console, warehouse, DagsterInstance.get())

    superset_home = VAR_DIR / "superset"
    with console.stage("superset bootstrap"):
        _superset(
            "bootstrap.py",
            *("--home", superset_home, "--serving", warehouse.serving_path, "--demo-users"),
        )
    with console.stage("superset start"):
        _superset("server.py", "stop", "--home", superset_home)
        _superset("server.py", "start", "--home", superset_home, "--port", SUPERSET_PORT)

    console.print(f"simulated {len(center.stints):,} queue stints into {warehouse.landing_dir}")
    print_run_summary(console, warehouse, run_id)
    console.print(
        f"Superset: http://127.0.0.1:{SUPERSET_PORT}/superset/dashboard/operations/\n"
        f"  login: admin / password in {superset_home / 'admin_password'}"
        " (or $SUPERSET_ADMIN_PASSWORD if you set it)\n"
        f"  a user per role (manager, qa, analyst, team leads and agents by CRM user id):"
        f" password in {superset_home / 'demo_users_password'}\n"
        f"  stop:  make stop\n"
        f"Dagster UI (this run's history in {dagster_home}): make dagster, then"
        " http://127.0.0.1:3000"
    )


def _superset(script: str, *args: object) -> None:
    """Runs one of superset/*.py (scripts: the folder name would shadow the superset package)."""
    command = [sys.executable, str(REPO_ROOT / "superset" / script), *map(str, args)]
    subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
