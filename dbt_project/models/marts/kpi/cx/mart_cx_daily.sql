{#- The customer-experience KPIs (metric contract, customer KPIs) per local day of the call's
    arrival, the queue it ended in, and the agent who handled it last with that agent's team
    at the time; and the satisfaction drivers as dimensions of the same rows: the call's
    contact type (its CRM case's Type, 'No case' without one), wait band (all its queues'
    waits summed) and the agent's tenure band at the call (from the CRM User's CreatedDate,
    the hire date). Additive counts and sums only, the rates are the dataset metrics. Test
    calls are left out. Survey and complaint counts go to the call they are about. -#}

with

fct_calls as (
    select * from {{ ref('fct_calls') }}
    where not is_test_call
),

fct_survey_responses as (
    select
        call_id,
        count(*) as survey_response_count,
        count(is_resolved) as survey_resolved_answer_count,
        count(case when is_resolved then 1 end) as survey_resolved_count,
        count(csat_score) as csat_response_count,
        count(case when is_csat_top2 then 1 end) as csat_top2_count,
        sum(csat_score) as csat_score_sum,
        count(nps_score) as nps_response_count,
        count(case when nps_category = 'promoter' then 1 end) as nps_promoter_count,
        count(case when nps_category = 'detractor' then 1 end) as nps_detractor_count,
        count(ces_score) as ces_response_count,
        sum(ces_score) as ces_score_sum
    from {{ ref('fct_survey_responses') }}
    group by 1
),

fct_cases as (
    select
        call_id,
        min(contact_type) as contact_type,
        count(case when is_complaint then 1 end) as complaint_count
    from {{ ref('fct_cases') }}
    where call_id is not null
    group by 1
),

calls_with_drivers as (
    select
        fct_calls.*,
        coalesce(fct_cases.contact_type, 'No case') as contact_type,
        {{ wait_band('fct_calls.total_wait_seconds') }} as wait_band,
        case
            when fct_calls.handling_agent_tenure_days is null then null
            when fct_calls.handling_agent_tenure_days < 90 then 'under_90d'
            when fct_calls.handling_agent_tenure_days < 365 then '90d_1y'
            when fct_calls.handling_agent_tenure_days < 730 then '1y_2y'
            else 'over_2y'
        end as agent_tenure_band,
        coalesce(fct_cases.complaint_count, 0) as complaint_count
    from fct_calls
    left join fct_cases
        on fct_calls.call_id = fct_cases.call_id
),

{%- set survey_counts = [
    'survey_response_count', 'survey_resolved_answer_count', 'survey_resolved_count',
    'csat_response_count', 'csat_top2_count', 'csat_score_sum', 'nps_response_count',
    'nps_promoter_count', 'nps_detractor_count', 'ces_response_count', 'ces_score_sum'
] %}

calls_daily as (
    select
        calls_with_drivers.arrival_date,
        calls_with_drivers.last_queue_id as queue_id,
        calls_with_drivers.handling_agent_id as agent_id,
        calls_with_drivers.handling_team_id as team_id,
        calls_with_drivers.handling_team_name as team_name,
        calls_with_drivers.contact_type,
        calls_with_drivers.wait_band,
        calls_with_drivers.agent_tenure_band,
        count(*) as call_count,
        count(calls_with_drivers.customer_key) as identified_call_count,
        count(case when calls_with_drivers.repeat_status = 'repeat' then 1 end) as repeat_count,
        count(case when calls_with_drivers.repeat_status = 'not_repeat' then 1 end) as not_repeat_count,
        count(case when calls_with_drivers.repeat_status = 'pending' then 1 end) as repeat_pending_count,
        count(case when calls_with_drivers.is_answered then 1 end) as handled_count,
        count(case when calls_with_drivers.fcr_status = 'resolved' then 1 end) as fcr_resolved_count,
        count(case when calls_with_drivers.fcr_status = 'not_resolved' then 1 end)
        as fcr_not_resolved_count,
        count(case when calls_with_drivers.fcr_status = 'pending' then 1 end) as fcr_pending_count,
        {%- for column in survey_counts %}
        cast(coalesce(sum(fct_survey_responses.{{ column }}), 0) as {{ dbt.type_bigint() }})
        as {{ column }},
        {%- endfor %}
        cast(sum(calls_with_drivers.complaint_count) as {{ dbt.type_bigint() }}) as complaint_count
    from calls_with_drivers
    left join fct_survey_responses
        on calls_with_drivers.call_id = fct_survey_responses.call_id
    group by 1, 2, 3, 4, 5, 6, 7, 8
)

select * from calls_daily
