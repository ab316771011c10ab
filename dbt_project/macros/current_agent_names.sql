{#- Each agent's current name (the CRM User's name now; null for an agent the CRM lacks), as
    a relation of agent_id, agent_name: the name managers read beside the id in the agent
    and call marts, whatever team the rows were in then. -#}
{% macro current_agent_names() -%}
    select
        agent_id,
        max(agent_name) as agent_name
    from {{ ref('dim_agents') }}
    where is_current
    group by 1
{%- endmacro %}
