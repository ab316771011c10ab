"""Generate the Superset assets bundle: datasets from the dbt project, charts and dashboards
from the specs in superset/dashboards/ (dashboard_bundle.py), coloured by the metrics' targets.

dbt stays the only place where columns and contract metrics are defined: each model whose
access is `public` becomes `assets/datasets/warehouse/<model>.yaml`, its columns typed and
described as in dbt, its metrics taken from `config.meta.metrics`. Read from dbt's manifest
(`make manifest`), so folder-level config in dbt_project.yml (shared metrics of a family of
marts) counts as dbt resolves it. The output is deterministic (sorted keys, uuid5 ids) and
committed; `--check` fails when it is stale.

Every dashboard renders once per language (languages.py): English, and each language with a
catalogue in superset/i18n/ (operations and operations_zh, slug operations-zh). A dataset's
labels are one per dataset in Superset (verbose_name), so each language reads its own copy of
the datasets, with its column and metric labels translated, so self-service charts in that
language read it too. Superset's metadata holds one dataset per table name, so a copy is a
virtual dataset named for its language (mart_cx_daily_zh: `select * from marts.mart_cx_daily`,
whose row filters apply as to the mart; access.py grants it with its mart). The band and
category labels dbt writes as English text (the `*_label` columns, from its label macros) get a
calculated column per language (wait_band_label_zh) that translates them in SQL; that
language's charts show it in the label column's place.

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
import languages  # noqa: E402

from orchestration.lib.center_config import Center  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT = REPO_ROOT / "dbt_project"
MANIFEST = DBT_PROJECT / "target" / "manifest.json"
ASSETS_DIR = Path(__file__).resolve().parent / "assets"
DATABASE_NAME = "warehouse"
DATASETS_DIR = ASSETS_DIR / "datasets" / DATABASE_NAME
CHARTS_DIR = ASSETS_DIR / "charts"
DASHBOARDS_DIR = ASSETS_DIR / "dashboards"
LANGUAGES = languages.languages()
GENERATED_DIRS = (DATASETS_DIR, CHARTS_DIR, DASHBOARDS_DIR)
# A column holding display labels of a band or category (dbt's label macros), as text.
VALUE_LABEL_SUFFIX = "_label"
# The dbt macros that define those labels: each returns tuples whose last item is the label.
VALUE_LABEL_MACROS = ("contract_wait_bands", "agent_tenure_bands", "category_labels")
# How a language's dataset names the English label column beside its translated one.
ENGLISH_VALUES = "{label} (English)"

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


def _column(spec: dict[str, Any], labels: dict[str, str], words: languages.Words) -> dict[str, Any]:
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
        "verbose_name": words(label) if label else None,
    }


def _metric(spec: dict[str, Any], words: languages.Words) -> dict[str, Any]:
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
        "verbose_name": words(spec["label"]) if spec.get("label") else None,
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


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _translated_values(
    column: dict[str, Any], value_labels: list[str], words: languages.Words
) -> list[dict[str, Any]]:
    """In a language's dataset, beside a column of English band or category labels: the
    column translated in SQL (a calculated column, <column>_<language>, labelled as the
    column), the English one relabelled "<label> (English)". None in English."""
    if words.language == languages.ENGLISH:
        return [column]
    name = column["column_name"]
    cases = " ".join(f"WHEN {_sql_text(v)} THEN {_sql_text(words(v))}" for v in value_labels)
    translated = {
        **column,
        "column_name": languages.suffixed(name, words.language),
        "expression": f"CASE {name} {cases} ELSE {name} END",
        "type": "VARCHAR",
    }
    english = {**column, "verbose_name": words(ENGLISH_VALUES).format(label=column["verbose_name"])}
    return [english, translated]


def value_labels(manifest: Path = MANIFEST) -> list[str]:
    """Every band and category display label dbt writes (VALUE_LABEL_MACROS), in English."""
    import jinja2

    macros = json.loads(manifest.read_text())["macros"]
    found: list[Any] = []
    for name in VALUE_LABEL_MACROS:
        sql = macros[f"macro.contact_center.{name}"]["macro_sql"]
        jinja2.Environment().from_string(sql + f"{{{{ {name}() }}}}").render(
            **{"return": found.append}  # dbt's `return`: the macro's value
        )
    groups = [
        g for value in found for g in (value.values() if isinstance(value, dict) else [value])
    ]
    return list(dict.fromkeys(band[-1] for group in groups for band in group))


def dataset_config(
    model: PublicModel,
    models: dict[str, PublicModel],
    words: languages.Words,
    value_labels: list[str],
) -> dict[str, Any]:
    """The Superset 6 export (ImportV1DatasetSchema) of one public model in the language of
    `words` (`models`: every public model by name, where its metrics may come from;
    `value_labels`: the band and category labels its `*_label` columns hold)."""
    labels = model.spec.get("config", {}).get("meta", {}).get("column_labels", {})
    columns = []
    for spec in model.spec.get("columns", []):
        column = _column(spec, labels, words)
        if spec["name"].endswith(VALUE_LABEL_SUFFIX):
            columns += _translated_values(column, value_labels, words)
        else:
            columns.append(column)
    metrics = [_metric(m, words) for m in _metric_specs(model, models)]
    english = words.language == languages.ENGLISH  # else a virtual copy of the mart
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
        "sql": None if english else f"select * from {model.schema}.{model.name}",
        "table_name": languages.suffixed(model.name, words.language),
        "template_params": None,
        "uuid": asset_uuid(
            "dataset", languages.suffixed(f"{model.schema}.{model.name}", words.language)
        ),
        "version": BUNDLE_VERSION,
    }


# libyaml's dumper where installed: the bundle is written per language, twice the YAML.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _yaml(source: Path, config: dict[str, Any]) -> str:
    body = yaml.dump(
        config, Dumper=_DUMPER, sort_keys=True, allow_unicode=True, width=100, indent=2
    )
    return HEADER.format(source=source.relative_to(REPO_ROOT).as_posix()) + body


def _render(manifest: Path) -> tuple[dict[Path, str], list[languages.Words]]:
    """Path -> content of every generated file, and the words of each language (which
    recorded the texts their catalogue lacks)."""
    models = {model.name: model for model in find_public_models(manifest)}
    labels = value_labels(manifest)
    files = {}
    all_words = [languages.words(language) for language in LANGUAGES]
    for words in all_words:
        files.update(_render_language(words, models, labels))
    return files, all_words


def _render_language(
    words: languages.Words, models: dict[str, PublicModel], labels: list[str]
) -> dict[Path, str]:
    """The datasets, charts and dashboards of one language."""
    lang = words.language
    datasets = {
        name: dataset_config(model, models, words, labels) for name, model in models.items()
    }
    files = {
        DATASETS_DIR / f"{config['table_name']}.yaml": _yaml(models[name].source, config)
        for name, config in datasets.items()
    }
    for name, spec in dashboard_bundle.read_specs().items():
        source = dashboard_bundle.SPECS_DIR / f"{name}.yaml"
        for chart, chart_spec in spec["charts"].items():
            model = models[chart_spec["dataset"]]
            config = dashboard_bundle.chart_config(
                chart,
                chart_spec,
                datasets[model.name],
                asset_uuid("chart", languages.suffixed(chart, lang)),
                dashboard_bundle.metric_targets(_metric_specs(model, models)),
                _time_formats(model),
                words,
                _value_columns(datasets[model.name], lang),
            )
            files[CHARTS_DIR / f"{languages.suffixed(chart, lang)}.yaml"] = _yaml(source, config)
        variant = next(
            v for v in languages.dashboard_variants(name, spec["slug"]) if v.language == lang
        )
        config = dashboard_bundle.dashboard_config(
            {**spec, "slug": variant.slug},
            asset_uuid("dashboard", variant.name),
            chart_uuid=lambda chart: asset_uuid("chart", languages.suffixed(chart, lang)),
            dataset_uuid=lambda dataset: datasets[dataset]["uuid"],
            words=words,
        )
        files[DASHBOARDS_DIR / f"{variant.name}.yaml"] = _yaml(source, config)
    return files


def _value_columns(dataset: dict[str, Any], language: str) -> dict[str, str]:
    """Label column -> the column showing its values in `language` (_translated_values)."""
    names = {column["column_name"] for column in dataset["columns"]}
    return {
        name: languages.suffixed(name, language)
        for name in names
        if name.endswith(VALUE_LABEL_SUFFIX) and languages.suffixed(name, language) in names
    }


def expected_files(manifest: Path = MANIFEST) -> dict[Path, str]:
    """Path -> content of every generated file: per language, a dataset per public model,
    then the charts and dashboards of the specs in superset/dashboards/ (on those datasets)."""
    return _render(manifest)[0]


def untranslated(manifest: Path = MANIFEST) -> dict[str, list[str]]:
    """Language -> the English texts readers see that its catalogue lacks (shown in English)."""
    return {
        words.language: sorted(words.missing) for words in _render(manifest)[1] if words.missing
    }


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
