{#- Quarantined lines per source, file, kind of reason and local day they were quarantined. -#}

select
    raw_source,
    source_file,
    reason_kind,
    quarantined_date,
    count(*) as quarantined_count,
    min(reason) as example_reason
from {{ ref('int_ingest_quarantined_lines') }}
group by 1, 2, 3, 4
