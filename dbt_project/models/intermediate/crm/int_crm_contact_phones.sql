{#- Which CRM contact a phone number belongs to: the Phone and MobilePhone of every current
    (not deleted) contact in E.164. A number two contacts share goes to the one modified
    last (a household's landline follows its most recent record). -#}

with

int_crm_records_latest as (
    select * from {{ ref('int_crm_records_latest') }}
    where crm_object = 'Contact' and not is_deleted
),

phones as (
    select
        crm_record_id as contact_id,
        {{ phone_e164(crm_text('Phone')) }} as phone_e164,
        version_at
    from int_crm_records_latest
    union all
    select
        crm_record_id,
        {{ phone_e164(crm_text('MobilePhone')) }},
        version_at
    from int_crm_records_latest
),

phones_ranked as (
    select
        *,
        row_number() over (
            partition by phone_e164 order by version_at desc, contact_id asc
        ) as owner_rank
    from phones
    where phone_e164 is not null
)

select
    phone_e164,
    contact_id
from phones_ranked
where owner_rank = 1
