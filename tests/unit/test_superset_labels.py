"""What readers see in the generated Superset bundle is words and units, never a raw column
name: every column and metric of every dataset has a label (from the dbt project), every
title, legend, metric label and table header of a chart reads as words, rates show as
percent and money in the center's currency."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from orchestration.lib.center_config import Center
from tests.support import superset_script

SUPERSET_DIR = Path(__file__).resolve().parents[2] / "superset"
ASSETS = SUPERSET_DIR / "assets"
MANIFEST = SUPERSET_DIR.parent / "dbt_project" / "target" / "manifest.json"

# Rates and shares of the contract: a name ending so, every service-level variant, and the
# ratios the industry names without the word.
RATE_SUFFIXES = ("_rate", "_share")
RATES = {"service_level", "occupancy", "utilization", "csat", "survey_fcr", "trunk_occupancy"}
# The money columns of the marts: a metric over one of them is an amount of money.
MONEY_COLUMNS = ("agent_cost", "line_cost", "revenue")


def _configs(kind: str) -> list[dict[str, Any]]:
    return [yaml.safe_load(path.read_text()) for path in sorted((ASSETS / kind).rglob("*.yaml"))]


@pytest.fixture(scope="module")
def datasets() -> dict[str, dict[str, Any]]:
    return {str(config["uuid"]): config for config in _configs("datasets")}


@pytest.fixture(scope="module")
def raw_names(datasets: dict[str, dict[str, Any]]) -> set[str]:
    """Every column and metric name of the bundle: what a reader must never see."""
    return {
        name
        for dataset in datasets.values()
        for name in [c["column_name"] for c in dataset["columns"]]
        + [m["metric_name"] for m in dataset["metrics"]]
    }


def _is_words(label: str | None, raw_names: set[str]) -> bool:
    return bool(label) and "_" not in label and label not in raw_names


def test_every_dataset_column_and_metric_has_a_label(
    datasets: dict[str, dict[str, Any]], raw_names: set[str]
) -> None:
    """Columns take their dbt label (column_labels, or meta.label) and description, metrics
    theirs; Explore, drill menus and self-service charts show them."""
    unlabelled = [
        (dataset["table_name"], item.get("column_name") or item["metric_name"])
        for dataset in datasets.values()
        for item in dataset["columns"] + dataset["metrics"]
        if not _is_words(item["verbose_name"], raw_names) or not item["description"]
    ]
    assert unlabelled == []


def _chart_metrics(params: dict[str, Any]) -> Iterator[Any]:
    for key in ("metric", "timeseries_limit_metric"):
        if params.get(key):
            yield params[key]
    yield from params.get("metrics") or []


def _chart_columns(params: dict[str, Any]) -> list[str]:
    """The columns a chart shows (table headers, axes, series, legends)."""
    return [
        *(params.get("groupby") or []),
        *(params.get("all_columns") or []),
        *filter(None, [params.get("x_axis")]),
    ]


def _displayed_texts(chart: dict[str, Any]) -> Iterator[str]:
    """The chart's title, target-line legends and ad-hoc metric labels."""
    yield chart["slice_name"]
    params = chart["params"]
    yield from (layer["name"] for layer in params.get("annotation_layers", []))
    yield from (m["label"] for m in _chart_metrics(params) if isinstance(m, dict))


def test_charts_show_labels_not_column_names(
    datasets: dict[str, dict[str, Any]], raw_names: set[str]
) -> None:
    """Every column and metric a chart shows has a label in its dataset, and every text of
    the chart (title, legend, ad-hoc metric label) is words: no `service_level target`, no
    `queue_id` header, no `0_15` band."""
    problems = []
    for chart in _configs("charts"):
        dataset = datasets[chart["dataset_uuid"]]
        labels = {c["column_name"]: c["verbose_name"] for c in dataset["columns"]}
        labels |= {m["metric_name"]: m["verbose_name"] for m in dataset["metrics"]}
        used = _chart_columns(chart["params"])
        used += [m for m in _chart_metrics(chart["params"]) if isinstance(m, str)]
        problems += [
            (chart["slice_name"], name) for name in used if not _is_words(labels[name], raw_names)
        ]
        problems += [
            (chart["slice_name"], text)
            for text in _displayed_texts(chart)
            if not _is_words(text, raw_names)
        ]
    assert problems == []


