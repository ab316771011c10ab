"""Paths and small builders shared by the tests."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import socket
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType

from orchestration.lib.data_docs import data_docs_index
from orchestration.resources import REPO_ROOT, CenterWarehouse

EXAMPLE_CONFIG = REPO_ROOT / "config" / "example.yml"
SUPERSET_DIR = REPO_ROOT / "superset"
FIXTURES = REPO_ROOT / "tests" / "fixtures"
# Real PBX samples of other projects, with their origin and licence in SOURCES.md there.
REALDATA = FIXTURES / "realdata"


def contract_wait_bands() -> tuple[list[float], list[str]]:
    """The metric contract's wait bands as pandas.cut bins (whole seconds) and labels, read
    from the queue marts' answered_wait_<low>_<high>_count ... _over_<high>_count columns in
    dbt's manifest (their one definition is the dbt macro contract_wait_bands)."""
    manifest = json.loads((REPO_ROOT / "dbt_project" / "target" / "manifest.json").read_text())
    columns = manifest["nodes"]["model.contact_center.mart_queue_kpis_daily"]["columns"]
    labels = [m[1] for c in columns if (m := re.fullmatch(r"answered_wait_(\w+)_count", c))]
    highs = [float("inf") if b.startswith("over_") else int(b.split("_")[1]) for b in labels]
    return [-1, *highs], labels


def make_warehouse(root: Path, config_path: Path = EXAMPLE_CONFIG) -> CenterWarehouse:
    """A warehouse whose landing and warehouse folders live under `root`."""
    return CenterWarehouse(
        landing_dir=str(root / "landing"),
        warehouse_dir=str(root / "warehouse"),
        center_config_path=str(config_path),
    )


def copy_center(source: CenterWarehouse, root: Path) -> CenterWarehouse:
    """A copy under `root` of `source`'s landing folder and warehouses, whose ledger names the
    copy's files: the ledger keeps a file's absolute path, and a moved file is a new file."""
    import duckdb

    warehouse = make_warehouse(root, Path(source.center_config_path))
    shutil.copytree(source.landing_dir, warehouse.landing_dir, symlinks=True)
    shutil.copytree(source.warehouse_dir, warehouse.warehouse_dir)
    with duckdb.connect(str(warehouse.build_path)) as con:
        tables = con.execute(
            "select table_name from information_schema.columns"
            " where table_schema = 'raw' and column_name = 'source_file'"
        ).fetchall()
        for (table,) in tables:
            con.execute(
                f"update raw.{table} set source_file = replace(source_file, ?, ?)",
                [f"{source.landing_dir}/", f"{warehouse.landing_dir}/"],
            )
    return warehouse


def process_state(pid: int) -> str | None:
    """The process's state letter in /proc (S sleeping, Z zombie: dead, not yet reaped), or
    None when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (for a server a test starts)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_fixture_pipeline(root: Path, config_text: str, landing_files: dict[str, str]) -> Path:
    """Runs the whole job on hand-written landing files under a center config given as
    text; returns the published serving warehouse."""
    from orchestration.pipeline import run_warehouse_job

    config = root / "center.yml"
    config.write_text(config_text)
    warehouse = make_warehouse(root, config)
    landing = Path(warehouse.landing_dir)
    landing.mkdir(parents=True)
    for name, text in landing_files.items():  # a name may hold a folder: crm/Contact.csv
        (landing / name).parent.mkdir(parents=True, exist_ok=True)
        (landing / name).write_text(text)
    result = run_warehouse_job(warehouse)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    return warehouse.serving_path


class _Tables(HTMLParser):
    """The text of each cell of each table of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def data_docs_validations(warehouse: CenterWarehouse) -> list[dict[str, str]]:
    """The validation results listed on the warehouse's GX data docs front page."""
    parser = _Tables()
    parser.feed(data_docs_index(Path(warehouse.warehouse_dir)).read_text())
    header, *rows = parser.tables[0]
    return [dict(zip(header, row, strict=True)) for row in rows]


def superset_script(name: str) -> ModuleType:
    """superset/<name>.py by path: `import superset.x` would find the installed package
    instead; their folder on sys.path, as when they run as scripts (bootstrap imports access)."""
    if str(SUPERSET_DIR) not in sys.path:
        sys.path.append(str(SUPERSET_DIR))
    spec = importlib.util.spec_from_file_location(f"superset_{name}", SUPERSET_DIR / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
