{#- The build's clock as a naive UTC timestamp (a macro so that unit tests can pin it). -#}
{% macro clock_now_utc() -%}
    cast(current_timestamp at time zone 'UTC' as timestamp)
{%- endmacro %}
