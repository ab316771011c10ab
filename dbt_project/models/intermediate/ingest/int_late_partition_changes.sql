{#- Late arrivals: a load that changed a local day after the day had closed (more than var
    late_arrival_grace_days after it ended) although the day had been loaded before it
    closed - its KPIs were read, then changed. A backfill (a day first loaded after it
    closed) is not late. -#}

with

changes as (
    select
        change_id,
        raw_source,
        event_date,
        changed_at,
        cast({{ to_center_local('changed_at') }} as date) as changed_date
    from {{ ref('stg_pbx__partition_changes') }}
),

changes_with_first as (
    select
        *,
        min(changed_date) over (partition by raw_source, event_date) as first_changed_date
    from changes
)

select
    change_id,
    raw_source,
    event_date,
    changed_at,
    {{ dbt.datediff('event_date', 'changed_date', 'day') }}
        as days_after
from changes_with_first
where
    changed_date > event_date + {{ var('late_arrival_grace_days') }}
    and first_changed_date <= event_date + {{ var('late_arrival_grace_days') }}
