{#- Stitches queue stints into customer calls: a blind transfer keeps the caller's uniqueid, an
    attended transfer was joined upstream (int_queue_stints_transfers_joined), and the CDR's
    linkedid ties legs with different uniqueids (int_call_legs_linked). -#}

with

fct_queue_stints as (
    select
        stint_id,
        call_id,
        queue_id,
        agent_id,
        caller_number,
        outcome,
        wait_seconds,
        is_transferred,
        is_test_call,
        arrived_at,
        queue_left_at
    from {{ ref('fct_queue_stints') }}
),

int_call_legs_linked as (
    select call_leg_id, linked_call_id from {{ ref('int_call_legs_linked') }}
),

stints_with_call as (
    select
        fct_queue_stints.*,
        coalesce(int_call_legs_linked.linked_call_id, fct_queue_stints.call_id) as linked_call_id
    from fct_queue_stints
    left join int_call_legs_linked
        on fct_queue_stints.call_id = int_call_legs_linked.call_leg_id
),

stints_ordered as (
    select
        *,
        row_number() over (
            partition by linked_call_id order by arrived_at, stint_id
        ) as stint_order,
        row_number() over (
            partition by linked_call_id order by arrived_at desc, stint_id desc
        ) as reverse_stint_order
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
        max(queue_left_at) as last_queue_left_at
    from stints_ordered
    group by 1
),

calls_with_ends as (
    select
        calls_aggregated.call_id,
        first_stints.queue_id as first_queue_id,
        last_stints.queue_id as last_queue_id,
        last_stints.agent_id as last_agent_id,
        first_stints.caller_number,
        last_stints.outcome as final_outcome,
        calls_aggregated.queue_stint_count,
        calls_aggregated.transfer_count,
        calls_aggregated.answered_stint_count,
        calls_aggregated.total_wait_seconds,
        calls_aggregated.answered_stint_count > 0 as is_answered,
        calls_aggregated.is_test_call,
        calls_aggregated.arrived_at,
        calls_aggregated.last_queue_left_at
    from calls_aggregated
    inner join stints_ordered as first_stints
        on
            calls_aggregated.call_id = first_stints.linked_call_id
            and first_stints.stint_order = 1
    inner join stints_ordered as last_stints
        on
            calls_aggregated.call_id = last_stints.linked_call_id
            and last_stints.reverse_stint_order = 1
),

calls_with_local_time as (
    select
        *,
        {{ to_center_local('arrived_at') }} as arrived_at_local
    from calls_with_ends
),

calls_with_local_date as (
    select
        *,
        cast(arrived_at_local as date) as arrival_date
    from calls_with_local_time
)

select * from calls_with_local_date
