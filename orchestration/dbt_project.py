"""The dbt project as Dagster sees it (kept free of assets so `dagster-dbt project
prepare-and-package --file orchestration/dbt_project.py` can import it)."""

import json
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.lib.center_config import default_dbt_vars

dbt_project = DbtProject(
    project_dir=Path(__file__).resolve().parents[1] / "dbt_project",
    # dbt_project.yml holds no var values: parse with the config schema's defaults.
    prepare_project_cli_args=["parse", "--quiet", "--vars", json.dumps(default_dbt_vars())],
)
dbt_project.prepare_if_dev()
