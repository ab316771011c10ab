{#- The monthly agent scorecard: per agent and center-local month, the weighted score of
    their KPIs' attainments (0-100 x attainment_cap; a KPI with no value that month, e.g. no
    surveyed call, leaves the weighting), their rank within their team and within the center
    (ties share a rank, the next rank skips), and the score's change against last month and
    the same month last year (null without a score then); the agent's current name beside the
    id. -#}

with

fct_agent_kpis_monthly as (
    select * from {{ ref('fct_agent_kpis_monthly') }}
),

scores as (
    select
        agent_id,
        month_start_date,
        team_name,
        role,
        {#- Rounded to 4 decimals: payroll reads the score; float noise must not break ties. #}
        round(
            100.0 * sum(weight * attainment)
            / nullif(sum(case when attainment is not null then weight end), 0),
            4
        ) as score,
        count(attainment) as scored_kpi_count
    from fct_agent_kpis_monthly
    group by 1, 2, 3, 4
),

ranked as (
    select
        *,
        rank() over (partition by month_start_date, team_name order by score desc nulls last)
            as team_rank,
        rank() over (partition by month_start_date order by score desc nulls last) as center_rank
    from scores
),

agent_names as (
    {{ current_agent_names() }}
)

select
    ranked.*,
    agent_names.agent_name,
    ranked.score - last_month.score as score_change_month,
    ranked.score - last_year.score as score_change_year
from ranked
left join agent_names
    on ranked.agent_id = agent_names.agent_id
left join scores as last_month
    on
        ranked.agent_id = last_month.agent_id
        and last_month.month_start_date
        = cast({{ dbt.dateadd('month', -1, 'ranked.month_start_date') }} as date)
left join scores as last_year
    on
        ranked.agent_id = last_year.agent_id
        and last_year.month_start_date
        = cast({{ dbt.dateadd('month', -12, 'ranked.month_start_date') }} as date)
