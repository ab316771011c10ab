{#- A table: fct_calls and dim_customers both read it, and the repeat self-join is the
    costly part. -#}
{{ config(materialized='table') }}

{#- Stitches queue stints into customer calls: a blind transfer keeps the caller's uniqueid,
    an attended transfer was joined upstream (int_queue_stints_transfers_joined), and the
    CDR's linkedid ties legs with different uniqueids (int_call_legs_linked). fct_calls adds
    the handling agent's team and local time; dim_customers counts its customers' calls.

    Each call also gets its customer, the agent who handled it last, and its repeat and
    first-contact-resolution status (metric contract, customer KPIs):
    - customer: the CRM contact whose Phone or MobilePhone equals the caller's number in
      E.164, else the number itself ('tel:+1...'); none for withheld numbers and test calls;
    - repeat: another call of the same customer arrives within repeat_window_days after this
      one ends (any later call counts, answered or not). `pending` while that window runs
      past the end of the data, even when a repeat already came: a recent call settles only
      when its window closes, whatever its outcome, or the newest days would count repeats
      at once and resolutions a week later, and read as a fall in FCR;
    - behavioural FCR, for answered calls of a known customer: `resolved` when neither
      transferred nor a repeat, `not_resolved` when transferred or a repeat, `pending` while
      the repeat status is. Pending calls count in neither numerator nor denominator. -#}

with

int_queue_stints_transfers_joined as (
    select
        stint_id,
        call_id,
        queue_id,
        agent_id,
        caller_number,
        outcome,
        wait_seconds,
        is_transferred,
        {{ is_test_number('caller_number') }} as is_test_call,
        arrived_at,
        queue_left_at,
        {#- An unknown stint (its end never logged) ends, as far as we know, at its arrival. #}
        case when outcome <> 'in_queue' then coalesce(ended_at, arrived_at) end as ended_at
    from {{ ref('int_queue_stints_transfers_joined') }}
),

int_call_legs_linked as (
    select
        call_leg_id,
        linked_call_id
    from {{ ref('int_call_legs_linked') }}
),

stints_with_call as (
    select
        int_queue_stints_transfers_joined.*,
        coalesce(int_call_legs_linked.linked_call_id, int_queue_stints_transfers_joined.call_id)
            as linked_call_id
    from int_queue_stints_transfers_joined
    left join int_call_legs_linked
        on int_queue_stints_transfers_joined.call_id = int_call_legs_linked.call_leg_id
),

stints_ordered as (
    select
        *,
        row_number() over (
            partition by linked_call_id order by arrived_at, stint_id
        ) as stint_order,
        row_number() over (
            partition by linked_call_id order by arrived_at desc, stint_id desc
        ) as reverse_stint_order,
        row_number() over (
            partition by linked_call_id
            order by
                case when outcome = 'answered' then 0 else 1 end, arrived_at desc, stint_id desc
        ) as handling_order
    from stints_with_call
),

calls_aggregated as (
    select
        linked_call_id as call_id,
        count(*) as queue_stint_count,
        count(case when is_transferred then 1 end) as transfer_count,
        count(case when outcome = 'answered' then 1 end) as answered_stint_count,
        cast(sum(coalesce(wait_seconds, 0)) as {{ dbt.type_bigint() }}) as total_wait_seconds,
        max(case when is_test_call then 1 else 0 end) = 1 as is_test_call,
        min(arrived_at) as arrived_at,
        max(queue_left_at) as last_queue_left_at,
        case when count(ended_at) = count(*) then max(ended_at) end as ended_at
    from stints_ordered
    group by 1
),

calls_with_ends as (
    select
        calls_aggregated.call_id,
        first_stints.queue_id as first_queue_id,
        last_stints.queue_id as last_queue_id,
        last_stints.agent_id as last_agent_id,
        case when handling_stints.outcome = 'answered' then handling_stints.agent_id end
            as handling_agent_id,
        first_stints.caller_number,
        last_stints.outcome as final_outcome,
        calls_aggregated.queue_stint_count,
        calls_aggregated.transfer_count,
        calls_aggregated.answered_stint_count,
        calls_aggregated.total_wait_seconds,
        calls_aggregated.answered_stint_count > 0 as is_answered,
        calls_aggregated.is_test_call,
        calls_aggregated.arrived_at,
        calls_aggregated.last_queue_left_at,
        calls_aggregated.ended_at
    from calls_aggregated
    inner join stints_ordered as first_stints
        on
            calls_aggregated.call_id = first_stints.linked_call_id
            and first_stints.stint_order = 1
    inner join stints_ordered as last_stints
        on
            calls_aggregated.call_id = last_stints.linked_call_id
            and last_stints.reverse_stint_order = 1
    inner join stints_ordered as handling_stints
        on
            calls_aggregated.call_id = handling_stints.linked_call_id
            and handling_stints.handling_order = 1
),

int_crm_contact_phones as (
    select
        phone_e164,
        contact_id
    from {{ ref('int_crm_contact_phones') }}
),

int_queue_log_data_end as (
    select data_end_at from {{ ref('int_queue_log_data_end') }}
),

calls_with_customer as (
    select
        calls_with_ends.*,
        case
            when not calls_with_ends.is_test_call
                then {{ phone_e164('calls_with_ends.caller_number') }}
        end as customer_phone_e164
    from calls_with_ends
),

calls_with_customer_key as (
    select
        calls_with_customer.*,
        case
            when int_crm_contact_phones.contact_id is not null
                then 'crm:' || int_crm_contact_phones.contact_id
            when calls_with_customer.customer_phone_e164 is not null
                then 'tel:' || calls_with_customer.customer_phone_e164
        end as customer_key
    from calls_with_customer
    left join int_crm_contact_phones
        on calls_with_customer.customer_phone_e164 = int_crm_contact_phones.phone_e164
),

next_customer_calls as (
    select
        earlier_calls.call_id,
        min(later_calls.arrived_at) as next_customer_call_at
    from calls_with_customer_key as earlier_calls
    inner join calls_with_customer_key as later_calls
        on
            earlier_calls.customer_key = later_calls.customer_key
            and earlier_calls.ended_at < later_calls.arrived_at
            and later_calls.arrived_at
            <= {{ dbt.dateadd('day', var('repeat_window_days'), 'earlier_calls.ended_at') }}
    group by 1
),

calls_with_repeat as (
    select
        calls_with_customer_key.*,
        next_customer_calls.next_customer_call_at,
        case
            when calls_with_customer_key.customer_key is null then null
            when
                calls_with_customer_key.ended_at is null
                or {{
                    dbt.dateadd('day', var('repeat_window_days'), 'calls_with_customer_key.ended_at')
                }}
                > (select int_queue_log_data_end.data_end_at from int_queue_log_data_end)
                then 'pending'
            when next_customer_calls.call_id is not null then 'repeat'
            else 'not_repeat'
        end as repeat_status
    from calls_with_customer_key
    left join next_customer_calls
        on calls_with_customer_key.call_id = next_customer_calls.call_id
),

calls_with_fcr as (
    select
        *,
        case
            when not is_answered or repeat_status is null then null
            when repeat_status = 'pending' then 'pending'
            when transfer_count > 0 or repeat_status = 'repeat' then 'not_resolved'
            else 'resolved'
        end as fcr_status
    from calls_with_repeat
)

select * from calls_with_fcr
