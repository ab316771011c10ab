{#- The customer-experience KPIs (metric contract, customer KPIs) of non-test calls grouped by
    `dimensions`, columns of the calls as enriched here: the fct_calls columns, queue_id (the
    last queue), agent_id / team_id / team_name (the agent who handled the call last and that
    agent's team at the call), the satisfaction drivers contact_type (the Type of the CRM case
    logged on the call, 'No case' without one), wait_band (all the call's waits summed) and
    agent_tenure_band (from the CRM User's CreatedDate, the hire date), customer_source (crm,
    phone, or withheld for calls without a customer) and the dim_customers columns
    `customer_columns` names. Each band has a display label and a sort key beside its name
    (wait_band_label, wait_band_order, agent_tenure_band_label, _order). Additive counts and sums only: every rate is a dataset metric.
    Survey and complaint counts go to the call they are about. -#}
{% macro cx_kpis(dimensions, customer_columns=[]) %}
{%- set tenure_bands = agent_tenure_bands() %}

with

fct_calls as (
    select * from {{ ref('fct_calls') }}
    where not is_test_call
),

dim_customers as (
    select customer_key, customer_source{% for column in customer_columns %}, {{ column }}{% endfor %}
    from {{ ref('dim_customers') }}
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
        fct_calls.last_queue_id as queue_id,
        fct_calls.handling_agent_id as agent_id,
        fct_calls.handling_team_id as team_id,
        fct_calls.handling_team_name as team_name,
        coalesce(dim_customers.customer_source, 'withheld') as customer_source,
        {%- for column in customer_columns %}
        dim_customers.{{ column }},
        {%- endfor %}
        coalesce(fct_cases.contact_type, 'No case') as contact_type,
        {{ wait_band('fct_calls.total_wait_seconds') }} as wait_band,
        {{ wait_band('fct_calls.total_wait_seconds', 'label') }} as wait_band_label,
        {{ wait_band('fct_calls.total_wait_seconds', 'order') }} as wait_band_order,
        {%- for part, suffix in [('name', ''), ('label', '_label'), ('order', '_order')] %}
        case
            when fct_calls.handling_agent_tenure_days is null then null
            {%- for band in tenure_bands if band[1] is not none %}
            when fct_calls.handling_agent_tenure_days < {{ band[1] }} then
                {%- if part == 'order' %} {{ loop.index }}
                {%- else %} '{{ band[0] if part == 'name' else band[2] }}'{% endif %}
            {%- endfor %}
            else {% if part == 'order' %}{{ tenure_bands | length }}
            {%- else %}'{{ tenure_bands[-1][0] if part == 'name' else tenure_bands[-1][2] }}'
            {%- endif %}
        end as agent_tenure_band{{ suffix }},
        {%- endfor %}
        coalesce(fct_cases.complaint_count, 0) as complaint_count
    from fct_calls
    left join fct_cases
        on fct_calls.call_id = fct_cases.call_id
    left join dim_customers
        on fct_calls.customer_key = dim_customers.customer_key
),

{%- set survey_counts = [
    'survey_response_count', 'survey_resolved_answer_count', 'survey_resolved_count',
    'csat_response_count', 'csat_top2_count', 'csat_score_sum', 'nps_response_count',
    'nps_promoter_count', 'nps_detractor_count', 'ces_response_count', 'ces_score_sum'
] %}

calls_grouped as (
    select
        {%- for dimension in dimensions %}
        calls_with_drivers.{{ dimension }},
        {%- endfor %}
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
    group by {% for dimension in dimensions %}{{ loop.index }}{{ ', ' if not loop.last }}{% endfor %}
)

select * from calls_grouped

{% endmacro %}
