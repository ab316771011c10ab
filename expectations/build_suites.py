"""Writes the Great Expectations suites in expectations/suites/ (never hand-edit the JSON).

Suites check what dbt tests do not: the metric contract's bounds and identities on the facts
and the KPI marts, never a model's own SQL again. No suite counts rows: the contract allows
empty input (a day of logins and pauses without calls, a center with no CDR, or whose CRM or
survey feed is not connected yet), and its marts are then empty. The identities are written
here, per fact and per kind of mart; the bounds come from the contract's one description, the
metrics declared in the dbt project (meta.metrics, read from dbt's manifest: run `make manifest`
first): every row of a mart holds each metric within its `range`, [0, 1] for a percentage. A
mart with such metrics gets a suite without code here. The SL variants are the config
schema's, the wait bands the queue marts' columns (their one definition is a dbt macro).
Run `python expectations/build_suites.py` after changing a suite or a metric; `--check` fails
when a committed suite is stale (CI runs it through tests/unit).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import get_args

from orchestration.lib.center_config import SlVariant

SUITES_DIR = Path(__file__).resolve().parent / "suites"
MANIFEST = Path(__file__).resolve().parents[1] / "dbt_project" / "target" / "manifest.json"
RATE = (0, 1)  # the range of a metric formatted as a percentage
SL_VARIANTS = list(get_args(SlVariant))


def _expect(kind: str, **kwargs: object) -> dict[str, object]:
    return {"type": kind, "kwargs": kwargs}


def _rows_violating(description: str, where: str) -> dict[str, object]:
    """An identity of the contract as 'no row violates it' (GX has no DuckDB row conditions)."""
    return {
        "type": "unexpected_rows_expectation",
        "kwargs": {"unexpected_rows_query": f"select * from {{batch}} where {where}"},
        "description": description,
    }


def wait_band_columns(manifest: Path = MANIFEST) -> list[str]:
    """The queue marts' answered-per-wait-band columns (answered_wait_<band>_count), in order,
    as the daily mart's YAML documents them for every grain (an enforced contract)."""
    nodes = json.loads(manifest.read_text())["nodes"].values()
    daily = next(n for n in nodes if n["name"] == "mart_queue_kpis_daily")
    bands = [c for c in daily["columns"] if re.fullmatch(r"answered_wait_\w+_count", c)]
    if not bands:
        raise ValueError("mart_queue_kpis_daily documents no answered_wait_<band>_count column")
    return bands


def _variant_case(column: str) -> str:
    """The SL variant's own column of the row (e.g. sl_met_<variant>_count)."""
    whens = " ".join(f"when '{v}' then {column.format(v)}" for v in SL_VARIANTS)
    return f"case sl_variant {whens} end"


def queue_kpis(mart: str, period_column: str) -> dict[str, object]:
    """The contract on a queue KPI mart of any grain (models/marts/kpi/queue)."""
    counts = [
        "stint_count",
        "offered_count",
        "answered_count",
        "abandoned_count",
        "short_abandoned_count",
        "sl_met_count",
        "sl_eligible_count",
        *[f"sl_{part}_{v}_count" for v in SL_VARIANTS for part in ("met", "eligible")],
    ]
    return {
        "name": mart,
        "expectations": [
            *[
                _expect("expect_column_values_to_not_be_null", column=c)
                for c in ["queue_id", period_column, "sl_variant", *counts]
            ],
            *[_expect("expect_column_values_to_be_between", column=c, min_value=0) for c in counts],
            _expect(
                "expect_column_values_to_be_in_set", column="sl_variant", value_set=SL_VARIANTS
            ),
            _rows_violating(
                "offered = stints - short abandons - closed (short abandons never offered)",
                "offered_count <> stint_count - short_abandoned_count - closed_count",
            ),
            _rows_violating(
                "every rate's numerator <= its denominator (rates within 0..1); a stint counts"
                " towards an SL variant only if offered",
                "sl_met_count > sl_eligible_count or answered_count > offered_count"
                " or abandoned_count > offered_count"
                " or answered_within_sl_count > answered_count"
                + "".join(
                    f" or sl_met_{v}_count > sl_eligible_{v}_count"
                    f" or sl_eligible_{v}_count > offered_count"
                    for v in SL_VARIANTS
                ),
            ),
            _rows_violating(
                "the official SL is the queue's configured variant's (metric contract)",
                f"sl_met_count <> {_variant_case('sl_met_{}_count')}"
                f" or sl_eligible_count <> {_variant_case('sl_eligible_{}_count')}",
            ),
            _rows_violating(
                "the wait bands partition the answered stints",
                "answered_count <> " + " + ".join(wait_band_columns()),
            ),
        ],
    }


