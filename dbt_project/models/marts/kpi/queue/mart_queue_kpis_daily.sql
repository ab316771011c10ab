{{ queue_kpis_by_arrival('queue_day_id', ['arrival_date']) }}
