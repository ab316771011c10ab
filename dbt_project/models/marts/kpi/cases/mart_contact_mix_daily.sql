{#- Contact-type and channel mix: CRM cases per local day of creation, channel (Origin:
    phone, email, web, chat, social) and contact type (Type). `contact_type_group` keeps the
    `contact_type_top_n` most frequent types over all the data and puts the rest in Other,
    so that a pie stays readable; `contact_type` keeps every type for drilling. -#}

with

fct_cases as (
    select * from {{ ref('fct_cases') }}
),

contact_types_ranked as (
    select
        contact_type,
        row_number() over (order by count(*) desc, contact_type) as contact_type_rank
    from fct_cases
    group by 1
),

cases_daily as (
    select
        fct_cases.created_date,
        fct_cases.channel,
        case
            when contact_types_ranked.contact_type_rank <= {{ var('contact_type_top_n') }}
                then fct_cases.contact_type
            else 'Other'
        end as contact_type_group,
        fct_cases.contact_type,
        count(*) as case_count,
        count(case when fct_cases.is_complaint then 1 end) as complaint_count,
        count(fct_cases.call_id) as call_linked_case_count
    from fct_cases
    inner join contact_types_ranked
        on fct_cases.contact_type = contact_types_ranked.contact_type
    group by 1, 2, 3, 4
)

select * from cases_daily
