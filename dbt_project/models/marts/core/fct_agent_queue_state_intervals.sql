{#- Agents' logged-in and paused time per queue (int_agent_queue_spans), cut at every
    15-minute boundary (and so at every local midnight): an interval or a day gets exactly
    the part of a span inside it, pro rata, as fct_agent_state_intervals does agent-wide.
    The agent's team and site are those valid at the piece (type-2 dim_agents). -#}

with

int_agent_queue_spans as (
    select * from {{ ref('int_agent_queue_spans') }}
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

grid as (
    select
        int_agent_queue_spans.*,
        cast(quarters.interval_start_at as timestamp) as interval_start_at
    from int_agent_queue_spans
    cross join unnest(
        generate_series(
            {{ floor_to_15m('int_agent_queue_spans.started_at') }},
            int_agent_queue_spans.ended_at,
            interval 15 minute
        )
    ) as quarters (interval_start_at)
),

pieces as (
    select
        agent_id,
        queue_id,
        queue_state,
        pause_reason,
        interval_start_at,
        greatest(started_at, interval_start_at) as started_at,
        least(ended_at, {{ dbt.dateadd('minute', 15, 'interval_start_at') }}) as ended_at,
        ended_at as span_ended_at,
        is_open as is_span_open
    from grid
),

pieces_timed as (
    select
        agent_id,
        queue_id,
        queue_state,
        pause_reason,
        started_at,
        ended_at,
        {{ dbt.datediff(
            'started_at', 'ended_at', 'second'
        ) }} as duration_seconds,
        interval_start_at,
        is_span_open and ended_at = span_ended_at as is_open
    from pieces
    where ended_at > started_at
)

select
    pieces_timed.*,
    {{ to_center_local('pieces_timed.interval_start_at') }} as interval_start_at_local,
    cast({{ to_center_local('pieces_timed.started_at') }} as date) as local_date,
    dim_agents.agent_key,
    dim_agents.team_id,
    dim_agents.team_name,
    dim_agents.site_name
from pieces_timed
left join dim_agents
    on
        pieces_timed.agent_id = dim_agents.agent_id
        and {{ valid_at('dim_agents', 'pieces_timed.started_at') }}
