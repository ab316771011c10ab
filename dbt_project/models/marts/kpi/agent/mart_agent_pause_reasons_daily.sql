{#- Pause time by reason (metric contract: pause time by reason = data1 of PAUSE) per agent,
    center-local day and the agent's team and site then. After-call work (wrap_up) keeps its
    reason too, flagged, so the non-ACW rows add up to mart_agent_kpis_daily.pause_seconds
    and the ACW rows to its acw_seconds. -#}

select
    agent_id,
    local_date,
    team_name,
    site_name,
    pause_reason,
    agent_state = 'wrap_up' as is_after_call_work,
    cast(sum(duration_seconds) as {{ dbt.type_bigint() }}) as pause_seconds
from {{ ref('fct_agent_state_intervals') }}
where agent_state in ('paused', 'wrap_up')
group by 1, 2, 3, 4, 5, 6
