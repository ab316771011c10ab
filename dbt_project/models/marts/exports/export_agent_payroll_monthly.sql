{#- The payroll export as the salary system reads it, one row per agent and center-local
    month: the agent's name, the scorecard's score with its ranks and changes (2 decimals),
    then each KPI of the config's scorecard (var scorecard_targets) with its value and
    attainment side by side (4 decimals; empty when not one of the agent's role).
    orchestration/lib/payroll_export.py writes each month's rows as CSV and XLSX. -#}
{%- set kpis = var('scorecard_targets') | map(attribute='kpi') | unique | sort %}

with

mart_agent_scorecard_monthly as (
    select
        agent_id,
        month_start_date,
        team_name,
        role,
        score,
        team_rank,
        center_rank,
        score_change_month,
        score_change_year
    from {{ ref('mart_agent_scorecard_monthly') }}
),

fct_agent_kpis_monthly as (
    select
        agent_id,
        month_start_date,
        kpi,
        kpi_value,
        attainment
    from {{ ref('fct_agent_kpis_monthly') }}
),

dim_agents as (
    select
        agent_id,
        agent_name,
        valid_from
    from {{ ref('dim_agents') }}
),

{# The agent's name now (a renamed agent is paid under their current name). #}
agent_names as (
    select
        agent_id,
        max_by(agent_name, valid_from) as agent_name
    from dim_agents
    group by 1
),

kpis_side_by_side as (
    select
        agent_id,
        month_start_date
    {%- for kpi in kpis %},
        round(max(case when kpi = '{{ kpi }}' then kpi_value end), 4) as {{ kpi }}_value,
        round(max(case when kpi = '{{ kpi }}' then attainment end), 4) as {{ kpi }}_attainment
        {%- endfor %}
    from fct_agent_kpis_monthly
    group by 1, 2
),

payroll_rows as (
    select
        substr(cast(mart_agent_scorecard_monthly.month_start_date as varchar), 1, 7) as month,
        mart_agent_scorecard_monthly.agent_id,
        agent_names.agent_name,
        mart_agent_scorecard_monthly.team_name,
        mart_agent_scorecard_monthly.role,
        round(mart_agent_scorecard_monthly.score, 2) as score,
        mart_agent_scorecard_monthly.team_rank,
        mart_agent_scorecard_monthly.center_rank,
        round(mart_agent_scorecard_monthly.score_change_month, 2) as score_change_month,
        round(mart_agent_scorecard_monthly.score_change_year, 2) as score_change_year,
        {#- noqa: RF02 reads the excluded names as references to qualify. #}
        kpis_side_by_side.* exclude (agent_id, month_start_date)  -- noqa: RF02
    from mart_agent_scorecard_monthly
    left join agent_names
        on mart_agent_scorecard_monthly.agent_id = agent_names.agent_id
    left join kpis_side_by_side
        on
            mart_agent_scorecard_monthly.agent_id = kpis_side_by_side.agent_id
            and mart_agent_scorecard_monthly.month_start_date = kpis_side_by_side.month_start_date
)

{# By month, center_rank, agent_id. #}
select * from payroll_rows
order by 1, 8, 2
