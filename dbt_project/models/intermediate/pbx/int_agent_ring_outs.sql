{#- Calls an agent let ring out (RINGNOANSWER): RONA, for the agent answer rate. -#}

select
    agent_id,
    call_id,
    queue_id,
    event_at
from {{ ref('stg_pbx__queue_log') }}
where event_type = 'RINGNOANSWER' and agent_id is not null
