{#- The per-file ledger with its identity evaluated: every line read is loaded, quarantined,
    a duplicate or the header of a table export (the ledger checks block the publish when
    it fails; here it is kept to be seen). -#}

select
    raw_source,
    source_file,
    content_sha256,
    bytes_ingested,
    lines_read,
    loaded_count,
    quarantined_count,
    duplicate_count,
    header_count,
    lines_read = loaded_count + quarantined_count + duplicate_count + header_count
        as is_balanced,
    ingested_at,
    cast({{ to_center_local('ingested_at') }} as date) as ingested_date
from {{ ref('stg_ingest__files') }}
