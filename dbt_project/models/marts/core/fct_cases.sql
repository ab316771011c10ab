{#- CRM cases (current, not deleted): contact type (Type), reason, channel (Origin) and the
    call they were logged on. A case is linked to a call when a call activity (Task) names
    the case (WhatId) and the call's PBX uniqueid (CallObject); a uniqueid of another leg of
    the call is mapped to the call through the CDR's linkedid. With several such calls the
    first one counts. A complaint is a case whose Type is Complaint. -#}

with

cases as (
    select * from {{ ref('int_crm_records_latest') }}
    where crm_object = 'Case' and not is_deleted
),

int_crm_call_activities as (
    select
        what_id,
        call_leg_id
    from {{ ref('int_crm_call_activities') }}
),

int_call_legs_linked as (
    select
        call_leg_id,
        linked_call_id
    from {{ ref('int_call_legs_linked') }}
),

fct_calls as (
    select
        call_id,
        arrived_at
    from {{ ref('fct_calls') }}
),

case_calls_ranked as (
    select
        int_crm_call_activities.what_id as case_id,
        fct_calls.call_id,
        row_number() over (
            partition by int_crm_call_activities.what_id
            order by fct_calls.arrived_at, fct_calls.call_id
        ) as call_rank
    from int_crm_call_activities
    left join int_call_legs_linked
        on int_crm_call_activities.call_leg_id = int_call_legs_linked.call_leg_id
    inner join fct_calls
        on
            coalesce(int_call_legs_linked.linked_call_id, int_crm_call_activities.call_leg_id)
            = fct_calls.call_id
),

case_fields as (
    select
        crm_record_id as case_id,
        {{ crm_text('ContactId') }} as contact_id,
        {{ crm_text('AccountId') }} as account_id,
        {{ crm_text('OwnerId') }} as owner_user_id,
        coalesce({{ crm_text('Type') }}, 'Unspecified') as contact_type,
        {{ crm_text('Reason') }} as case_reason,
        {{ crm_text('Origin') }} as origin,
        {{ crm_text('Status') }} as case_status,
        {{ crm_text('Priority') }} as case_priority,
        {{ crm_custom_columns('Case', 'case') }}
        {{ crm_timestamp('CreatedDate') }} as created_at,
        {{ crm_timestamp('ClosedDate') }} as closed_at
    from cases
),

cases_with_call as (
    select
        case_fields.*,
        case
            when case_fields.contact_id is not null then 'crm:' || case_fields.contact_id
        end as customer_key,
        {#- Channels as contact centers report them; other origins keep their own name. #}
        case
            when lower(case_fields.origin) in ('phone', 'call', 'voice') then 'phone'
            when lower(case_fields.origin) in ('email', 'e-mail', 'mail') then 'email'
            when lower(case_fields.origin) in ('web', 'web form', 'portal') then 'web'
            when lower(case_fields.origin) in ('chat', 'live chat', 'messaging') then 'chat'
            when lower(case_fields.origin) in ('social', 'facebook', 'twitter', 'x')
                then 'social'
            when case_fields.origin is null then 'unknown'
            else lower(case_fields.origin)
        end as channel,
        lower(case_fields.contact_type) = 'complaint' as is_complaint,
        case_calls_ranked.call_id,
        {{ to_center_local('case_fields.created_at') }} as created_at_local
    from case_fields
    left join case_calls_ranked
        on
            case_fields.case_id = case_calls_ranked.case_id
            and case_calls_ranked.call_rank = 1
)

select
    *,
    cast(created_at_local as date) as created_date
from cases_with_call
