{#- Start of the 15-minute interval holding a timestamp. Applied to UTC instants: every
    real zone offset is a whole number of quarter hours, so a UTC quarter is also a local one,
    and the repeated hour of a fall-back day stays four distinct intervals. -#}
{% macro floor_to_15m(ts) -%}
    {{ return(adapter.dispatch('floor_to_15m')(ts)) }}
{%- endmacro %}

{% macro default__floor_to_15m(ts) -%}
    {{ dbt.dateadd('second', '-(' ~ dbt.datediff("cast('2000-01-01' as timestamp)", ts, 'second') ~ ' % 900)', ts) }}
{%- endmacro %}

{% macro duckdb__floor_to_15m(ts) -%}
    time_bucket(interval '15 minutes', {{ ts }}, timestamp '2000-01-01')
{%- endmacro %}
