{#- The metric contract's wait bands, defined here only: (name, low, high) in whole seconds,
    inclusive, the last one open (high none). The queue KPI marts count answered stints per
    band as answered_wait_<name>_count; Python (the GE suites, tests) reads the bands from
    those columns in dbt's manifest. -#}
{% macro contract_wait_bands() -%}
    {{ return([('0_15', 0, 15), ('16_30', 16, 30), ('31_60', 31, 60), ('61_120', 61, 120),
               ('121_300', 121, 300), ('over_300', 301, none)]) }}
{%- endmacro %}

{#- The band a wait in seconds falls in, as its name ('0_15' ... 'over_300'). -#}
{% macro wait_band(seconds) -%}
    case
        {%- for band, low, high in contract_wait_bands() if high is not none %}
        when {{ seconds }} <= {{ high }} then '{{ band }}'
        {%- endfor %}
        else '{{ contract_wait_bands()[-1][0] }}'
    end
{%- endmacro %}
