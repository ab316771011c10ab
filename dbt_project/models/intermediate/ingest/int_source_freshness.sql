{#- Each source's newest event and its lag behind the reference moment: the newest PBX event
    (queue_log or CDR; var freshness_reference = 'data': a source that stopped arriving while
    the PBX kept logging) or the build's clock ('clock': for a live center, every source
    against now). var freshness_max_lag_hours gives each source's allowed lag (a source
    without one is not judged). -#}

with

newest_events as (
    select
        'queue_log' as raw_source,
        max(event_at) as newest_event_at
    from {{ ref('stg_pbx__queue_log') }}
    union all
    select
        'cdr' as raw_source,
        max(started_at) as newest_event_at
    from {{ ref('stg_pbx__cdr') }}
    union all
    select
        'crm' as raw_source,
        max(version_at) as newest_event_at
    from {{ ref('stg_crm__records') }}
    union all
    select
        'survey' as raw_source,
        max(submitted_at) as newest_event_at
    from {{ ref('stg_survey__responses') }}
),

newest_files as (
    select
        raw_source,
        max(ingested_at) as newest_file_ingested_at
    from {{ ref('stg_ingest__files') }}
    group by 1
),

reference as (
    {%- if var('freshness_reference') == 'clock' %}
        select cast(current_timestamp at time zone 'UTC' as timestamp) as reference_at
    {%- else %}
        select max(newest_event_at) as reference_at
        from newest_events
        where raw_source in ('queue_log', 'cdr')
    {%- endif %}
),

limits as (
    {%- for source, hours in var('freshness_max_lag_hours').items() %}
    select '{{ source }}' as raw_source, {{ hours }} as max_lag_hours
    {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
    {%- if not var('freshness_max_lag_hours') %}
        select
            cast(null as varchar) as raw_source,
            cast(null as double) as max_lag_hours
        where false
    {%- endif %}
)

select
    newest_events.raw_source,
    newest_events.newest_event_at,
    newest_files.newest_file_ingested_at,
    reference.reference_at,
    '{{ var("freshness_reference") }}' as reference_kind,
    {{ dbt.datediff('newest_events.newest_event_at', 'reference.reference_at', 'second') }}
    / 3600.0 as lag_hours,
    cast(limits.max_lag_hours as double) as max_lag_hours
from newest_events
cross join reference
left join newest_files on newest_events.raw_source = newest_files.raw_source
left join limits on newest_events.raw_source = limits.raw_source