def cx_kpis(mart: str) -> dict[str, object]:
    """The contract on the customer-experience mart (models/marts/kpi/cx)."""
    counts = [
        "call_count",
        "identified_call_count",
        "repeat_count",
        "not_repeat_count",
        "repeat_pending_count",
        "handled_count",
        "fcr_resolved_count",
        "fcr_not_resolved_count",
        "fcr_pending_count",
        "survey_response_count",
        "csat_response_count",
        "nps_response_count",
        "ces_response_count",
        "complaint_count",
    ]
    return {
        "name": mart,
        "expectations": [
            *[
                _expect("expect_column_values_to_not_be_null", column=c)
                for c in ["arrival_date", "queue_id", *counts]
            ],
            *[_expect("expect_column_values_to_be_between", column=c, min_value=0) for c in counts],
            _rows_violating(
                "every call of a known customer is a repeat, not a repeat, or pending",
                "identified_call_count <> repeat_count + not_repeat_count + repeat_pending_count"
                " or identified_call_count > call_count",
            ),
            _rows_violating(
                "FCR statuses only for handled calls; pending calls are in no rate",
                "fcr_resolved_count + fcr_not_resolved_count + fcr_pending_count > handled_count"
                " or handled_count > call_count",
            ),
            _rows_violating(
                "survey scores within their scales (CSAT 1-5, NPS 0-10, CES 1-7)",
                "csat_top2_count > csat_response_count"
                " or csat_score_sum not between csat_response_count and 5 * csat_response_count"
                " or nps_promoter_count + nps_detractor_count > nps_response_count"
                " or ces_score_sum not between ces_response_count and 7 * ces_response_count"
                " or survey_resolved_count > survey_resolved_answer_count",
            ),
        ],
    }


def outbound_funnel(mart: str) -> dict[str, object]:
    """The contract on the outbound funnel (models/marts/kpi/outbound)."""
    counts = ["dial_count", "answered_count", "connect_count", "intent_count",
              "conversion_count", "not_converted_count", "conversion_pending_count"]  # fmt: skip
    return {
        "name": mart,
        "expectations": [
            *[
                _expect("expect_column_values_to_not_be_null", column=c)
                for c in ["local_date", *counts]
            ],  # fmt: skip
            *[_expect("expect_column_values_to_be_between", column=c, min_value=0) for c in counts],
            _rows_violating(
                "each funnel step is within the one before it",
                "answered_count > dial_count or connect_count + machine_answer_count"
                " > answered_count or intent_count > connect_count",
            ),
            _rows_violating(
                "every connect is converted, not converted, or pending",
                "connect_count <> conversion_count + not_converted_count"
                " + conversion_pending_count",
            ),
            _rows_violating(
                "revenue only with conversions", "revenue > 0 and conversion_count = 0"
            ),
        ],
    }


def fact(name: str, *rules: tuple[str, str]) -> dict[str, object]:
    """The contract on one row of a fact: (description, SQL condition that breaks it)."""
    return {
        "name": name,
        "expectations": [_rows_violating(description, where) for description, where in rules],
    }


# Per fact, what each of its rows must hold (its keys, nulls and sets are dbt tests). The
# order of a PBX's timestamps is no rule of the contract (events are paired by uniqueid and
# queue): a stint stamped out of order is a source quirk, a warning of its fact's dbt tests.
FACTS = {
    "fct_queue_stints": lambda: fact(
        "fct_queue_stints",
        (
            "under every SL variant a stint meets the service level only if it counts towards"
            " it, and counts only if offered",
            " or ".join(
                f"(is_sl_met{flag} and not is_sl_eligible{flag})"
                f" or (is_sl_eligible{flag} and not is_offered)"
                for flag in ["", *(f"_{v}" for v in SL_VARIANTS)]  # the official, each variant
            ),
        ),
        (
            "the arrival interval is the 15-minute interval holding the arrival",
            "arrived_at < arrival_interval_start_at"
            " or arrived_at >= arrival_interval_start_at + interval 15 minute",
        ),
    ),
    "fct_calls": lambda: fact(
        "fct_calls",
        (
            # Not transfers: a call is often transferred out of the queues (real logs).
            "a call's answered stints are within its stints",
            "answered_stint_count > queue_stint_count",
        ),
        ("an FCR status only for a handled call", "fcr_status is not null and not is_answered"),
        (
            "a repeat status exactly for a call of a known customer",
            "(repeat_status is null) <> (customer_key is null)",
        ),
    ),
    "fct_agent_state_intervals": lambda: fact(
        "fct_agent_state_intervals",
        (
            "a state span lasts its end minus its start, within its 15-minute interval",
            "duration_seconds <> epoch(ended_at) - epoch(started_at) or duration_seconds <= 0"
            " or started_at < interval_start_at"
            " or ended_at > interval_start_at + interval 15 minute",
        ),
        (
            "a pause reason only on a pause or wrap-up; idle only inside a login",
            "(pause_reason is not null and agent_state not in ('paused', 'wrap_up'))"
            " or (agent_state = 'idle' and not is_logged_in)",
        ),
    ),
    "fct_outbound_attempts": lambda: fact(
        "fct_outbound_attempts",
        ("an intent only on a connect", "is_intent and not is_connect"),
        (
            "revenue never negative, and only on a conversion",
            "revenue < 0 or (revenue > 0 and conversion_status <> 'converted')",
        ),
        (
            "a conversion status only on a connect",
            "conversion_status is not null and not is_connect",
        ),
    ),
}


