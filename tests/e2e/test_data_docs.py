"""The GX data docs of a build read in a browser from the file, with no network: every suite's
validation of the run is listed as passed and links to its page."""

from __future__ import annotations

import re

import duckdb
import pytest

from orchestration.defs.quality.contract_suites import SUITES_DIR
from orchestration.lib.data_docs import data_docs_index
from tests.conftest import SimulatedRun
from tests.e2e.browser import shut_in_page
from tests.support import data_docs_validations

pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def test_data_docs_list_every_suite_of_the_build(simulated_run: SimulatedRun) -> None:
    warehouse = simulated_run.warehouse
    with duckdb.connect(str(warehouse.build_path), read_only=True) as con:
        ((run_id,),) = con.execute("select distinct run_id from dq.dq_results").fetchall()
    suites = sorted(p.stem for p in SUITES_DIR.glob("*.json"))

    validations = data_docs_validations(warehouse)
    assert sorted(v["Asset Name"] for v in validations if v["Run Name"] == run_id) == suites
    assert {v["Status"] for v in validations} == {"passed"}

    index = data_docs_index(warehouse.build_path.parent)
    with shut_in_page(re.compile(r"^file://"), "data_docs.png") as page:
        page.goto(index.as_uri())
        first_table = page.locator("table").first
        assert first_table.locator("tbody tr").count() == len(suites)
        first_table.get_by_role("link", name="passed").first.click()
        page.wait_for_load_state()
        assert "Status: Succeeded" in " ".join(page.locator("body").inner_text().split())
