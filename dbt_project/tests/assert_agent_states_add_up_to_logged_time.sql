{#- The metric contract's identity for agent states: an agent's states add up exactly to
    their logged time, every local day, and no 15-minute interval holds more than 15 minutes
    of one agent. Rows returned are violations (a failing test fails the build: nothing is
    published). -#}

with

states_daily as (
    select agent_id, local_date, sum(duration_seconds) as state_seconds
    from {{ ref('fct_agent_state_intervals') }}
    where is_logged_in
    group by 1, 2
),

logged_daily as (
    select agent_id, local_date, logged_seconds
    from {{ ref('int_agent_logged_time_daily') }}
),

states_per_interval as (
    select agent_id, interval_start_at, sum(duration_seconds) as state_seconds
    from {{ ref('fct_agent_state_intervals') }}
    group by 1, 2
)

select
    coalesce(states_daily.agent_id, logged_daily.agent_id) as agent_id,
    coalesce(states_daily.local_date, logged_daily.local_date) as period,
    states_daily.state_seconds,
    logged_daily.logged_seconds
from states_daily
full outer join logged_daily
    on
        states_daily.agent_id = logged_daily.agent_id
        and states_daily.local_date = logged_daily.local_date
where states_daily.state_seconds is distinct from logged_daily.logged_seconds
union all
select agent_id, cast(interval_start_at as date), state_seconds, 900
from states_per_interval
where state_seconds > 900
