with

source as (
    select * from {{ source('crm', 'crm_records') }}
),

renamed as (
    select
        ---------- ids
        record_hash as crm_record_version_id,
        record_id as crm_record_id,

        ---------- strings
        object_name as crm_object,
        fields as fields_json,
        unknown_columns as unknown_columns_json,
        source_file,

        ---------- numerics
        line_number,

        ---------- booleans
        is_deleted,

        ---------- dates
        event_date,

        ---------- timestamps
        version_at,
        loaded_at

    from source
)

select * from renamed
