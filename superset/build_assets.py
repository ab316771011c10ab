"""Generate the Superset dataset YAML of every public dbt mart from the dbt project.

dbt stays the only place where columns and contract metrics are defined: each model whose
access is `public` becomes `assets/datasets/warehouse/<model>.yaml`, its columns typed and
described as in dbt, its metrics taken from `config.meta.metrics`. Read from dbt's manifest
(`make manifest`), so folder-level config in dbt_project.yml (shared metrics of a family of
marts) counts as dbt resolves it. The output is deterministic (sorted keys, uuid5 ids) and
committed; `--check` fails when it is stale.

Run as a script (the folder name shadows the installed `superset` package):
    .venv/bin/python superset/build_assets.py [--check]
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT = REPO_ROOT / "dbt_project"
MANIFEST = DBT_PROJECT / "target" / "manifest.json"
ASSETS_DIR = Path(__file__).resolve().parent / "assets"
DATABASE_NAME = "warehouse"
DATASETS_DIR = ASSETS_DIR / "datasets" / DATABASE_NAME

# Every asset UUID is uuid5(NAMESPACE, "<kind>/<name>"): stable across machines and re-exports.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "contact-center-warehouse/superset")
BUNDLE_VERSION = "1.0.0"
HEADER = (
    "# Generated from {source}\n"
    "# by superset/build_assets.py; do not edit; rerun the script to regenerate.\n"
)

# dbt data_type -> the type string Superset shows; temporal types become is_dttm columns.
TEMPORAL_TYPES = {"date", "timestamp", "timestamptz", "timestamp with time zone"}


def asset_uuid(kind: str, name: str) -> str:
    """The fixed UUID of an asset (kind: database, dataset, chart, dashboard)."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}/{name}"))


DATABASE_UUID = asset_uuid("database", DATABASE_NAME)


@dataclass(frozen=True)
class PublicModel:
    """A dbt model with `access: public`, as the manifest resolves it."""

    name: str
    schema: str
    spec: dict[str, Any]  # name, description, columns, config.meta: the shape of model YAML
    source: Path


def _text(value: Any) -> str | None:
    """dbt descriptions often are folded scalars (`>`) with a trailing newline."""
    return " ".join(str(value).split()) if value else None


def find_public_models(manifest: Path = MANIFEST) -> list[PublicModel]:
    """Every model dbt marks `access: public`, sorted by name."""
    if not manifest.exists():
        raise FileNotFoundError(f"{manifest} missing: run `make manifest` (dbt parse) first")
    nodes = json.loads(manifest.read_text())["nodes"].values()
    return sorted(
        (
            PublicModel(
                name=node["name"],
                schema=node["schema"],
                spec={
                    "name": node["name"],
                    "description": node["description"],
                    "columns": list(node["columns"].values()),
                    "config": {"meta": node["config"].get("meta", {})},
                },
                source=DBT_PROJECT / node["original_file_path"],
            )
            for node in nodes
            if node["resource_type"] == "model" and node.get("access") == "public"
        ),
        key=lambda model: model.name,
    )


def _column(spec: dict[str, Any]) -> dict[str, Any]:
    data_type = str(spec.get("data_type", "")).lower()
    return {
        "advanced_data_type": None,
        "column_name": spec["name"],
        "description": _text(spec.get("description")),
        "expression": None,
        "extra": None,
        "filterable": True,
        "groupby": True,
        "is_active": True,
        "is_dttm": data_type in TEMPORAL_TYPES,
        "python_date_format": None,
        "type": data_type.upper() or None,
        "verbose_name": None,
    }


def _metric(spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "currency": None,
        "d3format": spec.get("d3format"),
        "description": _text(spec.get("description")),
        "expression": spec["expression"].strip(),
        "extra": None,
        "metric_name": spec["name"],
        "metric_type": None,
        "verbose_name": spec.get("label"),
        "warning_text": None,
    }


def _main_dttm_col(model: PublicModel, columns: list[dict[str, Any]]) -> str | None:
    """`meta.superset.main_dttm_col` if set; else the first local-time (wall clock) temporal
    column, which is what operations staff read; else the first temporal column."""
    meta = model.spec.get("config", {}).get("meta", {})
    if chosen := meta.get("superset", {}).get("main_dttm_col"):
        return chosen
    temporal = [c["column_name"] for c in columns if c["is_dttm"]]
    local = [name for name in temporal if name.endswith("_local")]
    return (local or temporal or [None])[0]


def dataset_config(model: PublicModel) -> dict[str, Any]:
    """The Superset 6 export (ImportV1DatasetSchema) of one public model."""
    columns = [_column(column) for column in model.spec.get("columns", [])]
    metrics = [_metric(m) for m in model.spec.get("config", {}).get("meta", {}).get("metrics", [])]
    return {
        "always_filter_main_dttm": False,
        "cache_timeout": None,
        "catalog": None,
        "columns": columns,
        "database_uuid": DATABASE_UUID,
        "default_endpoint": None,
        "description": _text(model.spec.get("description")),
        "extra": None,
        "fetch_values_predicate": None,
        "filter_select_enabled": True,
        "main_dttm_col": _main_dttm_col(model, columns),
        "metrics": metrics,
        "normalize_columns": False,
        "offset": 0,
        "params": None,
        "schema": model.schema,
        "sql": None,
        "table_name": model.name,
        "template_params": None,
        "uuid": asset_uuid("dataset", f"{model.schema}.{model.name}"),
        "version": BUNDLE_VERSION,
    }


def render(model: PublicModel) -> str:
    source = model.source.relative_to(REPO_ROOT).as_posix()
    body = yaml.safe_dump(
        dataset_config(model), sort_keys=True, allow_unicode=True, width=100, indent=2
    )
    return HEADER.format(source=source) + body


def expected_files(manifest: Path = MANIFEST) -> dict[Path, str]:
    """Path -> content of every generated dataset file."""
    return {
        DATASETS_DIR / f"{model.name}.yaml": render(model) for model in find_public_models(manifest)
    }


def stale_files(manifest: Path = MANIFEST) -> list[Path]:
    """Generated files that are missing, differ, or no longer correspond to a public model."""
    expected = expected_files(manifest)
    present = set(DATASETS_DIR.glob("*.yaml")) if DATASETS_DIR.exists() else set()
    stale = [p for p, text in expected.items() if not p.exists() or p.read_text() != text]
    return sorted(stale + [p for p in present if p not in expected])


def write_files(manifest: Path = MANIFEST) -> list[Path]:
    """Writes the generated files and removes those of models no longer public."""
    expected = expected_files(manifest)
    DATASETS_DIR.mkdir(parents=True, exist_ok=True)
    for path in set(DATASETS_DIR.glob("*.yaml")) - set(expected):
        path.unlink()
    for path, text in expected.items():
        path.write_text(text)
    return sorted(expected)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the committed files are stale"
    )
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        for path in stale:
            print(f"stale: {path.relative_to(REPO_ROOT)}", file=sys.stderr)
        if stale:
            print("run: .venv/bin/python superset/build_assets.py", file=sys.stderr)
        return 1 if stale else 0
    for path in write_files():
        print(f"wrote {path.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
