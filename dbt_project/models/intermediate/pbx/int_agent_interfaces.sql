{#- The agent behind each interface that names a queue member in the queue_log. Asterisk logs
    a member's ADDMEMBER, REMOVEMEMBER, PAUSE and UNPAUSE under its interface unless
    log_membername_as_agent is set (Wazo: Local/id-61@agentcallback for agent 52), its calls
    under its name. An interface is mapped by the center config (agents.interfaces), else by
    the latest AGENTLOGIN made on that channel (data1, SIP/1234-0000001f -> SIP/1234), else by
    the extension rule of staging (PJSIP/1004 -> 1004). is_mapped is false when that leaves
    an agent no other line knows (no Agent/ line, no call, no CRM user of that extension):
    its events are kept under it and counted (mart_dq_agent_interfaces), never dropped. -#}

with

stg_pbx__queue_log as (
    select
        agent_interface,
        agent_id,
        call_id,
        event_type,
        data1,
        event_at,
        line_number
    from {{ ref('stg_pbx__queue_log') }}
    where agent_interface is not null
),

int_crm_user_versions as (
    select extension from {{ ref('int_crm_user_versions') }}
),

configured as (
    {{ configured_agent_interfaces() }}
),

{# An interface has a technology (SIP/, PJSIP/, Local/...); Agent/<id> and a bare member
    name already name the agent. #}
interfaces as (
    select
        agent_interface,
        any_value(agent_id) as extension_agent_id,
        count(*) as event_count
    from stg_pbx__queue_log
    where agent_interface like '%/%' and lower(agent_interface) not like 'agent/%'
    group by 1
),

logins_on_channels as (
    select
        regexp_replace(data1, '-[0-9a-fA-F]{8}$', '') as agent_interface,
        agent_id,
        row_number() over (
            partition by regexp_replace(data1, '-[0-9a-fA-F]{8}$', '')
            order by event_at desc, line_number desc
        ) as login_recency
    from stg_pbx__queue_log
    where event_type = 'AGENTLOGIN' and data1 like '%/%'
),

known_agents as (
    select agent_id from stg_pbx__queue_log
    where lower(agent_interface) like 'agent/%' or agent_interface not like '%/%'
    union
    select agent_id from stg_pbx__queue_log
    where call_id is not null
    union
    select extension from int_crm_user_versions
    where extension is not null
),

mapped as (
    select
        interfaces.agent_interface,
        coalesce(configured.agent_id, logins_on_channels.agent_id, interfaces.extension_agent_id)
            as agent_id,
        case
            when configured.agent_id is not null then 'config'
            when logins_on_channels.agent_id is not null then 'login'
            else 'extension'
        end as mapped_by,
        configured.agent_id is not null
        or logins_on_channels.agent_id is not null
        or known_agents.agent_id is not null as is_mapped,
        interfaces.event_count
    from interfaces
    left join configured
        on interfaces.agent_interface = configured.agent_interface
    left join logins_on_channels
        on
            interfaces.agent_interface = logins_on_channels.agent_interface
            and logins_on_channels.login_recency = 1
    left join known_agents
        on interfaces.extension_agent_id = known_agents.agent_id
)

select * from mapped
