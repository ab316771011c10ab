{#- The agent tenure bands of the satisfaction drivers, defined here only: (name, below this
    many days, display label), the last one open (none). -#}
{% macro agent_tenure_bands() -%}
    {{ return([('under_90d', 90, '< 90 days'), ('90d_1y', 365, '90 days – 1 year'),
               ('1y_2y', 730, '1–2 years'), ('over_2y', none, 'over 2 years')]) }}
{%- endmacro %}
