{#- Typed reads of a CRM record's fields (stg_crm__records.fields_json holds every non-empty
    column of the export, known or custom, by its Salesforce API name). Timestamps without an
    offset are read as UTC, as Salesforce writes them. -#}
{% macro crm_text(field_name) -%}
    json_extract_string(fields_json, '$."{{ field_name }}"')
{%- endmacro %}

{% macro crm_timestamp(field_name) -%}
    cast(try_cast({{ crm_text(field_name) }} as timestamptz) at time zone 'UTC' as timestamp)
{%- endmacro %}

{% macro crm_date(field_name) -%}
    try_cast(left({{ crm_text(field_name) }}, 10) as date)
{%- endmacro %}

{% macro crm_boolean(field_name) -%}
    lower({{ crm_text(field_name) }}) in ('true', '1')
{%- endmacro %}

{#- The custom fields the center config declares for a CRM object (var `crm_custom_fields`),
    as (field API name, column name) pairs; columns are <prefix>_<field without __c, lower
    case>: Account Tier__c -> account_tier. -#}
{% macro crm_custom_fields(crm_object, prefix) -%}
    {%- set pairs = [] %}
    {%- for field_name in var('crm_custom_fields').get(crm_object, []) %}
        {%- do pairs.append((field_name, prefix ~ '_' ~ field_name | lower | replace('__c', ''))) %}
    {%- endfor %}
    {{- return(pairs) }}
{%- endmacro %}

{#- Those custom fields read from fields_json, each followed by a comma. -#}
{% macro crm_custom_columns(crm_object, prefix) -%}
    {%- for field_name, column_name in crm_custom_fields(crm_object, prefix) %}
    {{ crm_text(field_name) }} as {{ column_name }},
    {%- endfor %}
{%- endmacro %}
