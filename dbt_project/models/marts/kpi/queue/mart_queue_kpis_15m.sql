{#- The queue KPIs per 15-minute arrival interval (macro queue_kpis_by_arrival, shared by every
    grain), with the interval's local hour and ISO weekday as the axes of an hour-of-day x
    weekday heatmap. The weekday is '1 Mon' ... '7 Sun' so that it sorts Monday first; no
    cross-database macro formats a weekday name, hence DuckDB's strftime (the hour is the
    ANSI extract). -#}

with

queue_kpis as (
    {{ queue_kpis_by_arrival(
        'queue_interval_id',
        ['arrival_interval_start_at', 'arrival_interval_start_at_local', 'arrival_date']
    ) }}
),

queue_kpis_with_heatmap_axes as (
    select
        *,
        cast(extract(hour from arrival_interval_start_at_local) as {{ dbt.type_int() }})
            as arrival_hour_local,
        strftime(arrival_interval_start_at_local, '%u %a') as arrival_weekday_local
    from queue_kpis
)

select * from queue_kpis_with_heatmap_axes
