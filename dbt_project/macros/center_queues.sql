{#- The per-queue settings of the center config (var `queues`) as a relation with columns
    queue_id, sl_threshold_seconds, sl_variant, team_name. Always yields the column set, even when empty. -#}
{% macro center_queues() -%}
    select
        cast(null as {{ dbt.type_string() }}) as queue_id,
        cast(null as {{ dbt.type_int() }}) as sl_threshold_seconds,
        cast(null as {{ dbt.type_string() }}) as sl_variant,
        cast(null as {{ dbt.type_string() }}) as team_name
    where 1 = 0
    {%- for queue in var('queues') %}
    union all
    select
        '{{ queue.queue_id }}',
        {{ queue.sl_threshold_s | int }},
        '{{ queue.sl_variant }}',
        '{{ queue.team | replace("'", "''") }}'
    {%- endfor %}
{%- endmacro %}
