{#- Freshness per source: newest event, newest file, lag behind the reference moment and the
    allowed lag (a stale source fails the build through this mart's test, and stale_reason
    names it). A source that never landed a file is not connected (no CRM, no surveys, no CDR
    yet): it is not judged. A connected source with an allowed lag but no event at all (every
    line quarantined, a header only) is stale: no event is not a fresh one. Events are the
    plausible ones: implausible times are quarantined at ingest. -#}

with

int_source_freshness as (
    select
        raw_source,
        newest_file_ingested_at is not null as is_connected,
        newest_event_at,
        newest_file_ingested_at,
        reference_at,
        reference_kind,
        lag_hours,
        max_lag_hours
    from {{ ref('int_source_freshness') }}
),

freshness_judged as (
    select
        *,
        case
            when max_lag_hours is null or not is_connected then true
            when newest_event_at is null then false
            {#- No reference (data reference, no PBX event): nothing to lag behind. #}
            else coalesce(lag_hours <= max_lag_hours, true)
        end as is_fresh
    from int_source_freshness
),

freshness_explained as (
    select
        *,
        case
            when is_fresh then null
            when newest_event_at is null
                then
                    raw_source || ': stale, files landed but no event loaded'
                    || ' (every line quarantined, or a header only)'
            else
                raw_source || ': stale, newest event '
                || cast(newest_event_at as {{ dbt.type_string() }}) || ' UTC lags the '
                || reference_kind || ' reference by '
                || cast(round(lag_hours, 1) as {{ dbt.type_string() }}) || ' h, over its '
                || cast(max_lag_hours as {{ dbt.type_string() }}) || ' h'
        end as stale_reason
    from freshness_judged
)

select * from freshness_explained
