"""A quarantined line's raw text is readable only where the raw data is (the build warehouse),
never by a Superset role (issue 18: the lines of a symlinked /etc/passwd showed in two views
Superset could read). Superset opens the serving warehouse, whose every schema SQL Lab reads:
no model, dataset or serving table carries the text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import yaml

from orchestration.lib.atomic_publish import RAW_ONLY_COLUMNS, publish_warehouse
from orchestration.resources import REPO_ROOT
from tests.support import superset_script

PASSWD_LINE = "root:x:0:0:root:/root:/bin/bash"
RAW_TABLES_SQL = REPO_ROOT / "orchestration" / "lib" / "raw_tables.sql"
SUPERSET = REPO_ROOT / "superset"


def _raw_text_tables() -> set[tuple[str, str]]:
    """The raw tables holding a raw_text column, from their DDL."""
    tables = re.findall(
        r"create table if not exists (\w+)\.(\w+) \((.*?)\n\);", RAW_TABLES_SQL.read_text(), re.S
    )
    return {(schema, table) for schema, table, body in tables if re.search(r"\braw_text\b", body)}


def test_the_serving_copy_leaves_quarantined_text_in_the_build(tmp_path: Path) -> None:
    build, serving = tmp_path / "build.duckdb", tmp_path / "serving.duckdb"
    with duckdb.connect(str(build)) as con:
        con.execute("create schema raw")
        con.execute(RAW_TABLES_SQL.read_text())
        con.execute(
            "insert into raw.raw_quarantine values"
            " ('cdr', '/landing/passwd.csv', 1, ?, 'expected 17 fields, found 1', now())",
            [PASSWD_LINE],
        )

    publish_warehouse(build, serving)

    with duckdb.connect(str(serving), read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns"
            " where column_name = 'raw_text'"
        ).fetchall()
        kept = con.execute(
            "select source_file, line_number, reason from raw.raw_quarantine"
        ).fetchall()
    assert columns == []
    assert kept == [("/landing/passwd.csv", 1, "expected 17 fields, found 1")]
    with duckdb.connect(str(build), read_only=True) as con:
        assert con.execute("select raw_text from raw.raw_quarantine").fetchall() == [(PASSWD_LINE,)]
    assert {(s, t) for s, t, _ in RAW_ONLY_COLUMNS} == _raw_text_tables() != set()


def test_no_model_dataset_or_role_reads_raw_text() -> None:
    manifest = json.loads((REPO_ROOT / "dbt_project" / "target" / "manifest.json").read_text())
    # Every model lands in the serving file, staging and intermediate views included.
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert models
    assert [m["name"] for m in models if re.search(r"\braw_text\b", m["raw_code"])] == []
    assert [m["name"] for m in models if "raw_text" in m["columns"]] == []
    datasets = {
        path.stem: yaml.safe_load(path.read_text())
        for path in (SUPERSET / "assets" / "datasets").rglob("*.yaml")
    }
    access = superset_script("access")
    for role, spec in access.read_roles().items():
        for name in access.role_datasets(spec, access.read_specs(), datasets):
            columns = {c["column_name"] for c in datasets[name]["columns"]}
            sql = datasets[name].get("sql") or ""
            assert "raw_text" not in columns and "raw_text" not in sql, (role, name)
            assert datasets[name]["schema"] != "raw", (role, name)
