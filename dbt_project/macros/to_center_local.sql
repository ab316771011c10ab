{#- Naive UTC timestamp -> naive wall-clock timestamp in the center's zone (var `timezone`).
    DST-safe: the zone database decides the offset of each instant. -#}
{% macro to_center_local(ts_utc) -%}
    {{ return(adapter.dispatch('to_center_local')(ts_utc)) }}
{%- endmacro %}

{% macro default__to_center_local(ts_utc) -%}
    convert_timezone('UTC', '{{ var("timezone") }}', {{ ts_utc }})
{%- endmacro %}

{% macro duckdb__to_center_local(ts_utc) -%}
    timezone('{{ var("timezone") }}', timezone('UTC', {{ ts_utc }}))
{%- endmacro %}
