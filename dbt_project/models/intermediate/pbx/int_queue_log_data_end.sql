{#- The end of the PBX data: the newest queue_log event. Windows that run past it (an open
    stint's horizon, a call's repeat window) are not complete yet. -#}

select max(event_at) as data_end_at
from {{ ref('stg_pbx__queue_log') }}
