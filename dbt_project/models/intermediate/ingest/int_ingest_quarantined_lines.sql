{#- Quarantined lines with the kind of their reason: the reason with its quoted values and
    numbers masked ("time field '17x2427083' is not a Unix epoch" -> "time field '…' is not
    a Unix epoch"), so counts group by kind, not by the offending value. -#}

select
    raw_source,
    source_file,
    line_number,
    reason,
    regexp_replace(regexp_replace(reason, '''[^'']*''', '''…''', 'g'), '[0-9]+', 'N', 'g')
        as reason_kind,
    quarantined_at,
    cast({{ to_center_local('quarantined_at') }} as date) as quarantined_date
from {{ ref('stg_ingest__quarantine') }}
