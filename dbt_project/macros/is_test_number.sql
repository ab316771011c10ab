{#- Whether a caller number is one of the center's test numbers (var `test_numbers`). -#}
{% macro is_test_number(caller_number) -%}
    coalesce({{ caller_number }} in ({{ sql_string_list(var('test_numbers')) }}), false)
{%- endmacro %}
