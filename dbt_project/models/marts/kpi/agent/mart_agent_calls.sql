{#- The calls an agent handled, for drilling from an agent's KPIs to their calls: the agent
    who answered the call's last answered stint (fct_calls.handling_agent_id). No caller
    number or customer key: the drill-down shows calls, not customers. -#}

with

fct_calls as (
    select
        call_id,
        last_queue_id,
        handling_agent_id,
        handling_team_name,
        handling_site_name,
        final_outcome,
        repeat_status,
        fcr_status,
        queue_stint_count,
        transfer_count,
        total_wait_seconds,
        arrival_date,
        arrived_at_local
    from {{ ref('fct_calls') }}
    where handling_agent_id is not null and not is_test_call
),

calls_by_agent as (
    select
        call_id,
        last_queue_id as queue_id,
        handling_agent_id as agent_id,
        handling_team_name as team_name,
        handling_site_name as site_name,
        final_outcome,
        repeat_status,
        fcr_status,
        queue_stint_count,
        transfer_count,
        total_wait_seconds,
        arrival_date,
        arrived_at_local,
        {{ category_label('final_outcome', 'final_outcome') }} as final_outcome_label,
        {{ category_label('repeat_status', 'repeat_status') }} as repeat_status_label,
        {{ category_label('fcr_status', 'fcr_status') }} as fcr_status_label
    from fct_calls
)

select * from calls_by_agent
