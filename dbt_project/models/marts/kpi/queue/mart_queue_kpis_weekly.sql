{{ queue_kpis_by_arrival('queue_week_id', ['arrival_week_start_date']) }}
