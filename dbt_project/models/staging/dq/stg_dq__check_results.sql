with

source as (
    select * from {{ source('dq', 'dq_results') }}
),

renamed as (
    select
        ---------- ids
        run_id,

        ---------- strings
        asset_key,
        check_name,
        severity,
        cast(detail as varchar) as detail,

        ---------- numerics
        {#- dagster-dbt's count of a dbt test's failing rows; other checks count none. #}
        cast(detail ->> '$."dagster_dbt/failed_row_count"' as integer) as failing_row_count,

        ---------- booleans
        is_blocking,
        passed,

        ---------- timestamps
        checked_at

    from source
)

select * from renamed
