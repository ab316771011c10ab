{#- Volume anomaly (a warning, not a contract violation: it reports and publishes): a queue's
    offered calls on a local day far outside the range of the same weekday over the previous
    four weeks - below (1 - t) x their minimum or above (1 + t) x their maximum, with t =
    var volume_anomaly_tolerance. Days with fewer than three such weekdays of history are
    not judged. Rows returned name the queue and day, the volume and the range. -#}

{{ config(severity='warn', store_failures=true,
          meta={'dagster': {'ref': {'name': 'mart_queue_kpis_daily'}}}) }}

with

daily as (
    select
        queue_id,
        arrival_date,
        sum(offered_count) as offered_count
    from {{ ref('mart_queue_kpis_daily') }}
    group by 1, 2
),

with_history as (
    select
        daily.queue_id,
        daily.arrival_date,
        daily.offered_count,
        count(history.offered_count) as history_days,
        min(history.offered_count) as history_min,
        max(history.offered_count) as history_max
    from daily
    left join daily as history
        on
            daily.queue_id = history.queue_id
            and history.arrival_date in (
                daily.arrival_date - 7, daily.arrival_date - 14,
                daily.arrival_date - 21, daily.arrival_date - 28
            )
    group by 1, 2, 3
)

select *
from with_history
where
    history_days >= 3
    and (
        offered_count < (1 - {{ var('volume_anomaly_tolerance') }}) * history_min
        or offered_count > (1 + {{ var('volume_anomaly_tolerance') }}) * history_max
    )
