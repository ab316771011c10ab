"""Resources: where the center's files land, where the warehouse lives, which config applies.

The only module that reads environment variables (defaults suit the demo in this checkout).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dagster import ConfigurableResource
from dagster_dbt import DbtCliResource

from orchestration.dbt_project import dbt_project
from orchestration.lib.center_config import CenterConfig, load_center_config
from orchestration.lib.warehouse_files import BUILD_FILE, SERVING_FILE

REPO_ROOT = Path(__file__).resolve().parents[1]


class CenterWarehouse(ConfigurableResource):
    """The landing folder of source files, the warehouse folder and the center config file."""

    landing_dir: str
    warehouse_dir: str
    center_config_path: str

    @property
    def build_path(self) -> Path:
        return Path(self.warehouse_dir) / BUILD_FILE

    @property
    def serving_path(self) -> Path:
        return Path(self.warehouse_dir) / SERVING_FILE

    def center_config(self) -> CenterConfig:
        return load_center_config(Path(self.center_config_path))

    def connect(self):  # -> duckdb.DuckDBPyConnection (duckdb imported lazily: fast load)
        """A read-write connection to the build warehouse; close it before dbt runs."""
        import duckdb

        self.build_path.parent.mkdir(parents=True, exist_ok=True)
        return duckdb.connect(str(self.build_path))


def _path_from_env(name: str, default: Path) -> str:
    return str(Path(os.environ.get(name, default)).resolve())


def center_warehouse_from_env() -> CenterWarehouse:
    return CenterWarehouse(
        landing_dir=_path_from_env("LANDING_DIR", REPO_ROOT / "landing"),
        warehouse_dir=_path_from_env("WAREHOUSE_DIR", REPO_ROOT / "warehouse"),
        center_config_path=_path_from_env("CENTER_CONFIG", REPO_ROOT / "config" / "example.yml"),
    )


def log_dir_from_env() -> Path:
    """Where a command's log files go (one per run; the console names it)."""
    return Path(_path_from_env("LOG_DIR", REPO_ROOT / "var" / "logs"))


# dbt runs through orchestration/lib/dbt_child.py, which dies with its parent (a pipeline
# killed by the OOM killer leaves no dbt building unwatched) and then execs the real dbt named
# by this variable.
DBT_CHILD = REPO_ROOT / "orchestration" / "lib" / "dbt_child.py"
REAL_DBT_VARIABLE = "CENTER_DBT_EXECUTABLE"


def dbt_cli() -> DbtCliResource:
    # The dbt installed beside this interpreter, whether or not its venv is on PATH.
    os.environ[REAL_DBT_VARIABLE] = str(Path(sys.executable).parent / "dbt")
    return DbtCliResource(project_dir=dbt_project, dbt_executable=str(DBT_CHILD))
