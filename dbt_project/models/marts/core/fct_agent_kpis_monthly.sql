{#- Each agent's scorecard KPIs per center-local month, long form (one row per KPI): a
    periodic snapshot fact, computed from the facts and dimensions by the same macros as the
    daily KPI marts (a fact never reads a KPI mart), so that each KPI keeps its one
    definition:
    - fcr_rate: behavioural FCR of the calls the agent handled last (macro cx_kpis);
    - csat: CSAT top-2-box of their surveyed calls (macro cx_kpis);
    - aht_seconds: (talk + hold + ACW) / handled (macro agent_kpis);
    - dials_per_day: outbound dials per day the agent dialled (macro outbound_funnel);
    - connect_rate and conversion_rate: connects / dials, conversions / connects.
    The agent's team is the one of the last day they worked that month (logged in, or
    handled calls: a static member never logs in), and the
    targets of that team's role apply (var scorecard_targets). Attainment is value / target
    (target / value for AHT, where lower is better), capped at var attainment_cap. -#}

with

agent_kpis_daily as (
    {{- agent_kpis('local_date') }}
),

agent_days as (
    select
        agent_id,
        cast({{ dbt.date_trunc('month', 'local_date') }} as date) as month_start_date,
        local_date,
        team_name,
        logged_seconds,
        talk_seconds + hold_seconds + acw_seconds as handle_seconds,
        handled_count
    from agent_kpis_daily
),

cx_kpis_daily as (
    {{- cx_kpis(['arrival_date', 'agent_id']) }}
),

cx_days as (
    select
        agent_id,
        cast({{ dbt.date_trunc('month', 'arrival_date') }} as date) as month_start_date,
        fcr_resolved_count,
        fcr_not_resolved_count,
        csat_top2_count,
        csat_response_count
    from cx_kpis_daily
    where agent_id is not null
),

outbound_funnel_daily as (
    {{- outbound_funnel(['agent_id', 'local_date']) }}
),

outbound_days as (
    select
        agent_id,
        cast({{ dbt.date_trunc('month', 'local_date') }} as date) as month_start_date,
        local_date,
        dial_count,
        connect_count,
        conversion_count
    from outbound_funnel_daily
),

agent_months as (
    select
        agent_id,
        month_start_date,
        max_by(team_name, local_date) filter (where logged_seconds > 0 or handled_count > 0)
            as team_name
    from agent_days
    group by 1, 2
),

kpi_parts as (
    select
        agent_id,
        month_start_date,
        'aht_seconds' as kpi,
        sum(handle_seconds) as numerator,
        sum(handled_count) as denominator
    from agent_days
    group by 1, 2
    union all
    select
        agent_id,
        month_start_date,
        'fcr_rate' as kpi,
        sum(fcr_resolved_count) as numerator,
        sum(fcr_resolved_count) + sum(fcr_not_resolved_count) as denominator
    from cx_days
    group by 1, 2
    union all
    select
        agent_id,
        month_start_date,
        'csat' as kpi,
        sum(csat_top2_count) as numerator,
        sum(csat_response_count) as denominator
    from cx_days
    group by 1, 2
    union all
    select
        agent_id,
        month_start_date,
        'dials_per_day' as kpi,
        sum(dial_count) as numerator,
        count(distinct case when dial_count > 0 then local_date end) as denominator
    from outbound_days
    group by 1, 2
    union all
    select
        agent_id,
        month_start_date,
        'connect_rate' as kpi,
        sum(connect_count) as numerator,
        sum(dial_count) as denominator
    from outbound_days
    group by 1, 2
    union all
    select
        agent_id,
        month_start_date,
        'conversion_rate' as kpi,
        sum(conversion_count) as numerator,
        sum(connect_count) as denominator
    from outbound_days
    group by 1, 2
),

targets as (
    {%- for row in var('scorecard_targets') %}
    select
        '{{ row.role }}' as role,
        '{{ row.team_name }}' as team_name,
        '{{ row.kpi }}' as kpi,
        {{ row.target }} as target,
        {{ row.weight }} as weight
    {{- '\n    union all' if not loop.last }}
    {%- else %}
        select
            cast(null as varchar) as role,
            cast(null as varchar) as team_name,
            cast(null as varchar) as kpi,
            cast(null as double) as target,
            cast(null as double) as weight
    {%- endfor %}
),

kpi_values as (
    select
        agent_months.agent_id,
        agent_months.month_start_date,
        agent_months.team_name,
        targets.role,
        targets.kpi,
        cast(kpi_parts.numerator as double) as numerator,
        cast(kpi_parts.denominator as double) as denominator,
        kpi_parts.numerator * 1.0 / nullif(kpi_parts.denominator, 0) as kpi_value,
        cast(targets.target as double) as target,
        cast(targets.weight as double) as weight
    from agent_months
    inner join targets
        on agent_months.team_name = targets.team_name
    left join kpi_parts
        on
            agent_months.agent_id = kpi_parts.agent_id
            and agent_months.month_start_date = kpi_parts.month_start_date
            and targets.kpi = kpi_parts.kpi
)

select
    *,
    least(
        case
            when kpi = 'aht_seconds' then target / nullif(kpi_value, 0)
            else kpi_value / target
        end,
        {{ var('attainment_cap') }}
    ) as attainment
from kpi_values
