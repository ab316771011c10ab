{#- Agents' login and membership spans, per queue (metric contract: logged time). A span
    opens with ADDMEMBER (is_membership), AGENTLOGIN or AGENTCALLBACKLOGIN and closes with the
    next REMOVEMEMBER or AGENTLOGOFF of the same agent and queue (queue_id null: a login to
    no queue in particular); a login followed by another login (a lost logout line) ends at
    it; a span still open at the end of the data ends there (is_open, var
    agent_open_span_end). A logout whose login is not in the data adds nothing. -#}

with

int_agent_events as (
    select
        agent_id,
        queue_id,
        event_type,
        event_at,
        line_number
    from {{ ref('int_agent_events') }}
    where
        event_type in (
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
        lead(event_at) over (
            partition by agent_id, queue_id order by event_at, line_number
        ) as next_event_at
    from int_agent_events
),

spans as (
    select
        membership_events.agent_id,
        membership_events.queue_id,
        membership_events.event_type = 'ADDMEMBER' as is_membership,
        membership_events.event_at as logged_in_at,
        coalesce(
            membership_events.next_event_at,
            {{ agent_open_span_end('int_queue_log_data_end.data_end_at') }}
        ) as logged_out_at,
        membership_events.next_event_at is null as is_open
    from membership_events
    cross join int_queue_log_data_end
    where membership_events.event_type in ('ADDMEMBER', 'AGENTLOGIN', 'AGENTCALLBACKLOGIN')
)

select * from spans
