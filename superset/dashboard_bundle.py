"""Charts and dashboards of the bundle, rendered from the short specs in superset/dashboards/.

A spec names, per dashboard, its native filters, its rows of charts and each chart's dataset,
kind and fields; everything else Superset's export holds (uuids, positions, the time-range
filter every chart needs, colours of targets) is filled in here, the same way for every chart.
Metric names are the contract's (the dbt project's meta.metrics, in the generated datasets):
a spec never writes SQL, and the targets charts colour against are those metrics' meta too
(metric_targets). Nothing a reader sees is named here: a column aggregate takes its column's
dbt label, a target line its metric's label and format, a table's dates and numbers their
columns' types (or a column's dbt meta.time_format). build_assets.py writes the result into
assets/charts and assets/dashboards, once per language: `words` translates each text a reader
sees (titles, descriptions, filter names, custom labels, target lines; languages.py), and the
datasets of a language carry that language's column and metric labels.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SPECS_DIR = Path(__file__).resolve().parent / "dashboards"
Translate = Callable[[str], str]  # an English display text -> the language's (languages.Words)


def _english(text: str) -> str:
    return text


@dataclass(frozen=True)
class Target:
    """A metric's goal, from its meta in the dbt project (target, warning, direction; see
    dbt_project.yml): green up to `target`, amber up to `warning`, red beyond."""

    target: float
    warning: float
    higher_is_better: bool
    label: str = ""  # the metric's label, which names the target line
    d3format: str = ""  # the metric's format, in which the target line's value reads

    def legend(self, words: Translate = _english) -> str:
        """The target line's name in words: "Service level target 80 %", "ASA target 30 s";
        its metric name, unit and wording translated by `words`."""
        name, unit = self.label, ""
        if name.endswith(")") and " (" in name:  # "ASA (s)": the unit goes after the value
            name, unit = name[:-1].rsplit(" (", 1)
            unit = f" {words(unit)}"
        if "%" in self.d3format:
            value, unit = f"{self.target * 100:g}", " %"
        else:
            value = f"{self.target:g}"
        return words(TARGET_LEGEND).format(name=words(name), value=value, unit=unit)


Targets = Mapping[str, Target]
TARGET_LEGEND = "{name} target {value}{unit}"  # a text to translate like any other
DIRECTIONS = {"higher_is_better": True, "lower_is_better": False}
# Red/amber/green: pale cell backgrounds in tables; a big number's text takes the theme's
# own status colours (Superset resolves a colorScheme named like a theme token).
GREEN, AMBER, RED = "#ACE1C4", "#FDE380", "#EFA1AA"
CELL_COLOURS = (GREEN, AMBER, RED)
TEXT_COLOURS = ("colorSuccess", "colorWarning", "colorError")


def metric_targets(metrics: list[dict[str, Any]]) -> dict[str, Target]:
    """Metric name -> its target, for the metrics (dbt meta.metrics) that declare one."""
    targets = {}
    for metric in metrics:
        if "target" not in metric:
            continue
        if metric.get("direction") not in DIRECTIONS or "warning" not in metric:
            raise ValueError(
                f"metric {metric['name']}: a target needs a warning and a direction"
                f" ({' or '.join(DIRECTIONS)})"
            )
        targets[metric["name"]] = Target(
            metric["target"],
            metric["warning"],
            DIRECTIONS[metric["direction"]],
            metric.get("label", metric["name"]),
            metric.get("d3format", ""),
        )
    return targets


def _time_filter(dttm: str) -> list[dict[str, Any]]:
    """The chart's time column, bound to the dashboard's time-range filter (no range: all)."""
    return _where([[dttm, "TEMPORAL_RANGE", "No filter"]])


AGGREGATES = ("sum", "min", "max")


def _metric(metric: str | dict[str, str]) -> str | dict[str, Any]:
    """A contract metric by name, or `{sum: column}`: the plain sum of an additive column
    (wait-band counts), or `{min: column}` (a band's sort key), never free SQL; labelled as
    the column (its dbt label, filled in by chart_config) unless the spec gives `label`."""
    if isinstance(metric, str):
        return metric
    aggregate = next(key for key in AGGREGATES if key in metric)
    return {
        "expressionType": "SIMPLE",
        "aggregate": aggregate.upper(),
        "column": {"column_name": metric[aggregate]},
        "label": metric["label"],
        "hasCustomLabel": True,
        "optionName": f"metric_{aggregate}_{metric[aggregate]}",
    }


def _labelled(metric: Any, column_labels: Mapping[str, str], words: Translate) -> Any:
    """An aggregate of a column with the column's label, unless the spec names one."""
    if not isinstance(metric, dict):
        return metric
    if "label" in metric:
        return {**metric, "label": words(metric["label"])}
    column = next(metric[key] for key in AGGREGATES if key in metric)
    return {**metric, "label": column_labels[column]}


def _metrics(spec: dict[str, Any]) -> list[str | dict[str, Any]]:
    return [_metric(m) for m in spec["metrics"]]


def _where(conditions: list[list[Any]]) -> list[dict[str, Any]]:
    """Fixed row filters of a chart: [column, operator, value] (e.g. [direction, ==, all])."""
    return [
        {
            "clause": "WHERE",
            "expressionType": "SIMPLE",
            "subject": column,
            "operator": operator,
            "comparator": value,
        }
        for column, operator, value in conditions
    ]


def _colours(
    metrics: list[Any], targets: Targets, colours: tuple[str, str, str] = CELL_COLOURS
) -> list[dict[str, Any]]:
    """Red/amber/green rules (`colours`: green, amber, red) for every metric that has a
    target: a table's cells, or a big number's text."""
    rules = []
    green, amber, red = colours
    for metric in metrics:
        if not isinstance(metric, str) or metric not in targets:
            continue
        good, ok = targets[metric].target, targets[metric].warning
        if targets[metric].higher_is_better:
            bands = [(green, ">=", good), (amber, "between", (ok, good)), (red, "<", ok)]
        else:
            bands = [(green, "<=", good), (amber, "between", (good, ok)), (red, ">", ok)]
        for colour, operator, value in bands:
            rule = {"column": metric, "colorScheme": colour, "operator": operator}
            if operator == "between":
                rule.update(operator="< x <", targetValueLeft=value[0], targetValueRight=value[1])
            else:
                rule["targetValue"] = value
            rules.append(rule)
    return rules


def _target_lines(metrics: list[Any], targets: Targets, words: Translate) -> list[dict[str, Any]]:
    """A dashed formula line at each plotted metric's target."""
    return [
        {
            "name": targets[metric].legend(words),
            "annotationType": "FORMULA",
            "sourceType": "",
            "value": str(targets[metric].target),
            "overrides": {"time_range": None},
            "show": True,
            "showLabel": True,
            "titleColumn": "",
            "descriptionColumns": [],
            "timeColumn": "",
            "intervalEndColumn": "",
            "color": "#DC3545",
            "opacity": "",
            "style": "dashed",
            "width": 1,
            "showMarkers": False,
            "hideLine": False,
        }
        for metric in metrics
        if isinstance(metric, str) and metric in targets
    ]


def _big_number(spec: dict[str, Any], dttm: str, targets: Targets) -> dict[str, Any]:
    """The figure, its text red/amber/green against the metric's target (Superset 6.1's Big
    Number colours its value by the rule that matches)."""
    return {
        "metric": spec["metric"],
        "header_font_size": 0.4,
        "subheader_font_size": 0.15,
        "time_format": "smart_date",
        "conditional_formatting": _colours([spec["metric"]], targets, TEXT_COLOURS),
    }


def _timeseries(spec: dict[str, Any], dttm: str, targets: Targets) -> dict[str, Any]:
    params = {
        "x_axis": spec.get("x", dttm),
        "time_grain_sqla": spec.get("time_grain", "P1D"),
        "metrics": _metrics(spec),
        "groupby": spec.get("groupby", []),
        "row_limit": 10000,
        "order_desc": True,
        "show_legend": True,
        "legendOrientation": "top",
        "legendType": "scroll",
        "rich_tooltip": True,
        "tooltipTimeFormat": "smart_date",
        "x_axis_time_format": "smart_date",
        # The axis ignores the metric's d3format (Superset 6.1 falls back to SMART_NUMBER).
        "y_axis_format": spec.get("y_format", "SMART_NUMBER"),
        "truncateYAxis": "y_bounds" in spec,
        "y_axis_bounds": spec.get("y_bounds", [None, None]),
        "markerEnabled": True,
        "markerSize": 4,
        "color_scheme": "supersetColors",
        "annotation_layers": _target_lines(spec["metrics"], targets, spec["words"]),
    }
    if spec.get("stack"):
        params["stack"] = "Stack"
    return params


def _bar(spec: dict[str, Any], dttm: str, targets: Targets) -> dict[str, Any]:
    """A ranking: categories on one axis, sorted by the first metric."""
    params = _timeseries(spec, dttm, targets)
    params.update(
        orientation=spec.get("orientation", "horizontal"),
        x_axis_sort=_sort_label(spec["metrics"][0]),
        x_axis_sort_asc=spec.get("ascending", False),
        x_axis_sort_series_type="sum",
        row_limit=spec.get("limit", 25),
        show_value=True,
    )
    params.pop("time_grain_sqla")
    return params


def _sort_label(metric: str | dict[str, str]) -> str:
    return metric if isinstance(metric, str) else metric["label"]


def _timestamp_format(columns: list[str], time_formats: Mapping[str, str], default: str) -> str:
    """How a table shows its dates: as the first temporal column shown reads (a month as
    2026-11, a day as 2026-11-03, a moment to the second), else `default`."""
    return next((time_formats[c] for c in columns if c in time_formats), default)


def _column_config(spec: dict[str, Any], shown: list[str]) -> dict[str, dict[str, Any]]:
    """Per column: `widths` (pixels, long cells cut) and `formats` (d3, for grouped numbers);
    a number column shown without a format of its own reads by its type: whole numbers as
    plain counts (1,234 s, not 1.23k), decimals to one place."""
    config: dict[str, dict[str, Any]] = {}
    for column, width in spec.get("widths", {}).items():
        config.setdefault(column, {}).update(columnWidth=width, truncateLongCells=True)
    formats = {
        column: spec["number_formats"][column]
        for column in shown
        if column in spec["number_formats"]
    }
    for column, d3format in (formats | spec.get("formats", {})).items():
        config.setdefault(column, {})["d3NumberFormat"] = d3format
    return config


def _table(spec: dict[str, Any], dttm: str, targets: Targets) -> dict[str, Any]:
    metrics = _metrics(spec)
    return {
        "query_mode": "aggregate",
        "groupby": spec["groupby"],
        "metrics": metrics,
        "percent_metrics": [],
        "timeseries_limit_metric": _metric(spec.get("sort", spec["metrics"][0])),
        "order_desc": not spec.get("ascending", False),
        "row_limit": spec.get("limit", 1000),
        "server_page_length": spec.get("page_length", 10),
        "show_cell_bars": False,
        "table_timestamp_format": _timestamp_format(
            spec["groupby"], spec["time_formats"], "smart_date"
        ),
        "conditional_formatting": _colours(metrics, targets),
        "column_config": _column_config(spec, spec["groupby"]),
    }


def _detail(spec: dict[str, Any], dttm: str, targets: Targets) -> dict[str, Any]:
    """Rows as they are (a worklist, one call per row), newest first, a page at a time from
    the server: every row is reachable (no row limit cuts the list short)."""
    return {
        "query_mode": "raw",
        "all_columns": spec["columns"],
        "order_by_cols": [f'["{spec.get("order_by", dttm)}", false]'],
        "server_pagination": True,
        "server_page_length": spec.get("page_length", 10),
        # Superset's own ceiling for a server-paged table (TABLE_VIZ_MAX_ROW_SERVER): without
        # it the table's default limit (10,000) caps the list and its count.
        "row_limit": 500_000,
        # No bars in the cells of a list; no search box (it names columns, not labels: the
        # dashboard's filters select the rows).
        "show_cell_bars": False,
        "include_search": False,
        "table_timestamp_format": _timestamp_format(
            spec["columns"], spec["time_formats"], "%Y-%m-%d %H:%M:%S"
        ),
        "column_config": _column_config(spec, spec["columns"]),
    }


def _pie(spec: dict[str, Any], dttm: str, targets: Targets) -> dict[str, Any]:
    return {
        "groupby": spec["groupby"],
        "metric": spec["metric"],
        "row_limit": spec.get("limit", 10),
        "sort_by_metric": True,
        "show_labels": True,
        "labels_outside": True,
        "label_type": "key_percent",
        "number_format": "SMART_NUMBER",
        "show_legend": True,
        "legendOrientation": "right",
        "legendType": "scroll",
        "innerRadius": 30,
        "outerRadius": 70,
        "donut": spec.get("donut", False),
        "color_scheme": "supersetColors",
    }


def _heatmap(spec: dict[str, Any], dttm: str, targets: Targets) -> dict[str, Any]:
    return {
        "x_axis": spec["x"],
        "groupby": [spec["y"]],
        "metric": spec["metric"],
        "row_limit": 10000,
        "sort_x_axis": "alpha_asc",
        "sort_y_axis": "alpha_asc",
        "normalize_across": "heatmap",
        "legend_type": "continuous",
        "linear_color_scheme": "superset_seq_1",
        "xscale_interval": -1,
        "yscale_interval": -1,
        "left_margin": "auto",
        "bottom_margin": "auto",
        "value_bounds": [None, None],
        "y_axis_format": "SMART_NUMBER",
        "x_axis_time_format": "smart_date",
        "show_legend": True,
        "show_percentage": True,
        "show_values": spec.get("show_values", False),
    }


# spec kind -> (Superset viz_type, the params of its kind)
KINDS: dict[str, tuple[str, Callable[[dict[str, Any], str, Targets], dict[str, Any]]]] = {
    "big_number": ("big_number_total", _big_number),
    "line": ("echarts_timeseries_line", _timeseries),
    "area": ("echarts_area", _timeseries),
    "bar": ("echarts_timeseries_bar", _bar),
    "table": ("table", _table),
    "detail": ("table", _detail),
    "pie": ("pie", _pie),
    "heatmap": ("heatmap_v2", _heatmap),
}


# How a temporal column of each dbt type reads in a table (a column's meta.time_format wins).
TIME_FORMATS = {"DATE": "%Y-%m-%d", "TIMESTAMP": "%Y-%m-%d %H:%M:%S"}
# How a number column of each type reads in a table (d3): counts and seconds whole, with
# thousands separators; money as its decimals; other decimals to one place.
NUMBER_FORMATS = {"BIGINT": ",d", "INTEGER": ",d", "DOUBLE": ",.1f", "DECIMAL(18,2)": ",.2f"}


def time_formats(dataset: dict[str, Any], meta: Mapping[str, str]) -> dict[str, str]:
    """Temporal column -> how a table shows it: `meta` (column -> its dbt meta.time_format,
    e.g. %Y-%m for a month), else by its type."""
    return {
        column["column_name"]: meta.get(column["column_name"])
        or TIME_FORMATS.get(column["type"], "%Y-%m-%d %H:%M:%S")
        for column in dataset["columns"]
        if column["is_dttm"]
    }


def chart_config(
    name: str,
    spec: dict[str, Any],
    dataset: dict[str, Any],
    uuid: str,
    targets: Targets,
    column_time_formats: Mapping[str, str] | None = None,
    words: Translate = _english,
    value_columns: Mapping[str, str] | None = None,
) -> dict:
    """The Superset 6 export of one chart; `dataset` is its generated dataset config (in the
    chart's language), `targets` those of its metrics (metric_targets), `column_time_formats`
    the dbt meta.time_format of its columns that have one, `words` the chart's language and
    `value_columns` the columns shown in its place (a label column -> its translated values)."""
    viz_type, params_of = KINDS[spec["kind"]]
    dttm = dataset["main_dttm_col"]
    labels = {c["column_name"]: c["verbose_name"] or c["column_name"] for c in dataset["columns"]}
    shown = value_columns or {}
    spec = {
        **spec,
        **{
            key: [shown.get(c, c) for c in spec[key]]
            if isinstance(spec[key], list)
            else shown.get(spec[key], spec[key])
            for key in ("groupby", "columns", "x", "y")
            if key in spec
        },
        "words": words,
        "time_formats": time_formats(dataset, column_time_formats or {}),
        "number_formats": {
            column["column_name"]: NUMBER_FORMATS[column["type"]]
            for column in dataset["columns"]
            if column["type"] in NUMBER_FORMATS
        },
        **{
            key: [_labelled(m, labels, words) for m in spec[key]]
            if isinstance(spec[key], list)
            else _labelled(spec[key], labels, words)
            for key in ("metrics", "metric", "sort")
            if key in spec
        },
    }
    params = {"viz_type": viz_type, "datasource": "1__table", **params_of(spec, dttm, targets)}
    params.setdefault("annotation_layers", [])
    params["adhoc_filters"] = (_time_filter(dttm) if dttm else []) + _where(spec.get("where", []))
    params["extra_form_data"] = {}
    return {
        "slice_name": words(spec["title"]),
        "description": words(" ".join(spec["description"].split())),
        "viz_type": viz_type,
        "uuid": uuid,
        "dataset_uuid": dataset["uuid"],
        "version": "1.0.0",
        "cache_timeout": None,
        "certified_by": None,
        "certification_details": None,
        "query_context": None,
        "params": params,
    }


def _native_filter(
    spec: dict[str, Any], dataset_uuid: Callable[[str], str], words: Translate
) -> dict[str, Any]:
    """A dashboard filter: the time range, or a value list of one column (which applies to
    every chart whose dataset has a column of that name)."""
    filter_id = "NATIVE_FILTER-" + spec["name"].lower().replace(" ", "-")
    common = {
        "id": filter_id,
        "name": words(spec["name"]),
        "description": words(" ".join(spec.get("description", "").split())),
        "type": "NATIVE_FILTER",
        "cascadeParentIds": [],
        "scope": {"rootPath": ["ROOT_ID"], "excluded": []},
        "defaultDataMask": {"extraFormData": {}, "filterState": {}, "ownState": {}},
    }
    if "column" not in spec:
        return {**common, "filterType": "filter_time", "targets": [{}], "controlValues": {}}
    return {
        **common,
        "filterType": "filter_select",
        "targets": [
            {"datasetUuid": dataset_uuid(spec["dataset"]), "column": {"name": spec["column"]}}
        ],
        "controlValues": {
            "enableEmptyFilter": False,
            "defaultToFirstItem": False,
            "multiSelect": True,
            "searchAllOptions": False,
            "inverseSelection": False,
        },
    }


def _cross_filter_scopes(
    charts: dict[str, Any], chart_ids: Mapping[str, int]
) -> dict[str, dict[str, Any]]:
    """Per chart whose spec lists `cross_filter_excludes`: the charts its clicks leave alone
    (an agent's click must not filter the Teams row to that agent's figures). Superset
    works out the charts in scope from the scope when the dashboard loads."""
    return {
        str(chart_ids[name]): {
            "id": chart_ids[name],
            "crossFilters": {
                "scope": {
                    "rootPath": ["ROOT_ID"],
                    "excluded": [chart_ids[other] for other in chart["cross_filter_excludes"]],
                },
                "chartsInScope": [],
            },
        }
        for name, chart in charts.items()
        if chart.get("cross_filter_excludes")
    }


def dashboard_config(
    spec: dict[str, Any],
    uuid: str,
    chart_uuid: Callable[[str], str],
    dataset_uuid: Callable[[str], str],
    words: Translate = _english,
) -> dict[str, Any]:
    """The Superset 6 export of one dashboard: rows of charts (12 columns wide), filters;
    its texts in the language of `words`."""
    titles = {name: words(chart["title"]) for name, chart in spec["charts"].items()}
    rows = [f"ROW-{i}" for i in range(len(spec["rows"]))]
    position: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"id": "ROOT_ID", "type": "ROOT", "children": ["GRID_ID"]},
        "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": words(spec["title"])}},
        "GRID_ID": {"id": "GRID_ID", "type": "GRID", "parents": ["ROOT_ID"], "children": rows},
    }
    chart_ids: dict[str, int] = {}
    for row_id, row in zip(rows, spec["rows"], strict=True):
        cells = [f"CHART-{cell['chart'].replace('_', '-')}" for cell in row]
        position[row_id] = {
            "id": row_id,
            "type": "ROW",
            "parents": ["ROOT_ID", "GRID_ID"],
            "children": cells,
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
        }
        for cell_id, cell in zip(cells, row, strict=True):
            # A placeholder: the import links charts by uuid and rewrites it (and its uses).
            chart_ids[cell["chart"]] = len(chart_ids) + 1
            position[cell_id] = {
                "id": cell_id,
                "type": "CHART",
                "parents": ["ROOT_ID", "GRID_ID", row_id],
                "children": [],
                "meta": {
                    "chartId": chart_ids[cell["chart"]],
                    "uuid": chart_uuid(cell["chart"]),
                    "sliceName": titles[cell["chart"]],
                    "width": cell["width"],
                    "height": cell.get("height", 50),
                },
            }
    return {
        "dashboard_title": words(spec["title"]),
        "slug": spec["slug"],
        "uuid": uuid,
        "version": "1.0.0",
        "published": True,
        "description": None,
        "css": "",
        "certified_by": "",
        "certification_details": "",
        "metadata": {
            "color_scheme": "supersetColors",
            "cross_filters_enabled": True,
            "default_filters": "{}",
            "expanded_slices": {},
            "label_colors": {},
            "shared_label_colors": [],
            "map_label_colors": {},
            "color_scheme_domain": [],
            "native_filter_configuration": [
                _native_filter(f, dataset_uuid, words) for f in spec.get("filters", [])
            ],
            "chart_configuration": _cross_filter_scopes(spec["charts"], chart_ids),
            "global_chart_configuration": {
                "scope": {"rootPath": ["ROOT_ID"], "excluded": []},
                "chartsInScope": [],
            },
            "refresh_frequency": 0,
            "timed_refresh_immune_slices": [],
        },
        "position": position,
    }


def read_specs(specs_dir: Path = SPECS_DIR) -> dict[str, dict[str, Any]]:
    """Dashboard name (the spec file's stem) -> its spec."""
    return {
        path.stem: yaml.safe_load(path.read_text()) for path in sorted(specs_dir.glob("*.yaml"))
    }
