{#- Check results with their run's outcome: a run is blocked when one of its blocking (ERROR)
    checks failed, and then it published nothing. -#}

select
    run_id,
    asset_key,
    check_name,
    severity,
    is_blocking,
    passed,
    failing_row_count,
    detail,
    checked_at,
    cast({{ to_center_local('checked_at') }} as date) as checked_date,
    min(checked_at) over (partition by run_id) as run_started_at,
    bool_or(is_blocking and not passed) over (partition by run_id) as is_run_blocked
from {{ ref('stg_dq__check_results') }}
