{#- Calls an agent let ring out (RINGNOANSWER): RONA, for the agent answer rate. -#}

select
    agent_id,
    call_id,
    queue_id,
    event_at
from {{ ref('int_agent_events') }}
where event_type = 'RINGNOANSWER'