def test_dashboards_show_words(raw_names: set[str]) -> None:
    """Dashboard titles, chart titles in the layout and filter names."""
    texts = []
    for dashboard in _configs("dashboards"):
        texts.append(dashboard["dashboard_title"])
        texts += [f["name"] for f in dashboard["metadata"]["native_filter_configuration"]]
        texts += [
            node["meta"].get("sliceName") or node["meta"].get("text")
            for node in dashboard["position"].values()
            if isinstance(node, dict) and node.get("type") in ("CHART", "HEADER")
        ]
    assert [text for text in texts if not _is_words(text, raw_names)] == []


def _metrics(datasets: dict[str, dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for dataset in datasets.values():
        yield from dataset["metrics"]


def test_every_rate_shows_as_percent(datasets: dict[str, dict[str, Any]]) -> None:
    """A self-service service-level chart reads 80 %, not 0.8: the contract's rates and
    shares carry a percent format, and only they do."""
    for metric in _metrics(datasets):
        name = metric["metric_name"]
        is_rate = name.endswith(RATE_SUFFIXES) or name.startswith("sl_") or name in RATES
        assert ("%" in (metric["d3format"] or "")) == is_rate, (name, metric["d3format"])


def test_money_shows_in_the_center_currency(datasets: dict[str, dict[str, Any]]) -> None:
    """Costs and revenue carry the currency (the config schema's default in the bundle),
    counts and rates none; the d3format holds no currency sign of its own."""
    money = set()
    for metric in _metrics(datasets):
        is_money = any(column in metric["expression"] for column in MONEY_COLUMNS)
        if is_money:
            money.add(metric["metric_name"])
            assert metric["currency"] == {"symbol": "USD", "symbolPosition": "prefix"}
            assert "$" not in metric["d3format"]
        else:
            assert metric["currency"] is None, metric["metric_name"]
    assert money == {
        "cost_per_call",
        "total_cost",
        "revenue",
        "settled_revenue",
        "open_window_revenue",
        "average_order_value",
    }
    assert Center.model_fields["currency"].default == "USD"


def test_bootstrap_imports_money_in_the_configured_currency() -> None:
    bootstrap = superset_script("bootstrap")
    bundle = bootstrap.read_bundle(currency="CNY")
    funnel = yaml.safe_load(bundle["datasets/warehouse/mart_outbound_funnel_daily.yaml"])
    currencies = {m["metric_name"]: m["currency"] for m in funnel["metrics"] if m["currency"]}
    assert currencies == {
        "revenue": {"symbol": "CNY", "symbolPosition": "prefix"},
        "settled_revenue": {"symbol": "CNY", "symbolPosition": "prefix"},
        "open_window_revenue": {"symbol": "CNY", "symbolPosition": "prefix"},
        "average_order_value": {"symbol": "CNY", "symbolPosition": "prefix"},
    }
    queue = "datasets/warehouse/mart_queue_kpis_daily.yaml"
    assert bundle[queue] == (ASSETS / queue).read_text()  # no money: left byte for byte


def test_config_declared_crm_fields_are_labelled_as_words() -> None:
    """The CRM custom fields reach Superset only at bootstrap (the config names them)."""
    bootstrap = superset_script("bootstrap")
    assert bootstrap.synced_column_label("account_risk_level") == "Account risk level"
    assert bootstrap.synced_column_label("contact_member_level") == "Contact member level"


def test_a_currency_is_an_iso_code() -> None:
    assert Center(name="c", currency="EUR").currency == "EUR"
    with pytest.raises(ValueError, match="currency"):
        Center(name="c", currency="€")


def _chart(slice_name: str) -> dict[str, Any]:
    return next(c for c in _configs("charts") if c["slice_name"] == slice_name)


def test_bands_show_their_labels_in_their_order() -> None:
    """Satisfaction by wait and by tenure group by the bands' display labels (dbt) and sort
    by the bands' sort key, shortest wait and newest agents first, not by volume."""
    for title, band in [
        ("Satisfaction by wait", "wait_band"),
        ("Satisfaction by agent tenure", "agent_tenure_band"),
    ]:
        params = _chart(title)["params"]
        assert params["groupby"] == [f"{band}_label"]
        assert params["timeseries_limit_metric"]["column"]["column_name"] == f"{band}_order"
        assert params["timeseries_limit_metric"]["aggregate"] == "MIN"
        assert params["order_desc"] is False


def test_answered_wait_bands_are_labelled_as_in_dbt() -> None:
    labels = [m["label"] for m in _chart("Answered calls by wait band")["params"]["metrics"]]
    assert labels[0] == "Answered in 0–15 s"
    assert labels[-1] == "Answered after > 5 min"


def test_the_scorecard_month_shows_as_a_month() -> None:
    assert _chart("Scorecard")["params"]["table_timestamp_format"] == "%Y-%m"
    assert _chart("Calls handled")["params"]["table_timestamp_format"] == "%Y-%m-%d %H:%M:%S"


@pytest.mark.parametrize(
    ("label", "d3format", "target", "legend"),
    [
        ("Service level", ".1%", 0.8, "Service level target 80 %"),
        ("Complaint rate", ".2%", 0.003, "Complaint rate target 0.3 %"),
        ("ASA (s)", ".1f", 30, "ASA target 30 s"),
    ],
)
def test_target_lines_name_the_metric_and_target_in_words(
    label: str, d3format: str, target: float, legend: str
) -> None:
    bundle = superset_script("dashboard_bundle")
    assert bundle.Target(target, target, True, label, d3format).legend() == legend


def test_number_columns_in_tables_read_as_numbers() -> None:
    """A wait of 1,234 s reads 1,234 (not 1.23k); the scorecard's change keeps its sign."""
    calls = _chart("Calls handled")["params"]["column_config"]
    assert calls["total_wait_seconds"]["d3NumberFormat"] == ",d"
    scorecard = _chart("Scorecard")["params"]["column_config"]
    assert scorecard["team_rank"]["d3NumberFormat"] == ",d"
    assert scorecard["score_change_month"]["d3NumberFormat"] == "+,.1f"


def _macro_tuples(name: str) -> list[tuple[str, ...]]:
    """The ('code', ..., 'label') tuples a dbt macro of the project writes, from the manifest."""
    manifest = json.loads(MANIFEST.read_text())
    sql = manifest["macros"][f"macro.contact_center.{name}"]["macro_sql"]
    return [tuple(re.findall(r"'([^']*)'", t)) for t in re.findall(r"\(([^()]*)\)", sql)]


def test_band_and_category_labels_are_words() -> None:
    """What the band and category label columns hold (dbt macros) reads as words."""
    bands = [t for t in _macro_tuples("contract_wait_bands") if t]
    bands += [t for t in _macro_tuples("agent_tenure_bands") if t]
    categories = [t for t in _macro_tuples("category_labels") if len(t) == 2]
    assert len(bands) == 6 + 4 and len(categories) == 11 + 3 + 3 + 3
    assert [label for *_, label in bands + categories if "_" in label] == []


def test_the_wait_band_columns_say_their_band(datasets: dict[str, dict[str, Any]]) -> None:
    """The queue marts' answered_wait_<band>_count columns are labelled with the band's label
    (contract_wait_bands), so the Operations bars and the CX drivers read the same bands."""
    bands = {code: label for code, label in (t for t in _macro_tuples("contract_wait_bands") if t)}
    queue = next(d for d in datasets.values() if d["table_name"] == "mart_queue_kpis_daily")
    labels = {
        m[1]: column["verbose_name"]
        for column in queue["columns"]
        if (m := re.fullmatch(r"answered_wait_(\w+)_count", column["column_name"]))
    }
    assert set(labels) == set(bands)
    assert all(labels[code].endswith(label) for code, label in bands.items()), labels
