{#- Teams (the CRM User's Department) with their current members and sites. A team that
    only existed in an agent's past keeps its row, with no current agents. -#}

with

dim_agents as (
    select * from {{ ref('dim_agents') }}
    where team_id is not null
),

teams as (
    select
        team_id,
        min(team_name) as team_name,
        count(distinct case when is_current and is_active then agent_id end)
            as current_agent_count,
        count(distinct agent_id) as agent_count_ever,
        string_agg(
            distinct case when is_current then site_name end, ', ' order by
                case when is_current then site_name end
        ) as current_site_names
    from dim_agents
    group by 1
)

select * from teams
