{#- Every check of every run, newest runs included: a view, so the published warehouse shows
    the checks that ran after the dbt build too (Great Expectations suites, ledger checks). -#}
{{ config(materialized='view') }}

select
    run_id,
    run_started_at,
    is_run_blocked,
    asset_key,
    check_name,
    severity,
    is_blocking,
    passed,
    case when passed then 0 else 1 end as failed_count,
    failing_row_count,
    detail,
    checked_at,
    checked_date
from {{ ref('int_dq_check_runs') }}
