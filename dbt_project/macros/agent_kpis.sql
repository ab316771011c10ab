{#- The agent KPI marts' query (metric contract, agent KPIs) for one period grain:
    `period_column` of fct_agent_state_intervals (local_date or interval_start_at) and the
    same period of a moment `ts` as `period_of(ts)` would compute it. State seconds come
    from fct_agent_state_intervals (already cut at every 15-minute boundary and local
    midnight); handled calls, ring-outs and outbound dials count at their CONNECT /
    RINGNOANSWER / dial time, with the agent's team and site at that time (roll up by them). Hold is 0: CALLERONHOLD is
    rarely logged, so hold stays inside talk. Talk, ringing, ACW and pauses outside any login
    session (static members) count; logged and idle time only inside sessions. Additive
    columns only: every ratio is a dataset metric. -#}
{% macro agent_kpis(period_column) -%}
{%- set period_of = {
    'local_date': "cast(" ~ to_center_local('{ts}') ~ " as date)",
    'interval_start_at': floor_to_15m('{ts}'),
}[period_column] %}

with

fct_agent_state_intervals as (
    select * from {{ ref('fct_agent_state_intervals') }}
),

states as (
    select
        agent_id,
        {{ period_column }} as period_start,
        team_name,
        site_name,
        sum(case when is_logged_in then duration_seconds else 0 end) as logged_seconds,
        sum(case when is_logged_in then 0 else duration_seconds end) as outside_session_seconds,
        sum(
            case
                when is_logged_in and agent_state in ('talking', 'wrap_up') then duration_seconds
                else 0
            end
        ) as session_busy_seconds,
        sum(case when is_logged_in and agent_state = 'paused' then duration_seconds else 0 end)
        as session_pause_seconds,
        sum(case when agent_state = 'talking' then duration_seconds else 0 end) as talk_seconds,
        sum(case when agent_state = 'ringing' then duration_seconds else 0 end)
        as ringing_seconds,
        sum(case when agent_state = 'wrap_up' then duration_seconds else 0 end) as acw_seconds,
        sum(case when agent_state = 'paused' then duration_seconds else 0 end) as pause_seconds,
        sum(case when agent_state = 'idle' then duration_seconds else 0 end) as idle_seconds,
        max(case when is_open then 1 else 0 end) = 1 as has_open_span
    from fct_agent_state_intervals
    group by 1, 2, 3, 4
),

dim_agents as (
    select agent_id, team_name, site_name, valid_from, valid_to from {{ ref('dim_agents') }}
),

{#- Handled calls, ring-outs and dials, at the moment they happened. #}
agent_events as (
    select
        agent_id,
        queue_left_at as happened_at,
        1 as handled,
        0 as rona,
        0 as dial,
        0 as connected
    from {{ ref('fct_queue_stints') }}
    where outcome = 'answered' and agent_id is not null and not is_test_call
    union all
    select
        agent_id,
        event_at,
        0,
        1,
        0,
        0
    from {{ ref('int_agent_ring_outs') }}
    union all
    select
        agent_id,
        started_at,
        0,
        0,
        1,
        case when is_connect then 1 else 0 end
    from {{ ref('int_outbound_attempts') }}
),

events as (
    select
        agent_events.agent_id,
        {{ period_of.replace('{ts}', 'agent_events.happened_at') }} as period_start,
        dim_agents.team_name,
        dim_agents.site_name,
        sum(agent_events.handled) as handled_count,
        sum(agent_events.rona) as rona_count,
        sum(agent_events.dial) as dial_count,
        sum(agent_events.connected) as connect_count
    from agent_events
    left join dim_agents
        on
            agent_events.agent_id = dim_agents.agent_id
            and {{ valid_at('dim_agents', 'agent_events.happened_at') }}
    group by 1, 2, 3, 4
),

agent_names as (
    {{ current_agent_names() }}
)

select
    coalesce(states.agent_id, events.agent_id) as agent_id,
    agent_names.agent_name,
    coalesce(states.period_start, events.period_start) as {{ period_column }},
    coalesce(states.team_name, events.team_name) as team_name,
    coalesce(states.site_name, events.site_name) as site_name,
    cast(coalesce(states.logged_seconds, 0) as {{ dbt.type_bigint() }}) as logged_seconds,
    cast(coalesce(states.outside_session_seconds, 0) as {{ dbt.type_bigint() }})
    as outside_session_seconds,
    cast(coalesce(states.session_busy_seconds, 0) as {{ dbt.type_bigint() }})
    as session_busy_seconds,
    cast(coalesce(states.session_pause_seconds, 0) as {{ dbt.type_bigint() }})
    as session_pause_seconds,
    cast(coalesce(states.talk_seconds, 0) as {{ dbt.type_bigint() }}) as talk_seconds,
    cast(0 as {{ dbt.type_bigint() }}) as hold_seconds,
    cast(coalesce(states.ringing_seconds, 0) as {{ dbt.type_bigint() }}) as ringing_seconds,
    cast(coalesce(states.acw_seconds, 0) as {{ dbt.type_bigint() }}) as acw_seconds,
    cast(coalesce(states.pause_seconds, 0) as {{ dbt.type_bigint() }}) as pause_seconds,
    cast(coalesce(states.idle_seconds, 0) as {{ dbt.type_bigint() }}) as idle_seconds,
    cast(coalesce(events.handled_count, 0) as {{ dbt.type_bigint() }}) as handled_count,
    cast(coalesce(events.rona_count, 0) as {{ dbt.type_bigint() }}) as rona_count,
    cast(coalesce(events.dial_count, 0) as {{ dbt.type_bigint() }}) as dial_count,
    cast(coalesce(events.connect_count, 0) as {{ dbt.type_bigint() }}) as connect_count,
    coalesce(states.has_open_span, false) as has_open_span
from states
full outer join events
    on
        states.agent_id = events.agent_id
        and states.period_start = events.period_start
        and states.team_name is not distinct from events.team_name
        and states.site_name is not distinct from events.site_name
left join agent_names
    on coalesce(states.agent_id, events.agent_id) = agent_names.agent_id
{%- endmacro %}
