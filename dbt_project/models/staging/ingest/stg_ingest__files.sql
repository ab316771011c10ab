with

source as (
    select * from {{ source('ingest', 'ingest_files') }}
),

renamed as (
    select
        ---------- strings
        source as raw_source,
        source_file,
        content_sha256,

        ---------- numerics
        bytes_ingested,
        lines_read,
        loaded_count,
        quarantined_count,
        duplicate_count,
        header_count,

        ---------- timestamps
        ingested_at

    from source
)

select * from renamed
