with

source as (
    select * from {{ source('ingest', 'raw_quarantine') }}
),

renamed as (
    select
        ---------- strings
        source as raw_source,
        source_file,
        raw_text,
        reason,

        ---------- numerics
        line_number,

        ---------- timestamps
        quarantined_at

    from source
)

select * from renamed
