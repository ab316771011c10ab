{#- The interfaces the queue_log names queue members by, with the agent each is tied to and
    how (int_agent_interfaces); is_mapped false: no known agent, its events counted here. -#}

select
    agent_interface,
    agent_id,
    mapped_by,
    is_mapped,
    cast(event_count as {{ dbt.type_bigint() }}) as event_count
from {{ ref('int_agent_interfaces') }}
