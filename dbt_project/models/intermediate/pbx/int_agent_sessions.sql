{#- When each agent was logged in: the union of their login spans across queues (metric
    contract: logged time). A span opens with ADDMEMBER or AGENTLOGIN (and the callback
    variant) and closes with the next REMOVEMEMBER or AGENTLOGOFF of the same agent and
    queue; a span still open at the end of the data ends there (is_open). Overlapping spans of one
    agent in several queues count once. The agent is their extension, as in dim_agents. -#}

with

stg_pbx__queue_log as (
    select
        agent_id,
        queue_id,
        event_type,
        event_at,
        line_number
    from {{ ref('stg_pbx__queue_log') }}
    where
        agent_id is not null
        and event_type in (
            'ADDMEMBER', 'REMOVEMEMBER', 'AGENTLOGIN', 'AGENTLOGOFF', 'AGENTCALLBACKLOGIN',
            'AGENTCALLBACKLOGOFF'
        )
),

int_queue_log_data_end as (
    select data_end_at from {{ ref('int_queue_log_data_end') }}
),

membership_events as (
    select
        *,
        event_type in ('ADDMEMBER', 'AGENTLOGIN', 'AGENTCALLBACKLOGIN') as is_login,
        lead(event_at) over (
            partition by agent_id, queue_id order by event_at, line_number
        ) as next_event_at,
        lead(event_type) over (
            partition by agent_id, queue_id order by event_at, line_number
        ) as next_event_type
    from stg_pbx__queue_log
),

{# A login followed by another login (a lost logout line) ends at that next login. #}
spans as (
    select
        agent_id,
        event_at as logged_in_at,
        coalesce(
            next_event_at, (select int_queue_log_data_end.data_end_at from int_queue_log_data_end)
        ) as logged_out_at,
        next_event_at is null as is_open
    from membership_events
    where is_login
),

spans_ordered as (
    select
        *,
        max(logged_out_at) over (
            partition by agent_id order by logged_in_at, logged_out_at
            rows between unbounded preceding and 1 preceding
        ) as previous_logged_out_at
    from spans
),

spans_grouped as (
    select
        *,
        sum(
            case
                when previous_logged_out_at is null or logged_in_at > previous_logged_out_at
                    then 1
                else 0
            end
        ) over (partition by agent_id order by logged_in_at, logged_out_at) as session_number
    from spans_ordered
)

select
    agent_id,
    session_number,
    min(logged_in_at) as logged_in_at,
    max(logged_out_at) as logged_out_at,
    {#- Still logged in at the end of the data: it ends there for now, not at a logout. #}
    bool_or(is_open) as is_open
from spans_grouped
group by 1, 2
