{#- The trunk a CDR channel belongs to: 'PJSIP/trunk-a-0000001f' -> 'trunk-a'. Null for an
    agent's or phone's channel (its name is an extension: all digits) and for Local channels,
    which are no line to the outside. -#}
{% macro trunk_of(channel) -%}
    {%- set name = "regexp_extract(" ~ channel ~ ", '^[^/]+/(.+)-[0-9a-fA-F]+$', 1)" %}
    case
        when {{ channel }} like 'Local/%' or {{ name }} = '' then null
        when regexp_full_match({{ name }}, '[0-9]+') then null
        else {{ name }}
    end
{%- endmacro %}
