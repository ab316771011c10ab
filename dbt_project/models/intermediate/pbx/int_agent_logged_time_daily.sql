{#- Logged-in seconds per agent and center-local day: each session split at local midnights
    (DST-safe: a day is the real time between two local midnights, 23 or 25 hours when the
    clocks change). -#}

with

int_agent_sessions as (
    select * from {{ ref('int_agent_sessions') }}
),

session_days as (
    select
        int_agent_sessions.agent_id,
        int_agent_sessions.logged_in_at,
        int_agent_sessions.logged_out_at,
        cast(local_day.local_date as date) as local_date
    from int_agent_sessions
    cross join unnest(
        generate_series(
            cast({{ to_center_local('int_agent_sessions.logged_in_at') }} as date),
            cast({{ to_center_local('int_agent_sessions.logged_out_at') }} as date),
            interval 1 day
        )
    ) as local_day (local_date)
),

day_bounds as (
    select
        *,
        {{ center_local_to_utc('cast(local_date as timestamp)') }} as day_start_at,
        {{ center_local_to_utc(dbt.dateadd('day', 1, 'cast(local_date as timestamp)')) }}
            as day_end_at
    from session_days
)

select
    agent_id,
    local_date,
    cast(sum(
        {{ dbt.datediff(
            'greatest(logged_in_at, day_start_at)', 'least(logged_out_at, day_end_at)', 'second'
        ) }}
    ) as {{ dbt.type_bigint() }}) as logged_seconds
from day_bounds
where least(logged_out_at, day_end_at) > greatest(logged_in_at, day_start_at)
group by 1, 2
