"""The customer KPIs (repeat calls, FCR, CSAT/NPS/CES, response and complaint rates) equal the
simulator's ground truth over the simulated month, the CRM's drift and faults end exactly
as they should, and an agent who moved team mid-month has their calls split by date. The
truth is derived here in Python from the simulator's files, independently of dbt."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from orchestration.simulate.output import (
    AGENT_TRUTH_FILE,
    CALL_TRUTH_FILE,
    CASE_TRUTH_FILE,
    CRM_FAULTS_FILE,
    SURVEY_TRUTH_FILE,
    WINDOW_TRUTH_FILE,
)
from tests.conftest import SimulatedRun

pytestmark = pytest.mark.slow

MART_KEYS = ["arrival_date", "agent_id", "team_name"]
MART_COUNTS = [
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
    "survey_resolved_answer_count",
    "survey_resolved_count",
    "csat_response_count",
    "csat_top2_count",
    "csat_score_sum",
    "nps_response_count",
    "nps_promoter_count",
    "nps_detractor_count",
    "ces_response_count",
    "ces_score_sum",
    "complaint_count",
]


@pytest.fixture(scope="module")
def truth_calls(simulated_run: SimulatedRun) -> pd.DataFrame:
    """One row per call with the contract's statuses, derived from the truth files."""
    run = simulated_run
    stints = run.truth.sort_values(["arrived_epoch", "call_id"])
    calls = run.truth_file(CALL_TRUTH_FILE).set_index("call_id")
    calls["ended_epoch"] = calls["ended_epoch"].astype(int)
    per_call = stints.groupby("call_id").agg(
        arrived_epoch=("arrived_epoch", "min"),
        is_answered=("outcome", lambda s: (s == "answered").any()),
        is_transferred=("is_transferred", "any"),
        is_test_call=("is_test_call", "any"),
        total_wait=("wait_seconds", "sum"),
        last_queue=("queue_id", "last"),
    )
    # The truth logs agent interfaces (PJSIP/1004); the warehouse keys agents as dim_agents: 1004.
    answered = stints[stints["outcome"] == "answered"]
    handlers = answered.groupby("call_id")["agent"].last().str.split("/").str[-1]
    calls = calls.join(per_call).join(handlers.rename("agent_id"))
    data_end = int(run.truth_file(WINDOW_TRUTH_FILE)["data_end_epoch"].iloc[0])
    window = run.config.center.repeat_window_days * 86400
    arrivals = calls[calls["customer_key"] != ""].groupby("customer_key")["arrived_epoch"]
    later = {key: np.sort(values.to_numpy()) for key, values in arrivals}

    def repeat_status(call: pd.Series) -> str | None:
        if call["customer_key"] == "":
            return None
        times = later[call["customer_key"]]
        end = call["ended_epoch"]
        if end + window > data_end:
            return "pending"
        return "repeat" if ((times > end) & (times <= end + window)).any() else "not_repeat"

    def fcr_status(call: pd.Series) -> str | None:
        if not call["is_answered"] or call["repeat_status"] is None:
            return None
        if call["repeat_status"] == "pending":
            return "pending"
        return (
            "not_resolved"
            if call["is_transferred"] or call["repeat_status"] == "repeat"
            else "resolved"
        )

    calls["repeat_status"] = calls.apply(repeat_status, axis=1)
    calls["fcr_status"] = calls.apply(fcr_status, axis=1)
    calls["arrival_date"] = run.local_dates(calls["arrived_epoch"])
    calls["team_name"] = [
        run.team_on(agent, day) if isinstance(agent, str) else None
        for agent, day in zip(calls["agent_id"], calls["arrival_date"], strict=True)
    ]
    return calls


def test_every_call_has_the_true_customer_repeat_and_fcr_status(
    simulated_run: SimulatedRun, truth_calls: pd.DataFrame
) -> None:
    warehouse = simulated_run.query(
        "select call_id, customer_key, repeat_status, fcr_status, handling_team_name"
        " from marts.fct_calls",
    ).set_index("call_id")
    expected = truth_calls[["customer_key", "repeat_status", "fcr_status", "team_name"]]
    expected = expected.replace({"": None}).rename(columns={"team_name": "handling_team_name"})
    assert warehouse.index.sort_values().equals(expected.index.sort_values())
    pd.testing.assert_frame_equal(
        warehouse.loc[expected.index].fillna("-"), expected.fillna("-"), check_dtype=False
    )
    # The month exercises every status, the right-censored pending calls included.
    assert set(expected["repeat_status"].dropna()) == {"repeat", "not_repeat", "pending"}
    assert set(expected["fcr_status"].dropna()) == {"resolved", "not_resolved", "pending"}
    # Contacts calling from their second number are one customer through the CRM only.
    crm_keys = expected["customer_key"].dropna()
    assert crm_keys.str.startswith("crm:").any() and crm_keys.str.startswith("tel:").any()


