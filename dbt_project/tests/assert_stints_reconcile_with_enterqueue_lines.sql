{#- Reconciliation of the fact with the raw log: every ENTERQUEUE line loaded (duplicates are
    never loaded) is exactly one stint that entered the queue and is not reconstructed, per
    queue and local day of arrival. Rows returned name the queue and day and both counts (a lost or doubled stint
    fails the build: nothing is published). -#}

{{ config(meta={'dagster': {'ref': {'name': 'fct_queue_stints'}}}) }}

with

enterqueue_lines as (
    select
        queue_id,
        cast({{ to_center_local('event_at') }} as date) as arrival_date,
        count(*) as line_count
    from {{ ref('stg_pbx__queue_log') }}
    where event_type = 'ENTERQUEUE'
    group by 1, 2
),

stints as (
    select queue_id, arrival_date, count(*) as stint_count
    from {{ ref('fct_queue_stints') }}
    {#- A call refused at the door (JOINEMPTY, FULL, Wazo CLOSED / DIVERT_*) is a stint
        that never had an ENTERQUEUE line. #}
    where not is_reconstructed and outcome not in ('join_rejected', 'closed', 'diverted')
    group by 1, 2
)

select
    coalesce(enterqueue_lines.queue_id, stints.queue_id) as queue_id,
    coalesce(enterqueue_lines.arrival_date, stints.arrival_date) as arrival_date,
    enterqueue_lines.line_count,
    stints.stint_count
from enterqueue_lines
full outer join stints
    on
        enterqueue_lines.queue_id = stints.queue_id
        and enterqueue_lines.arrival_date = stints.arrival_date
where enterqueue_lines.line_count is distinct from stints.stint_count
