{#- Every call leg that holds a trunk, from the CDR: inbound when the leg's own channel is a
    trunk (the caller came in on it), outbound when the dialled channel is (an agent's dial
    went out on it). One row per leg uniqueid and direction, from its first start to its
    last end over the leg's CDR lines (a caller's leg has a line per bridge). -#}

with

stg_pbx__cdr as (
    select
        call_leg_id,
        linked_call_id,
        billed_seconds,
        {{ trunk_of('channel') }} as inbound_trunk_id,
        {{ trunk_of('destination_channel') }} as outbound_trunk_id,
        disposition,
        started_at,
        ended_at,
        line_number
    from {{ ref('stg_pbx__cdr') }}
    where call_leg_id is not null and started_at is not null
),

legs as (
    select
        call_leg_id,
        linked_call_id,
        billed_seconds,
        inbound_trunk_id as trunk_id,
        'inbound' as direction,
        disposition,
        started_at,
        ended_at,
        line_number
    from stg_pbx__cdr
    where inbound_trunk_id is not null
    union all
    select
        call_leg_id,
        linked_call_id,
        billed_seconds,
        outbound_trunk_id,
        'outbound' as direction,
        disposition,
        started_at,
        ended_at,
        line_number
    from stg_pbx__cdr
    where outbound_trunk_id is not null and inbound_trunk_id is null
),

legs_ranked as (
    select
        *,
        row_number() over (
            partition by call_leg_id, direction order by started_at, line_number
        ) as line_rank,
        min(started_at) over (partition by call_leg_id, direction) as leg_started_at,
        max(coalesce(ended_at, started_at)) over (partition by call_leg_id, direction)
            as leg_ended_at,
        sum(coalesce(billed_seconds, 0)) over (partition by call_leg_id, direction)
            as leg_billed_seconds
    from legs
)

select
    call_leg_id,
    linked_call_id,
    trunk_id,
    direction,
    disposition,
    disposition in ('BUSY', 'FAILED', 'CONGESTION') as is_failure,
    leg_billed_seconds as billed_seconds,
    leg_started_at as started_at,
    leg_ended_at as ended_at
from legs_ranked
where line_rank = 1
