{#- The file ledger, one row per ingested file: lines read, loaded, quarantined, duplicates,
    header, and whether it balances. -#}

select
    raw_source,
    source_file,
    ingested_at,
    ingested_date,
    bytes_ingested,
    lines_read,
    loaded_count,
    quarantined_count,
    duplicate_count,
    header_count,
    is_balanced
from {{ ref('int_ingest_file_ledger') }}
