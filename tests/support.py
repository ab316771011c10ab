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
