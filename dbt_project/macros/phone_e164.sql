{#- A phone number as written by a PBX or a CRM -> E.164 ('+15551234567'), or null when it
    names no reachable customer: withheld ('anonymous', 'Restricted', empty) or an internal
    extension (fewer than 7 digits). A number with + or 00 already carries its country code;
    a national number gets the center's (var `phone_country_code`), its national trunk prefix
    (var `phone_trunk_prefix`: 1 in NANP, 0 in most of Europe) dropped. -#}
{% macro phone_e164(phone) -%}
    {%- set digits = "regexp_replace(" ~ phone ~ ", '[^0-9]', '', 'g')" %}
    {%- set trunk = var('phone_trunk_prefix') %}
    case
        when length({{ digits }}) < 7 or {{ digits }} is null then null
        when trim({{ phone }}) like '+%' then '+' || {{ digits }}
        when {{ digits }} like '00%' then '+' || substr({{ digits }}, 3)
        {%- if trunk %}
        when {{ digits }} like '{{ trunk }}%'
            then '+{{ var("phone_country_code") }}' || substr({{ digits }}, {{ trunk | length + 1 }})
        {%- endif %}
        else '+{{ var("phone_country_code") }}' || {{ digits }}
    end
{%- endmacro %}
