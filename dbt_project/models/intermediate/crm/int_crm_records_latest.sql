{#- The current state of every CRM record: its latest version (SystemModstamp, else
    LastModifiedDate; a tie goes to the later load, then the later file and line: a changed
    export is merged into its earlier version, whose rows stay). A record whose latest version
    says IsDeleted = true is kept here, flagged, so that the dimensions can leave it out. -#}

with

stg_crm__records as (
    select * from {{ ref('stg_crm__records') }}
),

versions_ranked as (
    select
        *,
        row_number() over (
            partition by crm_object, crm_record_id
            order by version_at desc, loaded_at desc, source_file desc, line_number desc
        ) as version_rank
    from stg_crm__records
)

select
    crm_object,
    crm_record_id,
    crm_record_version_id,
    fields_json,
    is_deleted,
    version_at
from versions_ranked
where version_rank = 1
