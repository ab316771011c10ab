"""The Dagster code location loads with the expected graph, jobs, automation and checks."""

from __future__ import annotations

from collections import Counter

from dagster import AssetCheckKey, AssetKey, DefaultScheduleStatus, DefaultSensorStatus

from orchestration.definitions import defs
from orchestration.defs.quality.contract_suites import CONTRACT_CHECK_NAME, SUITES_DIR
from orchestration.defs.quality.landing_files import (
    HELD_CHECK_NAME,
    ROW_COUNT_CHECK_NAME,
    WHOLE_QUARANTINE_CHECK_NAME,
)
from orchestration.defs.quality.ledger import LEDGER_CHECK_NAME


def test_asset_graph_snapshot() -> None:
    graph = defs.resolve_asset_graph()
    keys = sorted(k.to_user_string() for k in graph.get_all_asset_keys())
    assert keys == [
        "dq/dq_results",
        "exports/agent_scorecard",
        "intermediate/int_agent_activity_spans",
        "intermediate/int_agent_events",
        "intermediate/int_agent_interfaces",
        "intermediate/int_agent_logged_time_daily",
        "intermediate/int_agent_login_spans",
        "intermediate/int_agent_queue_spans",
        "intermediate/int_agent_ring_outs",
        "intermediate/int_agent_sessions",
        "intermediate/int_call_legs_linked",
        "intermediate/int_calls_stitched",
        "intermediate/int_crm_call_activities",
        "intermediate/int_crm_contact_phones",
        "intermediate/int_crm_records_latest",
        "intermediate/int_crm_user_versions",
        "intermediate/int_dq_check_runs",
        "intermediate/int_ingest_file_ledger",
        "intermediate/int_ingest_quarantined_lines",
        "intermediate/int_late_partition_changes",
        "intermediate/int_outbound_attempts",
        "intermediate/int_queue_log_data_end",
        "intermediate/int_queue_stints_paired",
        "intermediate/int_queue_stints_transfers_joined",
        "intermediate/int_source_freshness",
        "intermediate/int_survey_responses_latest",
        "intermediate/int_trunk_legs",
        "marts/dim_agents",
        "marts/dim_customers",
        "marts/dim_queues",
        "marts/dim_teams",
        "marts/export_agent_payroll_monthly",
        "marts/fct_agent_kpis_monthly",
        "marts/fct_agent_queue_state_intervals",
        "marts/fct_agent_state_intervals",
        "marts/fct_calls",
        "marts/fct_cases",
        "marts/fct_outbound_attempts",
        "marts/fct_queue_stints",
        "marts/fct_survey_responses",
        "marts/fct_survey_responses_rejected",
        "marts/mart_agent_calls",
        "marts/mart_agent_kpis_15m",
        "marts/mart_agent_kpis_daily",
        "marts/mart_agent_pause_reasons_daily",
        "marts/mart_agent_queue_kpis_15m",
        "marts/mart_agent_queue_kpis_daily",
        "marts/mart_agent_scorecard_monthly",
        "marts/mart_callbacks",
        "marts/mart_callers_by_frequency_daily",
        "marts/mart_callers_by_frequency_monthly",
        "marts/mart_contact_mix_daily",
        "marts/mart_cost_per_call_daily",
        "marts/mart_cx_customers_daily",
        "marts/mart_cx_daily",
        "marts/mart_dq_agent_interfaces",
        "marts/mart_dq_check_results",
        "marts/mart_dq_file_ledger",
        "marts/mart_dq_late_arrivals",
        "marts/mart_dq_quarantine_daily",
        "marts/mart_dq_source_freshness",
        "marts/mart_outbound_funnel_daily",
        "marts/mart_queue_kpis_15m",
        "marts/mart_queue_kpis_daily",
        "marts/mart_queue_kpis_monthly",
        "marts/mart_queue_kpis_weekly",
        "marts/mart_trunk_usage_15m",
        "marts/shared_contact_mix_daily",
        "marts/shared_cx_daily",
        "raw/cdr",
        "raw/crm_records",
        "raw/ingest_files",
        "raw/partition_changes",
        "raw/queue_log",
        "raw/raw_quarantine",
        "raw/survey_responses",
        "serving/warehouse",
        "staging/stg_crm__records",
        "staging/stg_dq__check_results",
        "staging/stg_ingest__files",
        "staging/stg_ingest__quarantine",
        "staging/stg_pbx__cdr",
        "staging/stg_pbx__partition_changes",
        "staging/stg_pbx__queue_log",
        "staging/stg_survey__responses",
    ]
    # raw -> dbt: the dbt source is wired to the ingest asset.
    assert (
        AssetKey(["raw", "queue_log"])
        in graph.get(AssetKey(["staging", "stg_pbx__queue_log"])).parent_keys
    )


