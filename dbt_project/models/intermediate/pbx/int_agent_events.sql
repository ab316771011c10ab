{#- The queue_log lines that say what an agent did (logins, memberships, pauses, wrap-ups,
    rings, answers), each with its agent: the one place that decides it. A line naming an
    interface gets the interface's agent (int_agent_interfaces), any other the agent as
    staging keys it (the extension of Agent/1004). The agent models read their queue_log
    lines here (talk comes from the queue stints, whose CONNECT names the member). -#}

with

stg_pbx__queue_log as (
    select
        agent_id,
        agent_interface,
        queue_id,
        call_id,
        event_type,
        data1,
        data3,
        event_at,
        line_number
    from {{ ref('stg_pbx__queue_log') }}
    where
        agent_id is not null
        and event_type in (
            'ADDMEMBER', 'REMOVEMEMBER', 'AGENTLOGIN', 'AGENTLOGOFF', 'AGENTCALLBACKLOGIN',
            'AGENTCALLBACKLOGOFF', 'PAUSE', 'UNPAUSE', 'PAUSEALL', 'UNPAUSEALL', 'WRAPUPSTART',
            'CONNECT', 'RINGNOANSWER'
        )
),

int_agent_interfaces as (
    select
        agent_interface,
        agent_id
    from {{ ref('int_agent_interfaces') }}
),

events_with_agents as (
    select
        coalesce(int_agent_interfaces.agent_id, stg_pbx__queue_log.agent_id) as agent_id,
        stg_pbx__queue_log.agent_interface,
        stg_pbx__queue_log.queue_id,
        stg_pbx__queue_log.call_id,
        stg_pbx__queue_log.event_type,
        stg_pbx__queue_log.data1,
        stg_pbx__queue_log.data3,
        stg_pbx__queue_log.event_at,
        stg_pbx__queue_log.line_number
    from stg_pbx__queue_log
    left join int_agent_interfaces
        on stg_pbx__queue_log.agent_interface = int_agent_interfaces.agent_interface
)

select * from events_with_agents
