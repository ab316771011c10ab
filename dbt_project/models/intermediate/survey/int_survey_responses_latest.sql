{#- One row per survey response id: a response exported again with changes (a late comment)
    keeps its latest version (a tie in submitted_at goes to the later load: a changed export
    is merged into its earlier version, whose rows stay). -#}

with

stg_survey__responses as (
    select * from {{ ref('stg_survey__responses') }}
),

responses_ranked as (
    select
        *,
        row_number() over (
            partition by survey_response_id
            order by submitted_at desc, loaded_at desc, source_file desc, line_number desc
        ) as version_rank
    from stg_survey__responses
)

select
    survey_response_id,
    call_leg_id,
    linked_call_id,
    caller_number,
    {{ phone_e164('caller_number') }} as caller_number_e164,
    submitted_at,
    csat_score,
    nps_score,
    ces_score,
    is_resolved,
    channel,
    comment_text,
    source_file,
    line_number
from responses_ranked
where version_rank = 1
