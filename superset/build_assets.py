"""Generate the Superset assets bundle: datasets from the dbt project, charts and dashboards
from the specs in superset/dashboards/ (dashboard_bundle.py), coloured by the metrics' targets.

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

# A sibling module: on sys.path when this runs as a script, and put there when loaded by path.
sys.path.insert(0, str(Path(__file__).resolve().parent))
import dashboard_bundle  # noqa: E402

from orchestration.lib.center_config import Center  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT = REPO_ROOT / "dbt_project"
MANIFEST = DBT_PROJECT / "target" / "manifest.json"
ASSETS_DIR = Path(__file__).resolve().parent / "assets"
DATABASE_NAME = "warehouse"
DATASETS_DIR = ASSETS_DIR / "datasets" / DATABASE_NAME
CHARTS_DIR = ASSETS_DIR / "charts"
DASHBOARDS_DIR = ASSETS_DIR / "dashboards"
GENERATED_DIRS = (DATASETS_DIR, CHARTS_DIR, DASHBOARDS_DIR)

# Every asset UUID is uuid5(NAMESPACE, "<kind>/<name>"): stable across machines and re-exports.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "contact-center-warehouse/superset")
BUNDLE_VERSION = "1.0.0"
HEADER = (
    "# Generated from {source}\n"
    "# by superset/build_assets.py; do not edit; rerun the script to regenerate.\n"
)


def generated_from(text: str) -> str:
    """The source a generated file names in its header (a repo-relative path): the spec a
    rendered dashboard comes from, whatever its language or slug."""
    prefix = HEADER.split("{source}")[0]
    first = text.partition("\n")[0]
    if not first.startswith(prefix):
        raise ValueError(f"not a generated file: {first!r}")
    return first.removeprefix(prefix)


# The currency of money metrics in the bundle: the config schema's default (center.currency);
# bootstrap.py sets the center's own at import.
DEFAULT_CURRENCY = Center.model_fields["currency"].default
# dbt data_type -> the type string Superset shows; temporal types become is_dttm columns.
TEMPORAL_TYPES = {"date", "timestamp", "timestamptz", "timestamp with time zone"}
# Numeric dbt types: a column of one is a measure (a count, seconds, money, a score), summed
# by the dataset's metrics and never offered to group by ("Drill by"), unless its dbt
# `meta.dimension` is true (the hour of day, a rank).
NUMERIC_TYPES = ("bigint", "integer", "hugeint", "double", "float", "decimal")


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


def column_label(spec: dict[str, Any], labels: dict[str, str]) -> str | None:
    """The column's label: its own `meta.label`, else the marts' catalogue (`column_labels`
    in dbt_project.yml, one label per column name)."""
    return spec.get("meta", {}).get("label") or labels.get(spec["name"])


def is_dimension(spec: dict[str, Any], label: str | None) -> bool:
    """Whether readers may group by the column (Superset's `groupby`, what "Drill by"
    lists): a labelled column that is not a measure (see NUMERIC_TYPES)."""
    data_type = str(spec.get("data_type", "")).lower()
    measure = data_type.startswith(NUMERIC_TYPES) and not spec.get("meta", {}).get("dimension")
    return label is not None and not measure


def _column(spec: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    data_type = str(spec.get("data_type", "")).lower()
    label = column_label(spec, labels)
    return {
        "advanced_data_type": None,
        "column_name": spec["name"],
        "description": _text(spec.get("description")),
        "expression": None,
        "extra": None,
        "filterable": True,
        "groupby": is_dimension(spec, label),
        "is_active": True,
        "is_dttm": data_type in TEMPORAL_TYPES,
        "python_date_format": None,
        "type": data_type.upper() or None,
        "verbose_name": label,
    }


def _metric(spec: dict[str, Any]) -> dict[str, Any]:
    """A contract metric; an amount of money (`currency: true`) carries the currency, which
    the bundle holds as the config schema's default and bootstrap.py sets to the center's."""
    currency = {"symbol": DEFAULT_CURRENCY, "symbolPosition": "prefix"}
    return {
        "currency": currency if spec.get("currency") else None,
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


def _time_formats(model: PublicModel) -> dict[str, str]:
    """Column -> its dbt `meta.time_format` (how a table shows it, e.g. a month as %Y-%m)."""
    return {
        column["name"]: column["meta"]["time_format"]
        for column in model.spec.get("columns", [])
        if column.get("meta", {}).get("time_format")
    }


def _metric_specs(model: PublicModel, models: dict[str, PublicModel]) -> list[dict[str, Any]]:
    """The model's meta.metrics, or those of the model named by `meta.superset.metrics_from`
    (a view of a mart for other readers has the mart's metrics, never typed twice), then its
    `meta.superset.links` (metrics only Superset shows: a link to another dashboard)."""
    meta = model.spec.get("config", {}).get("meta", {})
    links = meta.get("superset", {}).get("links", [])
    if source := meta.get("superset", {}).get("metrics_from"):
        return _metric_specs(models[source], models) + links
    return meta.get("metrics", []) + links


def dataset_config(model: PublicModel, models: dict[str, PublicModel]) -> dict[str, Any]:
    """The Superset 6 export (ImportV1DatasetSchema) of one public model (`models`: every
    public model by name, where its metrics may come from)."""
    labels = model.spec.get("config", {}).get("meta", {}).get("column_labels", {})
    columns = [_column(column, labels) for column in model.spec.get("columns", [])]
    metrics = [_metric(m) for m in _metric_specs(model, models)]
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


def _yaml(source: Path, config: dict[str, Any]) -> str:
    body = yaml.safe_dump(config, sort_keys=True, allow_unicode=True, width=100, indent=2)
    return HEADER.format(source=source.relative_to(REPO_ROOT).as_posix()) + body


def expected_files(manifest: Path = MANIFEST) -> dict[Path, str]:
    """Path -> content of every generated file: a dataset per public model, then the charts
    and dashboards of the specs in superset/dashboards/ (on those datasets)."""
    models = {model.name: model for model in find_public_models(manifest)}
    datasets = {name: dataset_config(model, models) for name, model in models.items()}
    files = {
        DATASETS_DIR / f"{name}.yaml": _yaml(models[name].source, config)
        for name, config in datasets.items()
    }
    targets = {
        name: dashboard_bundle.metric_targets(_metric_specs(model, models))
        for name, model in models.items()
    }
    for name, spec in dashboard_bundle.read_specs().items():
        source = dashboard_bundle.SPECS_DIR / f"{name}.yaml"
        for chart, chart_spec in spec["charts"].items():
            dataset = chart_spec["dataset"]
            config = dashboard_bundle.chart_config(
                chart,
                chart_spec,
                datasets[dataset],
                asset_uuid("chart", chart),
                targets[dataset],
                _time_formats(models[dataset]),
            )
            files[CHARTS_DIR / f"{chart}.yaml"] = _yaml(source, config)
        config = dashboard_bundle.dashboard_config(
            spec,
            asset_uuid("dashboard", name),
            chart_uuid=lambda chart: asset_uuid("chart", chart),
            dataset_uuid=lambda dataset: datasets[dataset]["uuid"],
        )
        files[DASHBOARDS_DIR / f"{name}.yaml"] = _yaml(source, config)
    return files


def _present() -> set[Path]:
    return {path for folder in GENERATED_DIRS for path in folder.glob("*.yaml")}


def stale_files(manifest: Path = MANIFEST) -> list[Path]:
    """Generated files that are missing, differ, or no longer generated."""
    expected = expected_files(manifest)
    stale = [p for p, text in expected.items() if not p.exists() or p.read_text() != text]
    return sorted(stale + [p for p in _present() if p not in expected])


def write_files(manifest: Path = MANIFEST) -> list[Path]:
    """Writes the generated files and removes those no longer generated."""
    expected = expected_files(manifest)
    for path in _present() - set(expected):
        path.unlink()
    for path, text in expected.items():
        path.parent.mkdir(parents=True, exist_ok=True)
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
