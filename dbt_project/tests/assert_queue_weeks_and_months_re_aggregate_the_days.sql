{#- The weekly and monthly queue marts are the daily mart re-aggregated, so a Superset chart
    of mart_queue_kpis_daily with time grain Week (Monday weeks) or Month gives their figures:
    every additive column the queue contract metrics read, summed over the period's days,
    equals the period's row, and max_wait_seconds is the days' maximum. Returns the
    mismatching (grain, queue, period) rows. -#}

{%- set sums = [
    'offered_count', 'answered_count', 'abandoned_count', 'short_abandoned_count',
    'transferred_count', 'sl_met_count', 'sl_eligible_count', 'sl_met_negative_count',
    'sl_eligible_negative_count', 'sl_met_ignored_count', 'sl_eligible_ignored_count',
    'sl_met_positive_count', 'sl_eligible_positive_count', 'sl_met_answered_only_count',
    'sl_eligible_answered_only_count', 'answered_wait_seconds', 'abandoned_wait_seconds',
] %}

with

mart_queue_kpis_daily as (
    select * from {{ ref('mart_queue_kpis_daily') }}
),

mart_queue_kpis_weekly as (
    select * from {{ ref('mart_queue_kpis_weekly') }}
),

mart_queue_kpis_monthly as (
    select * from {{ ref('mart_queue_kpis_monthly') }}
),

days_by_week as (
    select
        'week' as grain,
        queue_id,
        cast({{ dbt.date_trunc('week', 'arrival_date') }} as date) as period_start_date,
        {% for column in sums %}
            sum({{ column }}) as {{ column }},
        {% endfor %}
        max(max_wait_seconds) as max_wait_seconds
    from mart_queue_kpis_daily
    group by 1, 2, 3
),

days_by_month as (
    select
        'month' as grain,
        queue_id,
        cast({{ dbt.date_trunc('month', 'arrival_date') }} as date) as period_start_date,
        {% for column in sums %}
            sum({{ column }}) as {{ column }},
        {% endfor %}
        max(max_wait_seconds) as max_wait_seconds
    from mart_queue_kpis_daily
    group by 1, 2, 3
),

days_re_aggregated as (
    select * from days_by_week
    union all
    select * from days_by_month
),

periods as (
    select
        'week' as grain,
        queue_id,
        arrival_week_start_date as period_start_date,
        {% for column in sums %}
            {{ column }},
        {% endfor %}
        max_wait_seconds
    from mart_queue_kpis_weekly
    union all
    select
        'month' as grain,
        queue_id,
        arrival_month_start_date as period_start_date,
        {% for column in sums %}
            {{ column }},
        {% endfor %}
        max_wait_seconds
    from mart_queue_kpis_monthly
),

mismatches as (
    select
        coalesce(periods.grain, days_re_aggregated.grain) as grain,
        coalesce(periods.queue_id, days_re_aggregated.queue_id) as queue_id,
        coalesce(periods.period_start_date, days_re_aggregated.period_start_date)
            as period_start_date
    from periods
    full outer join days_re_aggregated
        on
            periods.grain = days_re_aggregated.grain
            and periods.queue_id = days_re_aggregated.queue_id
            and periods.period_start_date = days_re_aggregated.period_start_date
    where
        periods.max_wait_seconds is distinct from days_re_aggregated.max_wait_seconds
        {% for column in sums %}
            or periods.{{ column }} is distinct from days_re_aggregated.{{ column }}
        {% endfor %}
)

select * from mismatches
