{#- Late-arriving loads for closed days: which source changed which local day, when, and how
    many days after the day. -#}

select
    change_id,
    raw_source,
    event_date,
    changed_at,
    days_after
from {{ ref('int_late_partition_changes') }}
