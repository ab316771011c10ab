{#- The metric contract's wait bands (seconds, inclusive), and over_300 above the last. -#}
{% macro contract_wait_bands() -%}
    {{ return([('0_15', 0, 15), ('16_30', 16, 30), ('31_60', 31, 60), ('61_120', 61, 120),
               ('121_300', 121, 300)]) }}
{%- endmacro %}

{#- The band a wait in seconds falls in, as its name ('0_15' ... 'over_300'). -#}
{% macro wait_band(seconds) -%}
    case
        {%- for band, low, high in contract_wait_bands() %}
        when {{ seconds }} <= {{ high }} then '{{ band }}'
        {%- endfor %}
        else 'over_300'
    end
{%- endmacro %}
