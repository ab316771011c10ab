{#- The queue KPI marts' query, for one grain: queue x the fct_queue_stints arrival columns in
    `grain_columns` (the first identifies the period, e.g. arrival_interval_start_at). Volume,
    SL and abandons go to the arrival period (metric contract, Time); test calls are left
    out. The marts only count: whether a stint is offered, within SL or meets each SL
    variant is fct_queue_stints' flags. Every rate is left to the reader as
    sum(numerator) / sum(denominator) over these additive columns, so marts of every grain
    re-aggregate the same way. -#}
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
        is_offered,
        is_answered_within_sl,
        is_abandoned_within_sl,
        is_sl_met,
        is_sl_eligible,
        {%- for variant in var('sl_variants') %}
        is_sl_met_{{ variant }},
        is_sl_eligible_{{ variant }},
        {%- endfor %}
        is_transferred,
        {{ grain_columns | join(',\n        ') }}
    from {{ ref('fct_queue_stints') }}
    where not is_test_call
),

dim_queues as (
    select queue_id, team_name, sl_variant, sl_threshold_seconds from {{ ref('dim_queues') }}
),

stints_counted as (
    select
        queue_id,
        {{ grain_columns | join(',\n        ') }},
        count(*) as stint_count,
        count(case when is_offered then 1 end) as offered_count,
        {%- for outcome in outcomes %}
        count(case when outcome = '{{ outcome }}' then 1 end) as {{ outcome }}_count,
        {%- endfor %}
        count(case when is_transferred then 1 end) as transferred_count,
        count(case when is_answered_within_sl then 1 end) as answered_within_sl_count,
        count(case when is_abandoned_within_sl then 1 end) as abandoned_within_sl_count,
        count(case when is_sl_met then 1 end) as sl_met_count,
        count(case when is_sl_eligible then 1 end) as sl_eligible_count,
        {%- for variant in var('sl_variants') %}
        count(case when is_sl_met_{{ variant }} then 1 end) as sl_met_{{ variant }}_count,
        count(case when is_sl_eligible_{{ variant }} then 1 end) as sl_eligible_{{ variant }}_count,
        {%- endfor %}
        {#- The first band is open below, as in wait_band(): a wait timed from lines stamped
            out of order can be negative (a source quirk, a warning), and it is still answered. #}
        {%- for band, low, high, _ in wait_bands %}
        count(
            case when outcome = 'answered'
                {%- if not loop.first %} and wait_seconds >= {{ low }}{% endif %}
                {%- if high is not none %} and wait_seconds <= {{ high }}{% endif %} then 1 end
        ) as answered_wait_{{ band }}_count,
        {%- endfor %}
        cast(sum(case when outcome = 'answered' then wait_seconds else 0 end)
            as {{ dbt.type_bigint() }}) as answered_wait_seconds,
        cast(sum(case when outcome = 'abandoned' then wait_seconds else 0 end)
            as {{ dbt.type_bigint() }}) as abandoned_wait_seconds,
        max(wait_seconds) as max_wait_seconds
    from fct_queue_stints
    group by {% for column in grain_columns %}{{ loop.index + 1 }}, {% endfor %}1
),

stints_counted_with_queue as (
    select
        {{ dbt.concat([
            'stints_counted.queue_id', "'|'",
            dbt.cast('stints_counted.' ~ grain_columns[0], dbt.type_string())
        ]) }} as {{ key_column }},
        stints_counted.queue_id,
        dim_queues.team_name,
        dim_queues.sl_variant,
        stints_counted.stint_count,
        stints_counted.offered_count,
        {%- for outcome in outcomes %}
        stints_counted.{{ outcome }}_count,
        {%- endfor %}
        stints_counted.transferred_count,
        stints_counted.answered_within_sl_count,
        stints_counted.abandoned_within_sl_count,
        stints_counted.sl_met_count,
        stints_counted.sl_eligible_count,
        {%- for variant in var('sl_variants') %}
        stints_counted.sl_met_{{ variant }}_count,
        stints_counted.sl_eligible_{{ variant }}_count,
        {%- endfor %}
        {%- for band, low, high, _ in wait_bands %}
        stints_counted.answered_wait_{{ band }}_count,
        {%- endfor %}
        dim_queues.sl_threshold_seconds,
        stints_counted.answered_wait_seconds,
        stints_counted.abandoned_wait_seconds,
        stints_counted.max_wait_seconds,
        stints_counted.{{ grain_columns | join(',\n        stints_counted.') }}
    from stints_counted
    left join dim_queues
        on stints_counted.queue_id = dim_queues.queue_id
)

select * from stints_counted_with_queue
{%- endmacro %}
