{#- Freshness per source: newest event, newest file, lag behind the reference moment and the
    allowed lag (a stale source fails the build through this mart's test). A source with no
    data at all is not judged: the center may not have it (no CRM, no surveys). -#}

select
    raw_source,
    newest_event_at,
    newest_file_ingested_at,
    reference_at,
    reference_kind,
    lag_hours,
    max_lag_hours,
    coalesce(lag_hours <= max_lag_hours, true) as is_fresh
from {{ ref('int_source_freshness') }}
