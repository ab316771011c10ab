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

        ---------- booleans
        is_blocking,
        passed,

        ---------- timestamps
        checked_at

    from source
)

select * from renamed
