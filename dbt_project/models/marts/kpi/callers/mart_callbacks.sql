{#- Lost calls and whether the caller was reached again. A lost call is a call that no agent
    answered, from a known number (a withheld one cannot be called back), not a test,
    neither a short abandon (a misdial, never offered) nor still queued. It is recalled when
    a later call from the same number (compared in E.164, however the PBX wrote it) was
    answered; time to recall runs from the lost call leaving the queue to that call's
    arrival. -#}

with

fct_calls as (
    select
        call_id,
        caller_number,
        customer_phone_e164,
        first_queue_id,
        last_queue_id,
        final_outcome,
        total_wait_seconds,
        is_answered,
        is_test_call,
        arrived_at,
        last_queue_left_at,
        arrived_at_local,
        arrival_date
    from {{ ref('fct_calls') }}
    where customer_phone_e164 is not null and not is_test_call
),

lost_calls as (
    select *
    from fct_calls
    where
        not is_answered
        and final_outcome not in ('short_abandoned', 'in_queue')
),

answered_calls as (
    select
        customer_phone_e164,
        arrived_at
    from fct_calls
    where is_answered
),

recalls_ranked as (
    select
        lost_calls.call_id,
        answered_calls.arrived_at as recalled_at,
        row_number() over (
            partition by lost_calls.call_id order by answered_calls.arrived_at
        ) as recall_rank
    from lost_calls
    inner join answered_calls
        on
            lost_calls.customer_phone_e164 = answered_calls.customer_phone_e164
            and lost_calls.arrived_at < answered_calls.arrived_at
),

lost_calls_with_recall as (
    select
        lost_calls.call_id,
        lost_calls.caller_number,
        lost_calls.first_queue_id,
        lost_calls.last_queue_id as queue_id,
        lost_calls.final_outcome,
        {{ category_label('lost_calls.final_outcome', 'final_outcome') }} as final_outcome_label,
        lost_calls.total_wait_seconds,
        {{ dbt.datediff('lost_calls.last_queue_left_at', 'recalls_ranked.recalled_at', 'second') }}
            as time_to_recall_seconds,
        recalls_ranked.call_id is not null as is_recalled,
        lost_calls.arrival_date,
        lost_calls.arrived_at,
        lost_calls.arrived_at_local,
        recalls_ranked.recalled_at
    from lost_calls
    left join recalls_ranked
        on
            lost_calls.call_id = recalls_ranked.call_id
            and recalls_ranked.recall_rank = 1
)

select * from lost_calls_with_recall
