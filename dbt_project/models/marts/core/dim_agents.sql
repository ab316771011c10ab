{#- Agents as a type-2 slowly changing dimension: one row per period in which an agent's
    team, site, manager, name or status stayed the same, from the CRM's User versions. A
    call joins the row valid at its arrival, so an agent who moves team keeps history: last
    month's calls stay with last month's team. The first period of an agent starts at the
    beginning of time (1900-01-01), so calls logged before the CRM's first version of the
    User still find a team; periods are half-open, [valid_from, valid_to). Agents the PBX
    logs (calls, rings, pauses, dials, logins) but the CRM lacks get one row with no team
    (is_in_crm false). -#}

with

int_crm_user_versions as (
    select * from {{ ref('int_crm_user_versions') }}
),

{# Every agent the PBX shows: in a call, a ring, a pause, a dial or a login. #}
pbx_agents as (
    select agent_id as extension
    from {{ ref('int_queue_stints_transfers_joined') }}
    where agent_id is not null
    union
    select agent_id from {{ ref('int_agent_sessions') }}
    union
    select agent_id from {{ ref('int_agent_activity_spans') }}
),

user_periods as (
    select
        *,
        case
            when row_number() over (partition by crm_user_id order by version_at) = 1
                then cast('1900-01-01' as timestamp)
            else version_at
        end as valid_from,
        coalesce(
            lead(version_at) over (partition by crm_user_id order by version_at),
            cast('9999-12-31' as timestamp)
        ) as valid_to
    from int_crm_user_versions
),

managers_current as (
    select
        crm_user_id,
        agent_name as manager_name
    from user_periods
    where valid_to = cast('9999-12-31' as timestamp)
),

crm_agents as (
    select
        {{ dbt.hash(dbt.concat([
            'user_periods.crm_user_id', "'|'", 'cast(user_periods.valid_from as varchar)'
        ])) }} as agent_key,
        user_periods.extension as agent_id,
        user_periods.crm_user_id,
        user_periods.agent_name,
        user_periods.username,
        {{ dbt.hash('user_periods.team_name') }} as team_id,
        user_periods.team_name,
        user_periods.site_name,
        user_periods.manager_user_id,
        managers_current.manager_name,
        user_periods.hired_date,
        user_periods.is_active,
        {%- for _, column_name in crm_custom_fields('User', 'user') %}
        user_periods.{{ column_name }},
        {%- endfor %}
        true as is_in_crm,
        user_periods.valid_from,
        user_periods.valid_to,
        user_periods.valid_to = cast('9999-12-31' as timestamp) as is_current
    from user_periods
    left join managers_current
        on user_periods.manager_user_id = managers_current.crm_user_id
    {#- Team leads and back-office users without an extension take no calls. #}
    where user_periods.extension is not null
),

pbx_only_agents as (
    select
        {{ dbt.hash("'pbx|' || pbx_agents.extension") }} as agent_key,
        pbx_agents.extension as agent_id,
        cast(null as varchar) as crm_user_id,
        cast(null as varchar) as agent_name,
        cast(null as varchar) as username,
        cast(null as varchar) as team_id,
        cast(null as varchar) as team_name,
        cast(null as varchar) as site_name,
        cast(null as varchar) as manager_user_id,
        cast(null as varchar) as manager_name,
        cast(null as date) as hired_date,
        true as is_active,
        {%- for _, column_name in crm_custom_fields('User', 'user') %}
        cast(null as varchar) as {{ column_name }},
        {%- endfor %}
        false as is_in_crm,
        cast('1900-01-01' as timestamp) as valid_from,
        cast('9999-12-31' as timestamp) as valid_to,
        true as is_current
    from pbx_agents
    where pbx_agents.extension not in (
        select crm_agents.agent_id from crm_agents
        where crm_agents.agent_id is not null
    )
)

select * from crm_agents
union all
select * from pbx_only_agents
