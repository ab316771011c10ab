{#- The agent x queue marts' query (metric contract, agent x queue) for one period grain:
    `period_column` of fct_agent_queue_state_intervals (local_date or interval_start_at).
    Logged-in and paused seconds per agent, queue, period and the agent's team and site
    then; additive columns only. -#}
{% macro agent_queue_kpis(period_column) -%}

with

fct_agent_queue_state_intervals as (
    select * from {{ ref('fct_agent_queue_state_intervals') }}
),

periods as (
    select
        agent_id,
        queue_id,
        {{ period_column }},
        team_name,
        site_name,
        cast(sum(case when queue_state = 'logged_in' then duration_seconds else 0 end)
            as {{ dbt.type_bigint() }}) as logged_seconds,
        cast(sum(case when queue_state = 'paused' then duration_seconds else 0 end)
            as {{ dbt.type_bigint() }}) as paused_seconds,
        bool_or(is_open) as has_open_span
    from fct_agent_queue_state_intervals
    group by 1, 2, 3, 4, 5
)

select * from periods
{%- endmacro %}
