"""A failed blocking check names what failed: its failing rows' reason, when they give one."""

from __future__ import annotations

import json
from pathlib import Path

from orchestration.lib.dq_results import blocking_failures, ensure_results_table
from tests.support import make_warehouse


def test_a_failed_check_names_the_stale_source(tmp_path: Path) -> None:
    # Regression (issue 18): the failure said only which check failed, not which source.
    warehouse = make_warehouse(tmp_path)
    ensure_results_table(warehouse)
    stale = {
        "failing_rows": [
            {"raw_source": "cdr", "is_fresh": False, "stale_reason": "cdr: stale, no event"},
        ]
    }
    with warehouse.connect() as con:
        con.executemany(
            "insert into dq.dq_results values (?, now(), ?, ?, 'ERROR', ?, ?, ?)",
            [
                ("r1", "marts/mart_dq_source_freshness", "is_fresh", True, False,
                 json.dumps(stale)),
                ("r1", "raw/queue_log", "lines_accounted_for", True, False,
                 json.dumps({"unbalanced_files": ["x"]})),
                ("r1", "marts/fct_calls", "warn_x", False, False, "{}"),
                ("r1", "raw/cdr", "lines_accounted_for", True, True, "{}"),
                ("r2", "raw/crm_records", "lines_accounted_for", True, False, "{}"),
            ],
        )  # fmt: skip
    assert blocking_failures(warehouse, "r1") == [
        "marts/mart_dq_source_freshness: is_fresh (cdr: stale, no event)",
        "raw/queue_log: lines_accounted_for",
    ]
