{#- Freshness per source: newest event, newest file, lag behind the reference moment and the
    allowed lag (a stale source fails the build through this mart's test). -#}

select
    raw_source,
    newest_event_at,
    newest_file_ingested_at,
    reference_at,
    reference_kind,
    lag_hours,
    max_lag_hours,
    max_lag_hours is null or coalesce(lag_hours <= max_lag_hours, false) as is_fresh
from {{ ref('int_source_freshness') }}
