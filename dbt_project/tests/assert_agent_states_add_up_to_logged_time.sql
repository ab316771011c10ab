{#- The metric contract's identity for agent states: an agent's logged-in states add up
    exactly to their logged time, every local day (int_agent_logged_time_daily) and every
    15-minute interval (the overlap of the interval with the agent's login sessions,
    computed here on its own). Rows returned are violations (a failing test fails the build:
    nothing is published). -#}

{#- An asset check of fct_agent_state_intervals in Dagster (it reads three models). -#}
{{ config(meta={'dagster': {'ref': {'name': 'fct_agent_state_intervals'}}}) }}

with

states_daily as (
    select
        agent_id,
        local_date,
        sum(duration_seconds) as state_seconds
    from {{ ref('fct_agent_state_intervals') }}
    where is_logged_in
    group by 1, 2
),

logged_daily as (
    select
        agent_id,
        local_date,
        logged_seconds
    from {{ ref('int_agent_logged_time_daily') }}
),

states_per_interval as (
    select
        agent_id,
        interval_start_at,
        sum(duration_seconds) as state_seconds
    from {{ ref('fct_agent_state_intervals') }}
    where is_logged_in
    group by 1, 2
),

session_intervals as (
    select
        sessions.agent_id,
        sessions.logged_in_at,
        sessions.logged_out_at,
        cast(grid.interval_start_at as timestamp) as interval_start_at
    from {{ ref('int_agent_sessions') }} as sessions
    cross join
        unnest(
            generate_series(
                {{ floor_to_15m('sessions.logged_in_at') }},
                sessions.logged_out_at - interval 1 microsecond,
                interval 15 minute
            )
        ) as grid (interval_start_at)
    where sessions.logged_out_at > sessions.logged_in_at
),

logged_per_interval as (
    select
        agent_id,
        interval_start_at,
        sum(
            {{ dbt.datediff(
                'greatest(logged_in_at, interval_start_at)',
                'least(logged_out_at, interval_start_at + interval 15 minute)',
                'second'
            ) }}
        ) as logged_seconds
    from session_intervals
    group by 1, 2
)

select
    coalesce(states_daily.agent_id, logged_daily.agent_id) as agent_id,
    cast(coalesce(states_daily.local_date, logged_daily.local_date) as timestamp) as period,
    states_daily.state_seconds,
    logged_daily.logged_seconds
from states_daily
full outer join logged_daily
    on
        states_daily.agent_id = logged_daily.agent_id
        and states_daily.local_date = logged_daily.local_date
where states_daily.state_seconds is distinct from logged_daily.logged_seconds
union all
select
    coalesce(states_per_interval.agent_id, logged_per_interval.agent_id) as agent_id,
    coalesce(states_per_interval.interval_start_at, logged_per_interval.interval_start_at)
        as period,
    states_per_interval.state_seconds,
    logged_per_interval.logged_seconds
from states_per_interval
full outer join logged_per_interval
    on
        states_per_interval.agent_id = logged_per_interval.agent_id
        and states_per_interval.interval_start_at = logged_per_interval.interval_start_at
where states_per_interval.state_seconds is distinct from logged_per_interval.logged_seconds
