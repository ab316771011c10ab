{#- The outbound funnel's additive counts (metric contract, outbound KPIs) of
    fct_outbound_attempts grouped by `dimensions`, its columns: dials, answers, machine
    answers, connects, intent, conversions (converted, not converted, pending), revenue (and
    its part whose attribution window is still open) and billed seconds. -#}
{% macro outbound_funnel(dimensions) %}
select
    {%- for dimension in dimensions %}
    {{ dimension }},
    {%- endfor %}
    count(*) as dial_count,
    count(case when disposition = 'ANSWERED' then 1 end) as answered_count,
    count(case when is_machine_answer then 1 end) as machine_answer_count,
    count(case when is_connect then 1 end) as connect_count,
    count(case when is_intent then 1 end) as intent_count,
    count(case when conversion_status = 'converted' then 1 end) as conversion_count,
    count(case when conversion_status = 'not_converted' then 1 end) as not_converted_count,
    count(case when conversion_status = 'pending' then 1 end) as conversion_pending_count,
    cast(coalesce(sum(revenue), 0) as decimal(18, 2)) as revenue,
    cast(
        coalesce(sum(case when is_attribution_open then revenue end), 0) as decimal(18, 2)
    ) as open_window_revenue,
    cast(sum(billed_seconds) as {{ dbt.type_bigint() }}) as billed_seconds
from {{ ref('fct_outbound_attempts') }}
group by {% for dimension in dimensions %}{{ loop.index }}{{ ', ' if not loop.last }}{% endfor %}
{% endmacro %}
