{#- Agent states (metric contract, agent KPIs) as spans that partition each login session
    exactly: every second an agent is logged in is in one state - talking, ringing,
    wrap_up (after-call work), paused (with its reason) or idle, in that order of precedence
    where activities overlap (a pause requested during a call starts when the call ends in
    Asterisk, so talk wins; of two pauses the later one's reason wins). Spans are cut at
    every 15-minute boundary (and so at every local midnight), so that an interval or a day
    gets exactly the part of a span inside it: pro rata by construction, DST-safe. A span
    that reaches the end of the data while the agent is still logged in is is_open: it has
    not ended, the data has. Hold time is not split out (CALLERONHOLD is rarely logged): it
    is part of talking. Activity outside every login session (static members) is kept,
    is_logged_in false. -#}

with

int_agent_sessions as (
    select * from {{ ref('int_agent_sessions') }}
),

int_agent_activity_spans as (
    select * from {{ ref('int_agent_activity_spans') }}
),

dim_agents as (
    select
        agent_key,
        agent_id,
        team_id,
        team_name,
        site_name,
        valid_from,
        valid_to
    from {{ ref('dim_agents') }}
),

points as (
    select
        agent_id,
        logged_in_at as point_at
    from int_agent_sessions
    union
    select
        agent_id,
        logged_out_at
    from int_agent_sessions
    union
    select
        agent_id,
        started_at
    from int_agent_activity_spans
    union
    select
        agent_id,
        ended_at
    from int_agent_activity_spans
    union
    select
        spans.agent_id,
        cast(grid.point_at as timestamp) as point_at
    from (
        select
            agent_id,
            logged_in_at as started_at,
            logged_out_at as ended_at
        from int_agent_sessions
        union all
        select
            agent_id,
            started_at,
            ended_at
        from int_agent_activity_spans
    ) as spans
    cross join unnest(
        generate_series(
            {{ floor_to_15m('spans.started_at') }} + interval 15 minute,
            spans.ended_at,
            interval 15 minute
        )
    ) as grid (point_at)
),

segments as (
    select
        agent_id,
        point_at as started_at,
        lead(point_at) over (partition by agent_id order by point_at) as ended_at
    from points
),

{# A segment inside a login session is logged time; outside one it only counts when an
    activity covers it (a static member: Asterisk's permanent queue members never log in,
    so their calls and pauses count, their logged and idle time are unknown). #}
segments_in_sessions as (
    select
        segments.agent_id,
        segments.started_at,
        segments.ended_at,
        int_agent_sessions.agent_id is not null as is_logged_in,
        coalesce(
            int_agent_sessions.is_open
            and segments.ended_at = int_agent_sessions.logged_out_at,
            false
        ) as is_session_end_open
    from segments
    left join int_agent_sessions
        on
            segments.agent_id = int_agent_sessions.agent_id
            and segments.started_at >= int_agent_sessions.logged_in_at
            and segments.ended_at <= int_agent_sessions.logged_out_at
    where segments.ended_at > segments.started_at
),

segments_classified as (
    select
        segments_in_sessions.*,
        int_agent_activity_spans.activity,
        int_agent_activity_spans.pause_reason,
        int_agent_activity_spans.is_open
        and int_agent_activity_spans.ended_at = segments_in_sessions.ended_at
            as is_activity_end_open,
        row_number() over (
            partition by segments_in_sessions.agent_id, segments_in_sessions.started_at
            order by
                case int_agent_activity_spans.activity
                    when 'talking' then 1
                    when 'ringing' then 2
                    when 'wrap_up' then 3
                    when 'paused' then 4
                    else 5
                end,
                int_agent_activity_spans.started_at desc
        ) as activity_rank
    from segments_in_sessions
    left join int_agent_activity_spans
        on
            segments_in_sessions.agent_id = int_agent_activity_spans.agent_id
            and segments_in_sessions.started_at >= int_agent_activity_spans.started_at
            and segments_in_sessions.ended_at <= int_agent_activity_spans.ended_at
),

states as (
    select
        segments_classified.agent_id,
        coalesce(segments_classified.activity, 'idle') as agent_state,
        segments_classified.pause_reason,
        segments_classified.started_at,
        segments_classified.ended_at,
        {{ dbt.datediff(
            'segments_classified.started_at', 'segments_classified.ended_at', 'second'
        ) }} as duration_seconds,
        {{ floor_to_15m('segments_classified.started_at') }} as interval_start_at,
        segments_classified.is_logged_in,
        case
            when segments_classified.is_logged_in then segments_classified.is_session_end_open
            else segments_classified.is_activity_end_open
        end as is_open
    from segments_classified
    where
        segments_classified.activity_rank = 1
        and (segments_classified.is_logged_in or segments_classified.activity is not null)
)

select
    states.*,
    {{ to_center_local('states.interval_start_at') }} as interval_start_at_local,
    cast({{ to_center_local('states.started_at') }} as date) as local_date,
    dim_agents.agent_key,
    dim_agents.team_id,
    dim_agents.team_name,
    dim_agents.site_name
from states
left join dim_agents
    on
        states.agent_id = dim_agents.agent_id
        and {{ valid_at('dim_agents', 'states.started_at') }}
