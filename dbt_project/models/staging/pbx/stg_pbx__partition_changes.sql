with

source as (
    select * from {{ source('pbx', 'partition_changes') }}
),

renamed as (
    select
        ---------- ids
        change_id,

        ---------- strings
        source as raw_source,

        ---------- dates
        event_date,

        ---------- timestamps
        changed_at

    from source
)

select * from renamed
