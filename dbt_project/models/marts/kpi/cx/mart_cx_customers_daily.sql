{#- The customer-experience KPIs per local day of the call's arrival, queue and customer
    segment: CRM contact, phone-only caller or withheld, and the account and contact custom
    fields the center config declares (crm.custom_fields: finance risk level, e-commerce
    member level ...), which become columns here with no code change (macro cx_kpis). -#}
{%- set custom_columns = [] %}
{%- for crm_object, prefix in [('Account', 'account'), ('Contact', 'contact')] %}
    {%- for _, column_name in crm_custom_fields(crm_object, prefix) %}
        {%- do custom_columns.append(column_name) %}
    {%- endfor %}
{%- endfor %}

{{ cx_kpis(['arrival_date', 'queue_id', 'customer_source'] + custom_columns, custom_columns) }}
