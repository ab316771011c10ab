{#- A list var as the inside of an SQL `in (...)`; `null` for an empty list, so that
    `x in (null)` is never true. Quotes are doubled, never interpolated raw. -#}
{% macro sql_string_list(values) -%}
    {%- if values | length == 0 -%}
        null
    {%- else -%}
        {%- for value in values -%}
            '{{ value | string | replace("'", "''") }}'{{ "," if not loop.last }}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
