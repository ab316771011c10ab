{#- Queues seen in the queue_log plus queues declared in the center config, with the
    config's SL settings or the contract defaults. -#}

with

stg_pbx__queue_log as (
    select distinct queue_id
    from {{ ref('stg_pbx__queue_log') }}
    where queue_id is not null
),

center_queues as (
    {{ center_queues() }}
),

queue_ids as (
    select queue_id from stg_pbx__queue_log
    union
    select queue_id from center_queues
),

queues_with_settings as (
    select
        queue_ids.queue_id,
        coalesce(center_queues.sl_variant, '{{ var("default_sl_variant") }}') as sl_variant,
        coalesce(
            center_queues.sl_threshold_seconds, {{ var('default_sl_threshold_s') }}
        ) as sl_threshold_seconds,
        center_queues.queue_id is not null as is_configured
    from queue_ids
    left join center_queues
        on queue_ids.queue_id = center_queues.queue_id
)

select * from queues_with_settings
