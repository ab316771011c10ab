{#- Where an agent's login or pause still open at the end of the data ends (var
    agent_open_span_end): at the newest event of the source (`data`, the default: the figures
    of a closed log do not change with the hour they are built at) or now (`clock`: a live
    center, whose agents are still logged in; never before the newest event). -#}
{% macro agent_open_span_end(data_end_at) -%}
    {%- if var('agent_open_span_end') == 'clock' -%}
        greatest({{ data_end_at }}, {{ clock_now_utc() }})
    {%- else -%}
        {{ data_end_at }}
    {%- endif -%}
{%- endmacro %}
