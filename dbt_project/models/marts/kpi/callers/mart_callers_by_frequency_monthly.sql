{{ callers_by_frequency(
    'arrival_month', "cast(" ~ dbt.date_trunc('month', 'arrival_date') ~ " as date)"
) }}
