{#- One row per customer call (int_calls_stitched: stitched across queues and transfers, with
    its customer, repeat and FCR status), with the team and site of the agent who handled it
    last at the call's arrival (dim_agents is type 2) and its local time. -#}

with

int_calls_stitched as (
    select * from {{ ref('int_calls_stitched') }}
),

dim_agents as (
    select
        agent_key,
        agent_id,
        team_id,
        team_name,
        site_name,
        hired_date,
        valid_from,
        valid_to
    from {{ ref('dim_agents') }}
),

calls_with_agent as (
    select
        int_calls_stitched.*,
        dim_agents.agent_key as handling_agent_key,
        dim_agents.team_id as handling_team_id,
        dim_agents.team_name as handling_team_name,
        dim_agents.site_name as handling_site_name,
        dim_agents.hired_date as handling_agent_hired_date
    from int_calls_stitched
    left join dim_agents
        on
            int_calls_stitched.handling_agent_id = dim_agents.agent_id
            and {{ valid_at('dim_agents', 'int_calls_stitched.arrived_at') }}
),

calls_with_local_time as (
    select
        *,
        {{ to_center_local('arrived_at') }} as arrived_at_local
    from calls_with_agent
),

calls_with_local_date as (
    select
        *,
        cast(arrived_at_local as date) as arrival_date,
        {{ dbt.datediff('handling_agent_hired_date', 'cast(arrived_at_local as date)', 'day') }}
            as handling_agent_tenure_days
    from calls_with_local_time
)

select * from calls_with_local_date
