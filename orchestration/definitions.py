"""The Dagster code location: `dagster dev -m orchestration.definitions` (make dagster)."""

from orchestration.defs import build_defs
from orchestration.resources import center_warehouse_from_env

defs = build_defs(center_warehouse_from_env())
