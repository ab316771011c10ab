with

int_queue_stints_transfers_joined as (
    select * from {{ ref('int_queue_stints_transfers_joined') }}
),

dim_queues as (
    select queue_id, sl_threshold_seconds from {{ ref('dim_queues') }}
),

stints_with_sl as (
    select
        int_queue_stints_transfers_joined.stint_id,
        int_queue_stints_transfers_joined.call_id,
        int_queue_stints_transfers_joined.queue_id,
        int_queue_stints_transfers_joined.agent_id,
        int_queue_stints_transfers_joined.caller_number,
        int_queue_stints_transfers_joined.outcome,
        int_queue_stints_transfers_joined.wait_seconds,
        dim_queues.sl_threshold_seconds,
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

stints_with_local_time as (
    select
        *,
        {{ to_center_local('arrived_at') }} as arrived_at_local,
        {{ floor_to_15m('arrived_at') }} as arrival_interval_start_at
    from stints_with_sl
),

stints_with_local_interval as (
    select
        *,
        cast(arrived_at_local as date) as arrival_date,
        {{ to_center_local('arrival_interval_start_at') }} as arrival_interval_start_at_local
    from stints_with_local_time
),

{#- Weeks start on Monday (ISO 8601, as WFM tools and QueueMetrics report them). #}
stints_with_local_periods as (
    select
        *,
        cast({{ dbt.date_trunc('week', 'arrival_date') }} as date) as arrival_week_start_date,
        cast({{ dbt.date_trunc('month', 'arrival_date') }} as date) as arrival_month_start_date
    from stints_with_local_interval
)

select * from stints_with_local_periods
