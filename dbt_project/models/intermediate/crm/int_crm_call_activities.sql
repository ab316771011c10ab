{#- CRM call activities (current Tasks with a CallObject): which call, by the PBX uniqueid the
    CTI wrote, an activity was logged on, and what it was about (WhatId: a Case or an
    Opportunity). -#}

select
    crm_record_id as task_id,
    {{ crm_text('CallObject') }} as call_leg_id,
    {{ crm_text('WhoId') }} as who_id,
    {{ crm_text('WhatId') }} as what_id,
    {{ crm_text('OwnerId') }} as owner_user_id,
    {{ crm_text('CallType') }} as call_type,
    {{ crm_text('CallDisposition') }} as call_disposition,
    try_cast({{ crm_text('CallDurationInSeconds') }} as integer) as call_duration_seconds,
    {{ crm_date('ActivityDate') }} as activity_date
from {{ ref('int_crm_records_latest') }}
where
    crm_object = 'Task'
    and not is_deleted
    and {{ crm_text('CallObject') }} is not null