# The identities of each kind of KPI mart, by mart.
IDENTITIES = {
    "mart_queue_kpis_15m": lambda: queue_kpis("mart_queue_kpis_15m", "arrival_interval_start_at"),
    "mart_queue_kpis_daily": lambda: queue_kpis("mart_queue_kpis_daily", "arrival_date"),
    "mart_queue_kpis_weekly": lambda: queue_kpis(
        "mart_queue_kpis_weekly", "arrival_week_start_date"
    ),
    "mart_queue_kpis_monthly": lambda: queue_kpis(
        "mart_queue_kpis_monthly", "arrival_month_start_date"
    ),
    "mart_cx_daily": lambda: cx_kpis("mart_cx_daily"),
    "mart_outbound_funnel_daily": lambda: outbound_funnel("mart_outbound_funnel_daily"),
}


def metric_ranges(manifest: Path = MANIFEST) -> dict[str, list[tuple[str, str, tuple]]]:
    """Per mart, its metrics that have a range: (name, SQL expression, (low, high))."""
    nodes = json.loads(manifest.read_text())["nodes"].values()
    ranges: dict[str, list[tuple[str, str, tuple]]] = {}
    for node in sorted(nodes, key=lambda n: n["name"]):
        for metric in node.get("config", {}).get("meta", {}).get("metrics", []):
            bounds = metric.get("range") or ("%" in metric.get("d3format", "") and RATE)
            if node["resource_type"] == "model" and bounds:
                ranges.setdefault(node["name"], []).append(
                    (metric["name"], metric["expression"], tuple(bounds))
                )
    return ranges


def _metric_in_range(name: str, expression: str, bounds: tuple) -> dict[str, object]:
    """The metric, evaluated on each row alone (an aggregate over a group of one row), within
    its range (a null bound is open); a metric without a value (a zero denominator) passes."""
    low, high = bounds
    within = " and ".join(
        [*([f"{expression} >= {low}"] if low is not None else []),
         *([f"{expression} <= {high}"] if high is not None else [])]
    )  # fmt: skip
    return {
        "type": "unexpected_rows_expectation",
        "kwargs": {
            "unexpected_rows_query": (
                f"select contract_row, {expression} as {name}"
                " from (select *, row_number() over () as contract_row from {batch})"
                " group by contract_row"
                f" having not coalesce({within}, true)"
            )
        },
        "description": f"{name} within [{_bound(low)}, {_bound(high)}] on every row"
        " (metric contract)",
    }


def _bound(value: float | None) -> str:
    return "open" if value is None else f"{value:g}"


def suites(manifest: Path = MANIFEST) -> list[dict[str, object]]:
    """One suite per fact, and per mart with identities or ranged metrics: identities, then
    ranges."""
    ranges = metric_ranges(manifest)
    built = [make() for _, make in sorted(FACTS.items())]
    for mart in sorted({*IDENTITIES, *ranges}):
        suite = IDENTITIES[mart]() if mart in IDENTITIES else {"name": mart, "expectations": []}
        suite["expectations"] += [_metric_in_range(*metric) for metric in ranges.get(mart, [])]
        built.append(suite)
    return built


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if a suite file is stale")
    args = parser.parse_args()
    stale = []
    for suite in suites():
        path = SUITES_DIR / f"{suite['name']}.json"
        text = json.dumps(suite, indent=2) + "\n"
        if args.check:
            if not path.exists() or path.read_text() != text:
                stale.append(path.name)
        else:
            SUITES_DIR.mkdir(exist_ok=True)
            path.write_text(text)
    if stale:
        print(f"stale suites (run python expectations/build_suites.py): {stale}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
