{#- The metric contract's service-level variants, defined here and nowhere else: per variant,
    when a stint meets the service level (the numerator) and when it counts towards it (the
    denominator). Their names are the config schema's (SlVariant, var `sl_variants`); the KPI
    marts only count these flags. -#}
{%- set sl_variant_flags = {
    'negative': {'met': 'is_answered_within_sl', 'eligible': 'is_offered'},
    'ignored': {
        'met': 'is_answered_within_sl', 'eligible': "is_offered and outcome <> 'abandoned'"
    },
    'positive': {
        'met': 'is_answered_within_sl or is_abandoned_within_sl', 'eligible': 'is_offered'
    },
    'answered_only': {'met': 'is_answered_within_sl', 'eligible': "outcome = 'answered'"},
} -%}
{%- for variant in var('sl_variants') if variant not in sl_variant_flags %}
    {{ exceptions.raise_compiler_error('SL variant ' ~ variant ~ ' has no definition here') }}
{%- endfor %}

with

int_queue_stints_transfers_joined as (
    select * from {{ ref('int_queue_stints_transfers_joined') }}
),

dim_queues as (
    select
        queue_id,
        sl_variant,
        sl_threshold_seconds
    from {{ ref('dim_queues') }}
),

{# The threshold T is inclusive; short abandons and closed-queue stints are never offered. #}
stints_with_sl as (
    select
        int_queue_stints_transfers_joined.stint_id,
        int_queue_stints_transfers_joined.call_id,
        int_queue_stints_transfers_joined.queue_id,
        int_queue_stints_transfers_joined.agent_id,
        int_queue_stints_transfers_joined.caller_number,
        int_queue_stints_transfers_joined.outcome,
        dim_queues.sl_variant,
        int_queue_stints_transfers_joined.wait_seconds,
        dim_queues.sl_threshold_seconds,
        int_queue_stints_transfers_joined.outcome not in ('short_abandoned', 'closed')
            as is_offered,
        int_queue_stints_transfers_joined.outcome = 'answered'
        and int_queue_stints_transfers_joined.wait_seconds <= dim_queues.sl_threshold_seconds
            as is_answered_within_sl,
        int_queue_stints_transfers_joined.outcome = 'abandoned'
        and int_queue_stints_transfers_joined.wait_seconds <= dim_queues.sl_threshold_seconds
            as is_abandoned_within_sl,
        int_queue_stints_transfers_joined.is_transferred,
        {{ is_test_number('int_queue_stints_transfers_joined.caller_number') }} as is_test_call,
        int_queue_stints_transfers_joined.is_reconstructed,
        int_queue_stints_transfers_joined.is_wait_from_timestamps,
        int_queue_stints_transfers_joined.arrived_at,
        int_queue_stints_transfers_joined.queue_left_at,
        int_queue_stints_transfers_joined.ended_at
    from int_queue_stints_transfers_joined
    left join dim_queues
        on int_queue_stints_transfers_joined.queue_id = dim_queues.queue_id
),

{# coalesce: a stint still in the queue has no wait yet, so it meets no service level. #}
stints_with_sl_variants as (
    select
        *,
    {%- for variant in var('sl_variants') %}
        coalesce({{ sl_variant_flags[variant].met }}, false) as is_sl_met_{{ variant }},
        coalesce({{ sl_variant_flags[variant].eligible }}, false) as is_sl_eligible_{{ variant }}
        {{- "," if not loop.last }}
    {%- endfor %}
    from stints_with_sl
),

stints_with_official_sl as (
    select
        *,
        case sl_variant
            {%- for variant in var('sl_variants') %}
                when '{{ variant }}' then is_sl_met_{{ variant }}
            {%- endfor %}
        end as is_sl_met,
        case sl_variant
            {%- for variant in var('sl_variants') %}
                when '{{ variant }}' then is_sl_eligible_{{ variant }}
            {%- endfor %}
        end as is_sl_eligible
    from stints_with_sl_variants
),

stints_with_local_time as (
    select
        *,
        {{ to_center_local('arrived_at') }} as arrived_at_local,
        {{ floor_to_15m('arrived_at') }} as arrival_interval_start_at
    from stints_with_official_sl
),

stints_with_local_interval as (
    select
        *,
        cast(arrived_at_local as date) as arrival_date,
        {{ to_center_local('arrival_interval_start_at') }} as arrival_interval_start_at_local
    from stints_with_local_time
),

{# Weeks start on Monday (ISO 8601, as WFM tools and QueueMetrics report them). #}
stints_with_local_periods as (
    select
        *,
        cast({{ dbt.date_trunc('week', 'arrival_date') }} as date) as arrival_week_start_date,
        cast({{ dbt.date_trunc('month', 'arrival_date') }} as date) as arrival_month_start_date
    from stints_with_local_interval
)

select * from stints_with_local_periods
