{#- Cost per call (metric contract, lines and cost) per center-local day, team and queue (an
    outbound campaign counts as the queue 'outbound:<campaign>'): agent cost = agent hourly
    cost x logged hours, line cost = per-minute line cost x billed minutes (CDR billsec of
    the calls' legs), over handled calls (inbound calls answered by the team's agents, the
    one who handled them last; outbound connects). A team's logged time of a day is shared
    among the queues it handled calls in that day, in proportion to those calls (equally when
    it handled none); a team-day with no calls at all keeps its logged time in a row with no
    queue. Costs come from the
    config (var agent_hourly_cost, line_cost_per_minute). -#}

with

fct_calls as (
    select
        call_id,
        arrival_date,
        last_queue_id,
        handling_agent_id,
        handling_team_name
    from {{ ref('fct_calls') }}
    where is_answered and not is_test_call
),

{# Line minutes are those of inbound legs on a trunk (not internal consult legs). #}
call_billed_seconds as (
    select
        linked_call_id as call_id,
        sum(billed_seconds) as billed_seconds
    from {{ ref('int_trunk_legs') }}
    where direction = 'inbound'
    group by 1
),

fct_outbound_attempts as (
    select
        local_date,
        campaign_id,
        team_name,
        is_connect,
        billed_seconds
    from {{ ref('fct_outbound_attempts') }}
),

handled as (
    select
        fct_calls.arrival_date as local_date,
        fct_calls.handling_team_name as team_name,
        fct_calls.last_queue_id as queue_id,
        count(*) as handled_count,
        coalesce(sum(call_billed_seconds.billed_seconds), 0) as billed_seconds
    from fct_calls
    left join call_billed_seconds
        on fct_calls.call_id = call_billed_seconds.call_id
    group by 1, 2, 3
    union all
    select
        local_date,
        team_name,
        'outbound:' || coalesce(campaign_id, '') as queue_id,
        count(case when is_connect then 1 end) as handled_count,
        coalesce(sum(billed_seconds), 0) as billed_seconds
    from fct_outbound_attempts
    group by 1, 2, 3
),

int_agent_logged_time_daily as (
    select
        agent_id,
        local_date,
        logged_seconds,
        {{ center_local_to_utc('cast(local_date as timestamp)') }} as day_start_at
    from {{ ref('int_agent_logged_time_daily') }}
),

dim_agents as (
    select
        agent_id,
        team_name,
        valid_from,
        valid_to
    from {{ ref('dim_agents') }}
),

{# Logged time by the team each agent was in that day (type-2 dim_agents, at day start). #}
team_logged_time as (
    select
        int_agent_logged_time_daily.local_date,
        dim_agents.team_name,
        sum(int_agent_logged_time_daily.logged_seconds) as logged_seconds
    from int_agent_logged_time_daily
    left join dim_agents
        on
            int_agent_logged_time_daily.agent_id = dim_agents.agent_id
            and {{ valid_at('dim_agents', 'int_agent_logged_time_daily.day_start_at') }}
    group by 1, 2
),

team_days as (
    select
        local_date,
        team_name
    from handled
    union
    select
        local_date,
        team_name
    from team_logged_time
),

rows_with_share as (
    select
        team_days.local_date,
        team_days.team_name,
        handled.queue_id,
        coalesce(handled.handled_count, 0) as handled_count,
        coalesce(handled.billed_seconds, 0) as billed_seconds,
        coalesce(team_logged_time.logged_seconds, 0) * case
            when sum(handled.handled_count) over team_day > 0
                then handled.handled_count * 1.0 / sum(handled.handled_count) over team_day
            else 1.0 / count(*) over team_day
        end as logged_seconds
    from team_days
    left join handled
        on
            team_days.local_date = handled.local_date
            and team_days.team_name is not distinct from handled.team_name
    left join team_logged_time
        on
            team_days.local_date = team_logged_time.local_date
            and team_days.team_name is not distinct from team_logged_time.team_name
    window team_day as (partition by team_days.local_date, team_days.team_name)
)

select
    local_date,
    team_name,
    queue_id,
    handled_count,
    cast(billed_seconds as {{ dbt.type_bigint() }}) as billed_seconds,
    logged_seconds,
    logged_seconds / 3600.0 * {{ var('agent_hourly_cost') }} as agent_cost,
    billed_seconds / 60.0 * {{ var('line_cost_per_minute') }} as line_cost
from rows_with_share
