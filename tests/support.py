"""Paths and small builders shared by the tests."""

from __future__ import annotations

from pathlib import Path

from orchestration.resources import REPO_ROOT, CenterWarehouse

EXAMPLE_CONFIG = REPO_ROOT / "config" / "example.yml"
# Real PBX samples of other projects: read in place, never copied into this repo.
REALDATA = REPO_ROOT.parent / "shared" / "realdata"


def make_warehouse(root: Path, config_path: Path = EXAMPLE_CONFIG) -> CenterWarehouse:
    """A warehouse whose landing and warehouse folders live under `root`."""
    return CenterWarehouse(
        landing_dir=str(root / "landing"),
        warehouse_dir=str(root / "warehouse"),
        center_config_path=str(config_path),
    )


def run_fixture_pipeline(root: Path, config_text: str, landing_files: dict[str, str]) -> Path:
    """Runs the whole job on hand-written landing files under a center config given as
    text; returns the published serving warehouse."""
    from orchestration.pipeline import run_warehouse_job

    config = root / "center.yml"
    config.write_text(config_text)
    warehouse = make_warehouse(root, config)
    landing = Path(warehouse.landing_dir)
    landing.mkdir(parents=True)
    for name, text in landing_files.items():
        (landing / name).write_text(text)
    result = run_warehouse_job(warehouse)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    return warehouse.serving_path
