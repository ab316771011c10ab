{#- A type-2 dimension's row valid at a moment: its half-open period [valid_from, valid_to)
    holds the timestamp `ts` (a join condition). -#}
{% macro valid_at(dimension, ts) -%}
    {{ ts }} >= {{ dimension }}.valid_from and {{ ts }} < {{ dimension }}.valid_to
{%- endmacro %}