def _truth_mart(run: SimulatedRun, calls: pd.DataFrame) -> pd.DataFrame:
    """mart_cx_daily's counts per local day, handling agent and team, from the truth."""
    calls = calls[~calls["is_test_call"]].copy()
    calls["call_count"] = 1
    calls["identified_call_count"] = calls["customer_key"] != ""
    for status, column in [("repeat", "repeat_count"), ("not_repeat", "not_repeat_count"),
                           ("pending", "repeat_pending_count")]:  # fmt: skip
        calls[column] = calls["repeat_status"] == status
    calls["handled_count"] = calls["is_answered"]
    for status in ["resolved", "not_resolved", "pending"]:
        calls[f"fcr_{status}_count"] = calls["fcr_status"] == status
    surveys = run.truth_file(SURVEY_TRUTH_FILE)
    surveys = surveys[surveys["status"] == "loaded"]
    scores = surveys[["csat", "nps", "ces"]].replace("", np.nan).astype(float)
    per_survey = pd.DataFrame(
        {
            "call_id": surveys["call_id"],
            "survey_response_count": 1,
            "survey_resolved_answer_count": surveys["resolved"] != "",
            "survey_resolved_count": surveys["resolved"] == "yes",
            "csat_response_count": scores["csat"].notna(),
            "csat_top2_count": scores["csat"] >= 4,
            "csat_score_sum": scores["csat"].fillna(0),
            "nps_response_count": scores["nps"].notna(),
            "nps_promoter_count": scores["nps"] >= 9,
            "nps_detractor_count": scores["nps"] <= 6,
            "ces_response_count": scores["ces"].notna(),
            "ces_score_sum": scores["ces"].fillna(0),
        }
    )
    calls = calls.join(per_survey.groupby("call_id").sum())
    cases = run.truth_file(CASE_TRUTH_FILE)
    complaints = cases[
        (cases["type"] == "Complaint") & (cases["is_deleted"] == "false") & (cases["call_id"] != "")
    ]
    calls = calls.join(complaints.groupby("call_id").size().rename("complaint_count"))
    calls[MART_COUNTS] = calls[MART_COUNTS].fillna(0).astype("int64")
    keys = calls[MART_KEYS].fillna("-")
    return calls[MART_COUNTS].groupby([keys[k] for k in MART_KEYS]).sum().sort_index()


def test_cx_mart_equals_truth_per_day_agent_and_team(
    simulated_run: SimulatedRun, truth_calls: pd.DataFrame
) -> None:
    expected = _truth_mart(simulated_run, truth_calls)
    mart = simulated_run.query("select * from marts.mart_cx_daily")
    mart["arrival_date"] = pd.to_datetime(mart["arrival_date"]).dt.date
    keys = mart[MART_KEYS].astype(object).fillna("-")
    actual = mart[MART_COUNTS].groupby([keys[k] for k in MART_KEYS]).sum().sort_index()
    assert len(expected) > 250  # 28 days x 10 agents and their teams, not a trivial match
    assert actual.index.equals(expected.index)
    pd.testing.assert_frame_equal(actual, expected, check_dtype=False, check_names=False)
    totals = expected.sum()
    # The month carries every kind the KPIs count: complaints, skipped questions, pending.
    assert totals["complaint_count"] > 0 and totals["fcr_pending_count"] > 0
    assert totals["survey_response_count"] > totals["csat_response_count"] > 0


def test_agent_moved_mid_month_has_calls_split_between_teams_by_date(
    simulated_run: SimulatedRun,
) -> None:
    agents = simulated_run.truth_file(AGENT_TRUTH_FILE)
    moved = agents[agents.duplicated("agent_id", keep=False)].sort_values("valid_from")
    assert len(moved) == 2, "the demo moves exactly one agent"
    (old_team, new_team), moved_on = moved["team"], moved["valid_from"].iloc[1]
    agent = moved["agent_id"].iloc[0]
    rows = simulated_run.query(
        "select arrival_date, team_name, sum(handled_count) as handled from marts.mart_cx_daily"
        f" where agent_id = '{agent}' group by 1, 2",
    )
    before = rows[rows["arrival_date"].astype(str) < moved_on]
    after = rows[rows["arrival_date"].astype(str) >= moved_on]
    assert set(before["team_name"]) == {old_team} and before["handled"].sum() > 0
    assert set(after["team_name"]) == {new_team} and after["handled"].sum() > 0
    periods = simulated_run.query(
        "select team_name, cast(valid_from as varchar) as valid_from, is_current"
        f" from marts.dim_agents where agent_id = '{agent}' order by valid_from",
    )
    assert periods["team_name"].tolist() == [old_team, new_team]
    assert periods["is_current"].tolist() == [False, True]


