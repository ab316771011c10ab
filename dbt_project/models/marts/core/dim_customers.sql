{#- Customers: CRM contacts (current, not deleted) with their account and the custom fields
    the center config declares, and callers the CRM does not know, identified by their
    number in E.164, with their calls as int_calls_stitched (and so fct_calls) keys them: the
    contact whose Phone or MobilePhone matches the caller's number, else 'tel:' + that
    number; withheld numbers and test calls belong to no customer. -#}

with

contacts as (
    select * from {{ ref('int_crm_records_latest') }}
    where crm_object = 'Contact' and not is_deleted
),

accounts as (
    select * from {{ ref('int_crm_records_latest') }}
    where crm_object = 'Account' and not is_deleted
),

int_calls_stitched as (
    select
        customer_key,
        customer_phone_e164,
        arrived_at
    from {{ ref('int_calls_stitched') }}
    where customer_key is not null
),

calls_per_customer as (
    select
        customer_key,
        min(customer_phone_e164) as phone_e164,
        count(*) as call_count,
        min(arrived_at) as first_call_at,
        max(arrived_at) as last_call_at
    from int_calls_stitched
    group by 1
),

contact_fields as (
    select
        'crm:' || crm_record_id as customer_key,
        crm_record_id as contact_id,
        {{ crm_text('AccountId') }} as account_id,
        {{ crm_text('Name') }} as contact_name,
        {{ phone_e164(crm_text('Phone')) }} as phone_e164,
        {{ phone_e164(crm_text('MobilePhone')) }} as mobile_phone_e164,
        {{ crm_custom_columns('Contact', 'contact') }}
        version_at as crm_modified_at
    from contacts
),

account_fields as (
    select
        crm_record_id as account_id,
        {{ crm_custom_columns('Account', 'account') }}
        {{ crm_text('Name') }} as account_name,
        {{ crm_text('Type') }} as account_type,
        {{ crm_text('Industry') }} as industry
    from accounts
),

crm_customers as (
    select
        contact_fields.customer_key,
        'crm' as customer_source,
        contact_fields.contact_id,
        contact_fields.contact_name,
        contact_fields.phone_e164,
        contact_fields.mobile_phone_e164,
        contact_fields.account_id,
        account_fields.account_name,
        account_fields.account_type,
        account_fields.industry,
        {%- for _, column_name in crm_custom_fields('Account', 'account') %}
        account_fields.{{ column_name }},
        {%- endfor %}
        {%- for _, column_name in crm_custom_fields('Contact', 'contact') %}
        contact_fields.{{ column_name }},
        {%- endfor %}
        contact_fields.crm_modified_at
    from contact_fields
    left join account_fields
        on contact_fields.account_id = account_fields.account_id
),

customers as (
    select
        crm_customers.*,
        coalesce(calls_per_customer.call_count, 0) as call_count,
        calls_per_customer.first_call_at,
        calls_per_customer.last_call_at
    from crm_customers
    left join calls_per_customer
        on crm_customers.customer_key = calls_per_customer.customer_key
    union all by name
    select
        calls_per_customer.customer_key,
        'phone' as customer_source,
        calls_per_customer.phone_e164,
        calls_per_customer.call_count,
        calls_per_customer.first_call_at,
        calls_per_customer.last_call_at
    from calls_per_customer
    where calls_per_customer.customer_key like 'tel:%'
)

select * from customers
