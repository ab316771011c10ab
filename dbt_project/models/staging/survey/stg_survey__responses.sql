with

source as (
    select * from {{ source('survey', 'survey_responses') }}
),

renamed as (
    select
        ---------- ids
        response_hash as survey_response_version_id,
        response_id as survey_response_id,
        call_uniqueid as call_leg_id,
        call_linkedid as linked_call_id,

        ---------- strings
        caller_number,
        comment as comment_text,
        channel,
        extra as extra_columns,
        source_file,

        ---------- numerics
        line_number,
        csat as csat_score,
        nps as nps_score,
        ces as ces_score,

        ---------- booleans
        resolved as is_resolved,

        ---------- dates
        event_date,

        ---------- timestamps
        submitted_at,
        loaded_at

    from source
)

select * from renamed
