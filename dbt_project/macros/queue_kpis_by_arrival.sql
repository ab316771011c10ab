{#- The queue KPI marts' query, for one grain: queue x the fct_queue_stints arrival columns in
    `grain_columns` (the first identifies the period, e.g. arrival_interval_start_at). Volume,
    SL and abandons go to the arrival period (metric contract, Time); test calls are left
    out. Every rate is left to the reader as sum(numerator) / sum(denominator) over these
    additive columns, so marts of every grain re-aggregate the same way. -#}
{% macro queue_kpis_by_arrival(key_column, grain_columns) -%}
{%- set outcomes = ['answered', 'abandoned', 'short_abandoned', 'timeout', 'exit_key',
                    'exit_empty', 'join_rejected', 'closed', 'diverted', 'in_queue',
                    'unknown'] -%}
{%- set wait_bands = contract_wait_bands() -%}
with

fct_queue_stints as (
    select
        queue_id,
        outcome,
        wait_seconds,
        is_answered_within_sl,
        is_abandoned_within_sl,
        is_transferred,
        {{ grain_columns | join(',\n        ') }}
    from {{ ref('fct_queue_stints') }}
    where not is_test_call
),

dim_queues as (
    select queue_id, sl_variant, sl_threshold_seconds from {{ ref('dim_queues') }}
),

stints_counted as (
    select
        queue_id,
        {{ grain_columns | join(',\n        ') }},
        count(*) as stint_count,
        {%- for outcome in outcomes %}
        count(case when outcome = '{{ outcome }}' then 1 end) as {{ outcome }}_count,
        {%- endfor %}
        count(case when is_transferred then 1 end) as transferred_count,
        count(case when is_answered_within_sl then 1 end) as answered_within_sl_count,
        count(case when is_abandoned_within_sl then 1 end) as abandoned_within_sl_count,
        {%- for band, low, high in wait_bands %}
        count(
            case when outcome = 'answered' and wait_seconds between {{ low }} and {{ high }} then 1 end
        ) as answered_wait_{{ band }}_count,
        {%- endfor %}
        count(
            case when outcome = 'answered' and wait_seconds > 300 then 1 end
        ) as answered_wait_over_300_count,
        cast(sum(case when outcome = 'answered' then wait_seconds else 0 end)
            as {{ dbt.type_bigint() }}) as answered_wait_seconds,
        cast(sum(case when outcome = 'abandoned' then wait_seconds else 0 end)
            as {{ dbt.type_bigint() }}) as abandoned_wait_seconds,
        max(wait_seconds) as max_wait_seconds
    from fct_queue_stints
    group by {% for column in grain_columns %}{{ loop.index + 1 }}, {% endfor %}1
),

offered_counted as (
    select
        *,
        stint_count - short_abandoned_count - closed_count as offered_count
    from stints_counted
),

official_service_level as (
    select
        {{ dbt.concat([
            'offered_counted.queue_id', "'|'",
            dbt.cast('offered_counted.' ~ grain_columns[0], dbt.type_string())
        ]) }} as {{ key_column }},
        offered_counted.queue_id,
        dim_queues.sl_variant,
        offered_counted.stint_count,
        offered_counted.offered_count,
        {%- for outcome in outcomes %}
        offered_counted.{{ outcome }}_count,
        {%- endfor %}
        offered_counted.transferred_count,
        offered_counted.answered_within_sl_count,
        offered_counted.abandoned_within_sl_count,
        case dim_queues.sl_variant
            when 'positive'
                then offered_counted.answered_within_sl_count
                + offered_counted.abandoned_within_sl_count
            else offered_counted.answered_within_sl_count
        end as sl_met_count,
        case dim_queues.sl_variant
            when 'ignored' then offered_counted.offered_count - offered_counted.abandoned_count
            when 'answered_only' then offered_counted.answered_count
            else offered_counted.offered_count
        end as sl_eligible_count,
        {%- for band, low, high in wait_bands %}
        offered_counted.answered_wait_{{ band }}_count,
        {%- endfor %}
        offered_counted.answered_wait_over_300_count,
        dim_queues.sl_threshold_seconds,
        offered_counted.answered_wait_seconds,
        offered_counted.abandoned_wait_seconds,
        offered_counted.max_wait_seconds,
        offered_counted.{{ grain_columns | join(',\n        offered_counted.') }}
    from offered_counted
    left join dim_queues
        on offered_counted.queue_id = dim_queues.queue_id
)

select * from official_service_level
{%- endmacro %}
