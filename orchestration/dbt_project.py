"""The dbt project as Dagster sees it (kept free of assets so `dagster-dbt project
prepare-and-package --file orchestration/dbt_project.py` can import it)."""

from pathlib import Path

from dagster_dbt import DbtProject

dbt_project = DbtProject(
    project_dir=Path(__file__).resolve().parents[1] / "dbt_project",
)
dbt_project.prepare_if_dev()
