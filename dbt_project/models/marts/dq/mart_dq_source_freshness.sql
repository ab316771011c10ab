{#- Freshness per source: newest event, newest file, lag behind the reference moment and the
    allowed lag (a stale source fails the build through this mart's test). A source that never
    landed a file is not connected (no CRM, no surveys, no CDR yet): it is not judged. -#}

select
    raw_source,
    newest_file_ingested_at is not null as is_connected,
    newest_event_at,
    newest_file_ingested_at,
    reference_at,
    reference_kind,
    lag_hours,
    max_lag_hours,
    coalesce(lag_hours <= max_lag_hours, true) as is_fresh
from {{ ref('int_source_freshness') }}
