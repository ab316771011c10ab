{#- Volume, SL and abandons go to the arrival interval (metric contract, Time). Every rate is
    left to the reader as sum(numerator) / sum(denominator) over these additive columns. -#}

with

fct_queue_stints as (
    select
        queue_id,
        outcome,
        wait_seconds,
        is_answered_within_sl,
        is_abandoned_within_sl,
        is_transferred,
        arrival_interval_start_at,
        arrival_interval_start_at_local,
        arrival_date
    from {{ ref('fct_queue_stints') }}
    where not is_test_call
),

dim_queues as (
    select queue_id, sl_variant, sl_threshold_seconds from {{ ref('dim_queues') }}
),

stints_counted as (
    select
        queue_id,
        arrival_interval_start_at,
        arrival_interval_start_at_local,
        arrival_date,
        count(*) as stint_count,
        count(case when outcome = 'answered' then 1 end) as answered_count,
        count(case when outcome = 'abandoned' then 1 end) as abandoned_count,
        count(case when outcome = 'short_abandoned' then 1 end) as short_abandoned_count,
        count(case when outcome = 'timeout' then 1 end) as timeout_count,
        count(case when outcome = 'exit_key' then 1 end) as exit_key_count,
        count(case when outcome = 'exit_empty' then 1 end) as exit_empty_count,
        count(case when outcome = 'join_rejected' then 1 end) as join_rejected_count,
        count(case when outcome = 'closed' then 1 end) as closed_count,
        count(case when outcome = 'diverted' then 1 end) as diverted_count,
        count(case when outcome = 'in_queue' then 1 end) as in_queue_count,
        count(case when outcome = 'unknown' then 1 end) as unknown_count,
        count(case when is_transferred then 1 end) as transferred_count,
        count(case when is_answered_within_sl then 1 end) as answered_within_sl_count,
        count(case when is_abandoned_within_sl then 1 end) as abandoned_within_sl_count,
        cast(sum(case when outcome = 'answered' then wait_seconds else 0 end) as {{ dbt.type_bigint() }})
            as answered_wait_seconds,
        cast(sum(case when outcome = 'abandoned' then wait_seconds else 0 end) as {{ dbt.type_bigint() }})
            as abandoned_wait_seconds,
        max(wait_seconds) as max_wait_seconds
    from fct_queue_stints
    group by 1, 2, 3, 4
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
            dbt.cast('offered_counted.arrival_interval_start_at', dbt.type_string())
        ]) }} as queue_interval_id,
        offered_counted.queue_id,
        dim_queues.sl_variant,
        offered_counted.stint_count,
        offered_counted.offered_count,
        offered_counted.answered_count,
        offered_counted.abandoned_count,
        offered_counted.short_abandoned_count,
        offered_counted.timeout_count,
        offered_counted.exit_key_count,
        offered_counted.exit_empty_count,
        offered_counted.join_rejected_count,
        offered_counted.closed_count,
        offered_counted.diverted_count,
        offered_counted.in_queue_count,
        offered_counted.unknown_count,
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
        dim_queues.sl_threshold_seconds,
        offered_counted.answered_wait_seconds,
        offered_counted.abandoned_wait_seconds,
        offered_counted.max_wait_seconds,
        offered_counted.arrival_date,
        offered_counted.arrival_interval_start_at,
        offered_counted.arrival_interval_start_at_local
    from offered_counted
    left join dim_queues
        on offered_counted.queue_id = dim_queues.queue_id
)

select * from official_service_level