def test_every_survey_response_is_loaded_quarantined_or_rejected(
    simulated_run: SimulatedRun,
) -> None:
    surveys = simulated_run.truth_file(SURVEY_TRUTH_FILE).set_index("response_id")
    matched = simulated_run.query(
        "select survey_response_id, call_id from marts.fct_survey_responses"
    ).set_index("survey_response_id")["call_id"]
    rejected = simulated_run.query(
        "select survey_response_id, reject_reason from marts.fct_survey_responses_rejected",
    ).set_index("survey_response_id")["reject_reason"]
    loaded = surveys[surveys["status"] == "loaded"]
    assert matched.sort_index().to_dict() == loaded["call_id"].sort_index().to_dict()
    unknown = surveys[surveys["status"] == "unknown_call"]
    assert sorted(rejected.index) == sorted(unknown.index) and len(unknown) > 0
    assert rejected.str.match(r"unknown call: (uniqueid|linkedid) \S+ matches no call").all()
    quarantined = simulated_run.query(
        "select reason from raw.raw_quarantine where source = 'survey'",
    )["reason"]
    assert len(quarantined) == (surveys["status"] == "out_of_range").sum() > 0
    assert quarantined.str.match(r"(CSAT|NPS|CES) '\d+' is outside its scale").all()


def _faults(run: SimulatedRun, kind: str) -> pd.DataFrame:
    """The CRM faults of one kind the simulator wrote (crm_faults.csv)."""
    faults = run.truth_file(CRM_FAULTS_FILE)
    return faults[faults["kind"] == kind]


def test_missing_required_column_quarantines_the_whole_file(simulated_run: SimulatedRun) -> None:
    ((bad_file, column),) = _faults(simulated_run, "missing_required_column")[
        ["file", "detail"]
    ].to_numpy()
    reasons = simulated_run.query(
        f"select reason from raw.raw_quarantine where source_file like '%/crm/{bad_file}'",
    )["reason"]
    assert len(reasons) == len(_faults(simulated_run, "quarantined_record")) > 0
    assert reasons.str.contains(f"lacks required column {column}").all()
    loaded = simulated_run.query(
        f"select count(*) as n from raw.crm_records where source_file like '%/crm/{bad_file}'",
    )
    assert loaded["n"].iloc[0] == 0  # nothing of it half-loads


def test_new_column_is_kept_and_reordered_columns_load(simulated_run: SimulatedRun) -> None:
    ((drift_file, unknown),) = _faults(simulated_run, "unknown_column")[
        ["file", "detail"]
    ].to_numpy()
    (reordered,) = _faults(simulated_run, "reordered_columns")["file"]
    assert reordered == drift_file  # one file drifts both ways
    kept = simulated_run.query(
        f"select count(*) as n, count(case when unknown_columns like '%{unknown}%' then 1 end)"
        f" as with_unknown from raw.crm_records where source_file like '%/crm/{drift_file}'",
    ).iloc[0]
    assert kept["n"] == kept["with_unknown"] > 0
    changed = _faults(simulated_run, "changed_record")
    contacts = changed[changed["file"] == drift_file]["record_id"].tolist()
    current = simulated_run.query(
        "select crm_record_id, fields_json from intermediate.int_crm_records_latest"
        " where crm_object = 'Contact'",
    ).set_index("crm_record_id")["fields_json"]
    # The drifted file's version of every record it changed is the current one.
    assert len(contacts) > 0 and all(unknown in current[c] for c in contacts)


def test_missing_optional_column_leaves_the_field_empty(simulated_run: SimulatedRun) -> None:
    ((optional_file, optional),) = _faults(simulated_run, "missing_optional_column")[
        ["file", "detail"]
    ].to_numpy()
    changed = _faults(simulated_run, "changed_record")
    accounts = changed[changed["file"] == optional_file]["record_id"].tolist()
    customers = (
        simulated_run.query(
            "select account_id, industry, account_tier from marts.dim_customers"
            " where customer_source = 'crm'",
        )
        .drop_duplicates("account_id")
        .set_index("account_id")
    )
    assert optional == "Industry" and customers.loc[accounts, "industry"].isna().all()
    assert customers["industry"].notna().any()
    assert customers["account_tier"].notna().all()  # a custom field of the config


def test_deleted_records_leave_cases_and_the_complaint_kpi(simulated_run: SimulatedRun) -> None:
    deleted = _faults(simulated_run, "deleted_record")
    cases = simulated_run.query("select case_id from marts.fct_cases")["case_id"]
    assert len(cases) > 1000 and not set(deleted["record_id"]) & set(cases)
    assert "Complaint" in set(deleted["detail"])  # so the complaint rate depends on it
