{#- Naive wall-clock timestamp written by the PBX (CDR start/answer/end) -> naive UTC, using
    the PBX's zone (var `pbx_timezone`). In the repeated hour of a fall-back night the zone
    database picks one of the two instants; the PBX wrote nothing that tells which. -#}
{% macro pbx_local_to_utc(ts_local) -%}
    {{ return(adapter.dispatch('pbx_local_to_utc')(ts_local)) }}
{%- endmacro %}

{% macro default__pbx_local_to_utc(ts_local) -%}
    convert_timezone('{{ var("pbx_timezone") }}', 'UTC', {{ ts_local }})
{%- endmacro %}

{% macro duckdb__pbx_local_to_utc(ts_local) -%}
    timezone('UTC', timezone('{{ var("pbx_timezone") }}', {{ ts_local }}))
{%- endmacro %}
