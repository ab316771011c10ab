{#- Survey responses that match no call, with the reason: the quarantine of the survey
    source's dbt side (out-of-range scores and unreadable rows are quarantined at ingest).
    Every response id is in exactly one of fct_survey_responses and this table. -#}

with

int_survey_responses_latest as (
    select * from {{ ref('int_survey_responses_latest') }}
),

fct_survey_responses as (
    select survey_response_id from {{ ref('fct_survey_responses') }}
)

select
    int_survey_responses_latest.survey_response_id,
    case
        when int_survey_responses_latest.call_leg_id is not null
            then
                'unknown call: uniqueid ' || int_survey_responses_latest.call_leg_id
                || ' matches no call'
        when int_survey_responses_latest.linked_call_id is not null
            then
                'unknown call: linkedid ' || int_survey_responses_latest.linked_call_id
                || ' matches no call'
        when int_survey_responses_latest.caller_number_e164 is null
            then
                'unknown call: caller number '
                || coalesce(int_survey_responses_latest.caller_number, '(empty)')
                || ' is withheld or not a phone number'
        else
            'unknown call: no answered call from '
            || int_survey_responses_latest.caller_number_e164
            || ' ended in the 24 hours before the response'
    end as reject_reason,
    int_survey_responses_latest.call_leg_id,
    int_survey_responses_latest.linked_call_id,
    int_survey_responses_latest.caller_number,
    int_survey_responses_latest.submitted_at,
    int_survey_responses_latest.source_file,
    int_survey_responses_latest.line_number
from int_survey_responses_latest
where int_survey_responses_latest.survey_response_id not in (
    select fct_survey_responses.survey_response_id from fct_survey_responses
)
