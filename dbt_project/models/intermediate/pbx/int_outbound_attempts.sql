{#- Outbound attempts in the CDR: legs from an agent's extension (2-6 digits) to an external
    number (7 digits or more, see phone_e164) through a configured dial context (var
    outbound_dial_contexts); one per uniqueid, its first line. A connect is ANSWERED with
    billsec > 0 and no answering-machine verdict (AMD=MACHINE in the userfield). -#}

with

stg_pbx__cdr as (
    select * from {{ ref('stg_pbx__cdr') }}
    where
        destination_context in ({{ sql_string_list(var('outbound_dial_contexts')) }})
        and regexp_full_match(source_number, '[0-9]{2,6}')
        and {{ phone_e164('destination_number') }} is not null
),

attempts_ranked as (
    select
        *,
        row_number() over (
            partition by call_leg_id order by started_at, line_number
        ) as line_rank
    from stg_pbx__cdr
),

attempts as (
    select
        call_leg_id as attempt_id,
        account_code as campaign_id,
        source_number as agent_id,
        {{ phone_e164('destination_number') }} as destination_e164,
        disposition,
        billed_seconds,
        duration_seconds,
        coalesce(user_field like '%AMD=MACHINE%', false) as is_machine_answer,
        disposition = 'ANSWERED' and billed_seconds > 0
        and not coalesce(user_field like '%AMD=MACHINE%', false) as is_connect,
        disposition in ('BUSY', 'FAILED', 'CONGESTION') as is_failure,
        {{ trunk_of('destination_channel') }} as trunk_id,
        started_at,
        answered_at,
        ended_at,
        cast({{ to_center_local('started_at') }} as date) as local_date
    from attempts_ranked
    where line_rank = 1
)

select * from attempts
