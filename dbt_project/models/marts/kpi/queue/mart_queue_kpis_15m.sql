{{ queue_kpis_by_arrival(
    'queue_interval_id',
    ['arrival_interval_start_at', 'arrival_interval_start_at_local', 'arrival_date']
) }}
