{#- Without the line's raw text: every model lands in the serving warehouse, where Superset's
    SQL Lab reads any schema, and a quarantined line may be anything (issue 18: the lines of a
    symlinked /etc/passwd showed there). The text stays in raw.raw_quarantine of the build
    warehouse, for whoever may read the landing files. -#}

with

source as (
    select * from {{ source('ingest', 'raw_quarantine') }}
),

renamed as (
    select
        ---------- strings
        source as raw_source,
        source_file,
        reason,

        ---------- numerics
        line_number,

        ---------- timestamps
        quarantined_at

    from source
)

select * from renamed