def test_publish_is_gated_by_blocking_checks() -> None:
    graph = defs.resolve_asset_graph()
    contract = AssetCheckKey(AssetKey(["marts", "mart_queue_kpis_15m"]), "meets_metric_contract")
    ledgers = [
        AssetCheckKey(AssetKey(["raw", source]), "lines_accounted_for")
        for source in ("queue_log", "cdr", "crm_records", "survey_responses")
    ]
    assert {contract, *ledgers} <= set(graph.asset_check_keys)
    assert all(graph.get_check_spec(k).blocking for k in (contract, *ledgers))
    assert (
        AssetKey(["marts", "mart_queue_kpis_15m"])
        in graph.get(AssetKey(["serving", "warehouse"])).parent_keys
    )


def test_jobs_schedules_and_sensors() -> None:
    repository = defs.get_repository_def()
    assert sorted(job.name for job in repository.get_all_jobs()) == [
        "__ASSET_JOB",
        "warehouse_job",
    ]
    assert [s.name for s in repository.schedule_defs] == ["daily_build_schedule"]
    assert [s.name for s in repository.sensor_defs] == ["landing_sensor"]
    assert {s.job_name for s in [*repository.schedule_defs, *repository.sensor_defs]} == {
        "warehouse_job"
    }
    # The job runs the whole graph; the raw tables the ingest assets keep beside theirs and
    # the check results table are declared only (dbt sources), not materialised.
    job = defs.resolve_job_def("warehouse_job")
    graph = defs.resolve_asset_graph()
    not_run = graph.get_all_asset_keys() - job.asset_layer.selected_asset_keys
    assert sorted(k.to_user_string() for k in not_run) == [
        "dq/dq_results",
        "raw/ingest_files",
        "raw/partition_changes",
        "raw/raw_quarantine",
    ]


def test_daily_build_at_two_in_the_center_zone() -> None:
    schedule = defs.resolve_schedule_def("daily_build_schedule")
    assert (schedule.cron_schedule, schedule.execution_timezone) == (
        "0 2 * * *",
        "America/New_York",
    )
    # Both stopped until turned on: the UI over the demo's history starts no build by itself.
    assert schedule.default_status == DefaultScheduleStatus.STOPPED
    assert defs.resolve_sensor_def("landing_sensor").default_status == DefaultSensorStatus.STOPPED


def test_checks() -> None:
    checks = defs.resolve_asset_graph().asset_check_keys
    by_name = Counter(k.name for k in checks)
    assert sorted(k.asset_key.to_user_string() for k in checks if k.name == LEDGER_CHECK_NAME) == [
        "raw/cdr",
        "raw/crm_records",
        "raw/queue_log",
        "raw/survey_responses",
    ]
    # Held files are the PBX logs'; whole-file quarantine and row drops, every source's.
    landing_checks = {
        name: sorted(k.asset_key.to_user_string() for k in checks if k.name == name)
        for name in (HELD_CHECK_NAME, WHOLE_QUARANTINE_CHECK_NAME, ROW_COUNT_CHECK_NAME)
    }
    assert landing_checks == {
        HELD_CHECK_NAME: ["raw/cdr", "raw/queue_log"],
        WHOLE_QUARANTINE_CHECK_NAME: [
            "raw/cdr", "raw/crm_records", "raw/queue_log", "raw/survey_responses"
        ],
        ROW_COUNT_CHECK_NAME: [
            "raw/cdr", "raw/crm_records", "raw/queue_log", "raw/survey_responses"
        ],
    }  # fmt: skip
    graph = defs.resolve_asset_graph()
    assert all(graph.get_check_spec(k).blocking for k in checks if k.name in landing_checks)
    # One contract suite per generated suite file; every other check is a dbt test.
    assert by_name[CONTRACT_CHECK_NAME] == len(list(SUITES_DIR.glob("*.json"))) == 21
    dbt_tests = [
        n for n in by_name if n not in (LEDGER_CHECK_NAME, CONTRACT_CHECK_NAME, *landing_checks)
    ]
    assert len(dbt_tests) == len(checks) - 35 == 172
