{#- The metric contract's wait bands, defined here only: (name, low, high, label) in whole
    seconds, inclusive, the last one open (high none); the label is what readers see. The
    queue KPI marts count answered stints per band as answered_wait_<name>_count; Python (the
    GE suites, tests) reads the bands from those columns in dbt's manifest. -#}
{% macro contract_wait_bands() -%}
    {{ return([('0_15', 0, 15, '0–15 s'), ('16_30', 16, 30, '16–30 s'),
               ('31_60', 31, 60, '31–60 s'), ('61_120', 61, 120, '1–2 min'),
               ('121_300', 121, 300, '2–5 min'), ('over_300', 301, none, '> 5 min')]) }}
{%- endmacro %}

{#- The band a wait in seconds falls in: its name ('0_15' ... 'over_300'), or with
    `part='label'` its display label ('0–15 s' ... '> 5 min'), with `part='order'` its sort
    key (1 ... 6, shortest first). -#}
{% macro wait_band(seconds, part='name') -%}
    {%- set index = {'name': 0, 'label': 3}.get(part) -%}
    case
        {%- for band in contract_wait_bands() if band[2] is not none %}
        when {{ seconds }} <= {{ band[2] }} then
            {%- if part == 'order' %} {{ loop.index }}{% else %} '{{ band[index] }}'{% endif %}
        {%- endfor %}
        else
            {%- if part == 'order' %} {{ contract_wait_bands() | length }}
            {%- else %} '{{ contract_wait_bands()[-1][index] }}'{% endif %}
    end
{%- endmacro %}
