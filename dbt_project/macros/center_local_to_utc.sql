{#- Naive wall-clock timestamp in the center's zone (var `timezone`) -> naive UTC: the
    instant a local midnight or interval start is. DST-safe through the zone database. -#}
{% macro center_local_to_utc(ts_local) -%}
    {{ return(adapter.dispatch('center_local_to_utc')(ts_local)) }}
{%- endmacro %}

{% macro default__center_local_to_utc(ts_local) -%}
    convert_timezone('{{ var("timezone") }}', 'UTC', {{ ts_local }})
{%- endmacro %}

{% macro duckdb__center_local_to_utc(ts_local) -%}
    timezone('UTC', timezone('{{ var("timezone") }}', {{ ts_local }}))
{%- endmacro %}
