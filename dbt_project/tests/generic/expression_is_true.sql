{#- Fails on every row where the SQL boolean `expression` is not true (dbt_utils' test of
    the same name, which cannot be installed here). -#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where not ({{ expression }})

{% endtest %}
