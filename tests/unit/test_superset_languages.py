"""Every dashboard renders in English and in Chinese (zh) from one label catalogue,
superset/i18n/zh.yaml: a text readers see that the catalogue lacks is named here."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

SUPERSET_DIR = Path(__file__).resolve().parents[2] / "superset"
ASSETS = SUPERSET_DIR / "assets"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _load_script(name: str) -> ModuleType:
    """superset/*.py by path, their folder on sys.path (build_assets imports its siblings)."""
    if str(SUPERSET_DIR) not in sys.path:
        sys.path.append(str(SUPERSET_DIR))
    spec = importlib.util.spec_from_file_location(f"superset_{name}", SUPERSET_DIR / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _asset(kind: str, name: str) -> dict[str, Any]:
    return yaml.safe_load((ASSETS / kind / f"{name}.yaml").read_text())


def test_every_text_readers_see_has_a_chinese_entry() -> None:
    """Titles, filter names, column and metric labels, custom labels, target lines, band and
    category labels: each English text needs a line in superset/i18n/zh.yaml."""
    missing = _load_script("build_assets").untranslated()
    assert missing == {}, f"add to superset/i18n/<language>.yaml: {missing}"


def test_a_missing_text_is_reported_and_shown_in_english(tmp_path: Path) -> None:
    (tmp_path / "zh.yaml").write_text("Queue: 队列\n")
    words = _load_script("languages").words("zh", tmp_path)
    assert [words("Queue"), words("Queues")] == ["队列", "Queues"]
    assert words.missing == {"Queues"}


def test_each_spec_has_an_english_and_a_chinese_dashboard() -> None:
    variants = _load_script("languages").dashboard_variants("operations", "operations")
    assert [(v.language, v.name, v.slug) for v in variants] == [
        ("en", "operations", "operations"),
        ("zh", "operations_zh", "operations-zh"),
    ]
    specs = {path.stem for path in (SUPERSET_DIR / "dashboards").glob("*.yaml")}
    shown = {path.stem for path in (ASSETS / "dashboards").glob("*.yaml")}
    assert shown == specs | {f"{name}_zh" for name in specs}


def test_the_chinese_operations_dashboard_reads_chinese() -> None:
    dashboard = _asset("dashboards", "operations_zh")
    assert (dashboard["slug"], dashboard["dashboard_title"]) == ("operations-zh", "呼叫中心运营")
    filters = [f["name"] for f in dashboard["metadata"]["native_filter_configuration"]]
    assert filters == ["日期范围", "班组", "队列"]
    titles = [n["meta"]["sliceName"] for n in dashboard["position"].values()
              if isinstance(n, dict) and n.get("type") == "CHART"]  # fmt: skip
    assert "服务水平" in titles and all(CJK.search(title) for title in titles), titles
    trend = _asset("charts", "service_level_trend_zh")
    assert trend["params"]["annotation_layers"][0]["name"] == "服务水平目标 80 %"
    asa = _asset("charts", "asa_trend_zh")
    assert asa["params"]["annotation_layers"][0]["name"] == "平均应答速度目标 30 秒"
    bands = [m["label"] for m in _asset("charts", "wait_bands_zh")["params"]["metrics"]]
    assert bands[0] == "0–15 秒内接听" and bands[-1] == "等待 5 分钟以上后接听"


def test_zh_charts_read_the_zh_datasets_with_chinese_labels() -> None:
    """A zh chart reads its mart's zh copy (a virtual dataset: one dataset per table name in
    Superset), every column and metric of which is labelled in Chinese."""
    datasets = {
        str(config["uuid"]): config
        for config in (yaml.safe_load(p.read_text()) for p in (ASSETS / "datasets").rglob("*.yaml"))
    }
    for path in (ASSETS / "charts").glob("*_zh.yaml"):
        chart = yaml.safe_load(path.read_text())
        dataset = datasets[str(chart["dataset_uuid"])]
        mart = dataset["table_name"].removesuffix("_zh")
        assert dataset["table_name"] == f"{mart}_zh", path
        assert dataset["sql"] == f"select * from {dataset['schema']}.{mart}"
        labels = [c["verbose_name"] for c in dataset["columns"] if c["verbose_name"]]
        labels += [m["verbose_name"] for m in dataset["metrics"] if m["verbose_name"]]
        assert [label for label in labels if not CJK.search(label)] == [], path


def test_band_labels_show_in_chinese_in_their_place() -> None:
    """dbt writes "0–15 s"; the zh dataset's calculated column shows "0–15 秒" and the zh
    chart groups by it, still sorted by the band's order."""
    params = _asset("charts", "cx_drivers_wait_zh")["params"]
    assert params["groupby"] == ["wait_band_label_zh"]
    assert params["timeseries_limit_metric"]["column"]["column_name"] == "wait_band_order"
    cx = _asset("datasets/warehouse", "mart_cx_daily_zh")
    column = next(c for c in cx["columns"] if c["column_name"] == "wait_band_label_zh")
    assert column["verbose_name"] == "等待时长"
    assert "WHEN '0–15 s' THEN '0–15 秒'" in column["expression"]
    assert "WHEN 'over 2 years' THEN '2 年以上'" in column["expression"]
    english = next(c for c in cx["columns"] if c["column_name"] == "wait_band_label")
    assert english["verbose_name"] == "等待时长（英文）"


def test_english_dashboards_stay_english() -> None:
    dashboard = _asset("dashboards", "operations")
    assert (dashboard["slug"], dashboard["dashboard_title"]) == (
        "operations",
        "Contact center operations",
    )
    assert _asset("charts", "cx_drivers_wait")["params"]["groupby"] == ["wait_band_label"]


def test_a_marts_copy_is_granted_with_the_mart() -> None:
    """access.yaml names marts; the zh copy of a mart a role reads is granted with it."""
    access = _load_script("access")
    assert access._matches("mart_agent_calls_zh", ["mart_agent_calls"])
    assert access._matches("mart_cx_daily_zh", ["mart_cx_*"])
    assert not access._matches("mart_callbacks_zh", ["mart_cx_*", "shared_*"])
