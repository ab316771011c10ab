{#- A text field (queue_log data1..data5) as an integer, or null when it is empty or not a
    number: real logs write `CONNECT||...` and `ABANDON` without a wait. dbt.safe_cast is a
    plain cast on DuckDB, which fails on ''. -#}
{% macro integer_or_null(expression) -%}
    {{ return(adapter.dispatch('integer_or_null')(expression)) }}
{%- endmacro %}

{% macro default__integer_or_null(expression) -%}
    {{ dbt.safe_cast("nullif(trim(" ~ expression ~ "), '')", api.Column.translate_type("integer")) }}
{%- endmacro %}

{% macro duckdb__integer_or_null(expression) -%}
    try_cast(nullif(trim({{ expression }}), '') as integer)
{%- endmacro %}
