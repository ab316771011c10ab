{#- mart_cx_daily for readers outside the contact center (product, sales): the same counts
    with the agent replaced by a hashed key (stable across builds, not reversible to a name
    or an extension without the CRM). No names, no phone numbers. -#}

select
    arrival_date,
    queue_id,
    {{ dbt.hash("'agent|' || agent_id") }} as agent_hash,
    team_id,
    team_name,
    * exclude (arrival_date, queue_id, agent_id, team_id, team_name)
from {{ ref('mart_cx_daily') }}
