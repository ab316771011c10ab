{#- The calls an agent handled, for drilling from an agent's KPIs to their calls: the agent
    who answered the call's last answered stint (fct_calls.handling_agent_id), with their
    current name. Per call: the agent's talk (their answered stints, answer to hang-up or
    transfer), their after-call work (wrap-up time between the call's end and their next
    answer), the customer's segment, the survey's CSAT and the CRM case's type. No caller
    number or customer key: the drill-down shows calls, not customers. -#}

with

fct_calls as (
    select
        call_id,
        last_queue_id,
        handling_agent_id,
        handling_team_name,
        handling_site_name,
        customer_key,
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

fct_queue_stints as (
    select
        call_id,
        agent_id,
        queue_left_at,
        ended_at
    from {{ ref('fct_queue_stints') }}
    where outcome = 'answered' and agent_id is not null and not is_test_call
),

fct_agent_state_intervals as (
    select
        agent_id,
        started_at,
        duration_seconds
    from {{ ref('fct_agent_state_intervals') }}
    where agent_state = 'wrap_up'
),

dim_customers as (
    select
        customer_key,
        customer_source
    from {{ ref('dim_customers') }}
),

fct_survey_responses as (
    select
        call_id,
        avg(csat_score) as csat_score
    from {{ ref('fct_survey_responses') }}
    group by 1
),

fct_cases as (
    select
        call_id,
        min(contact_type) as contact_type
    from {{ ref('fct_cases') }}
    where call_id is not null
    group by 1
),

agent_names as (
    {{ current_agent_names() }}
),

{# Each answered stint until the same agent's next answer: the wrap-up in that gap is its ACW. #}
answers as (
    select
        call_id,
        agent_id,
        queue_left_at,
        ended_at,
        lead(queue_left_at) over (partition by agent_id order by queue_left_at)
            as next_answered_at
    from fct_queue_stints
),

answers_with_acw as (
    select
        answers.call_id,
        answers.agent_id,
        {{ dbt.datediff('answers.queue_left_at', 'answers.ended_at', 'second') }}
            as talk_seconds,
        coalesce(sum(fct_agent_state_intervals.duration_seconds), 0) as acw_seconds
    from answers
    left join fct_agent_state_intervals
        on
            answers.agent_id = fct_agent_state_intervals.agent_id
            and answers.ended_at <= fct_agent_state_intervals.started_at
            and (
                answers.next_answered_at is null
                or answers.next_answered_at > fct_agent_state_intervals.started_at
            )
    group by 1, 2, 3
),

handling_by_call as (
    select
        call_id,
        agent_id,
        sum(talk_seconds) as talk_seconds,
        sum(acw_seconds) as acw_seconds
    from answers_with_acw
    group by 1, 2
),

calls_by_agent as (
    select
        fct_calls.call_id,
        fct_calls.last_queue_id as queue_id,
        fct_calls.handling_agent_id as agent_id,
        agent_names.agent_name,
        fct_calls.handling_team_name as team_name,
        fct_calls.handling_site_name as site_name,
        fct_calls.final_outcome,
        fct_calls.repeat_status,
        fct_calls.fcr_status,
        coalesce(dim_customers.customer_source, 'withheld') as customer_source,
        {{ category_label(
            "coalesce(dim_customers.customer_source, 'withheld')", 'customer_source'
        ) }} as customer_source_label,
        coalesce(fct_cases.contact_type, 'No case') as contact_type,
        fct_calls.queue_stint_count,
        fct_calls.transfer_count,
        fct_calls.total_wait_seconds,
        cast(coalesce(handling_by_call.talk_seconds, 0) as {{ dbt.type_bigint() }})
            as talk_seconds,
        cast(coalesce(handling_by_call.acw_seconds, 0) as {{ dbt.type_bigint() }})
            as acw_seconds,
        fct_survey_responses.csat_score,
        fct_calls.arrival_date,
        fct_calls.arrived_at_local,
        {{ category_label('fct_calls.final_outcome', 'final_outcome') }} as final_outcome_label,
        {{ category_label('fct_calls.repeat_status', 'repeat_status') }} as repeat_status_label,
        {{ category_label('fct_calls.fcr_status', 'fcr_status') }} as fcr_status_label
    from fct_calls
    left join agent_names
        on fct_calls.handling_agent_id = agent_names.agent_id
    left join handling_by_call
        on
            fct_calls.call_id = handling_by_call.call_id
            and fct_calls.handling_agent_id = handling_by_call.agent_id
    left join dim_customers
        on fct_calls.customer_key = dim_customers.customer_key
    left join fct_survey_responses
        on fct_calls.call_id = fct_survey_responses.call_id
    left join fct_cases
        on fct_calls.call_id = fct_cases.call_id
)

select * from calls_by_agent
