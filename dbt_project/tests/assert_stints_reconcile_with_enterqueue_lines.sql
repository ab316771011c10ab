{#- Reconciliation of the fact with the raw log: every ENTERQUEUE line loaded (duplicates are
    never loaded) is the origin of exactly one stint (a stint's id ends with the id of the
    line it started from). Rows returned name the queue and local day with the lines that
    lost their stint or got several (either fails the build: nothing is published). -#}

{{ config(meta={'dagster': {'ref': {'name': 'fct_queue_stints'}}}) }}

with

enterqueue_lines as (
    select
        queue_log_event_id,
        queue_id,
        cast({{ to_center_local('event_at') }} as date) as arrival_date
    from {{ ref('stg_pbx__queue_log') }}
    where event_type = 'ENTERQUEUE'
),

stint_origins as (
    select
        regexp_extract(stint_id, '[^|]*$') as queue_log_event_id,
        count(*) as stint_count
    from {{ ref('fct_queue_stints') }}
    group by 1
)

select
    enterqueue_lines.queue_id,
    enterqueue_lines.arrival_date,
    count(*) as enterqueue_line_count,
    count(case when stint_origins.stint_count is null then 1 end) as lines_without_stint,
    count(case when stint_origins.stint_count > 1 then 1 end) as lines_with_several_stints
from enterqueue_lines
left join stint_origins
    on enterqueue_lines.queue_log_event_id = stint_origins.queue_log_event_id
group by 1, 2
having
    count(case when stint_origins.stint_count is null then 1 end) > 0
    or count(case when stint_origins.stint_count > 1 then 1 end) > 0
