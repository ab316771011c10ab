{{ callers_by_frequency('arrival_date', 'arrival_date') }}
