{#- The center config's interface -> agent map (var agent_interfaces) as a relation with
    columns agent_interface, agent_id. Always yields the column set, even when empty. -#}
{% macro configured_agent_interfaces() -%}
    select
        cast(null as {{ dbt.type_string() }}) as agent_interface,
        cast(null as {{ dbt.type_string() }}) as agent_id
    where 1 = 0
    {%- for mapping in var('agent_interfaces') %}
    union all
    select
        '{{ mapping.interface | replace("'", "''") }}',
        '{{ mapping.agent_id | replace("'", "''") }}'
    {%- endfor %}
{%- endmacro %}
