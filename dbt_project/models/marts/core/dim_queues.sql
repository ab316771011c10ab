{#- Queues that calls entered plus queues declared in the center config, with the config's
    SL settings and owning team, or the contract defaults (a queue the config omits is its
    own team). -#}

with

int_queue_stints_transfers_joined as (
    select distinct queue_id from {{ ref('int_queue_stints_transfers_joined') }}
),

center_queues as (
    {{ center_queues() }}
),

queue_ids as (
    select queue_id from int_queue_stints_transfers_joined
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
        coalesce(center_queues.team_name, queue_ids.queue_id) as team_name,
        center_queues.queue_id is not null as is_configured
    from queue_ids
    left join center_queues
        on queue_ids.queue_id = center_queues.queue_id
)

select * from queues_with_settings
