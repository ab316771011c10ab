{#- Which call each Asterisk leg belongs to, from the CDR: linkedid ties the legs of one call
    (the caller's channel, consult and agent legs). One row per leg uniqueid; a leg seen in
    several CDR lines (one per bridge) keeps the linkedid of its earliest line. -#}

with

stg_pbx__cdr as (
    select
        call_leg_id,
        linked_call_id,
        started_at,
        line_number
    from {{ ref('stg_pbx__cdr') }}
    where call_leg_id is not null
),

legs_ranked as (
    select
        call_leg_id,
        linked_call_id,
        row_number() over (
            partition by call_leg_id order by started_at, line_number
        ) as line_rank
    from stg_pbx__cdr
)

select
    call_leg_id,
    linked_call_id
from legs_ranked
where line_rank = 1
