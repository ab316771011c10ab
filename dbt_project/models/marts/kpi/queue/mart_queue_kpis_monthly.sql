{{ queue_kpis_by_arrival('queue_month_id', ['arrival_month_start_date']) }}
