{#- Post-call survey responses tied to their call, with the call's handling agent and team
    (survey KPIs go to the agent who handled the call last). A response names its call by
    the PBX uniqueid of a leg (mapped to the call through the CDR's linkedid), by linkedid,
    or only by the caller's number: then it belongs to that number's last answered call that
    ended within the 24 hours before the response. A response that matches no call is set
    aside in fct_survey_responses_rejected with the reason, never dropped.
    CSAT top-2-box: a score of 4 or 5 on 1-5. NPS: promoters 9-10, detractors 0-6. -#}

with

int_survey_responses_latest as (
    select * from {{ ref('int_survey_responses_latest') }}
),

int_call_legs_linked as (
    select
        call_leg_id,
        linked_call_id
    from {{ ref('int_call_legs_linked') }}
),

fct_calls as (
    select
        call_id,
        customer_phone_e164,
        is_answered,
        is_test_call,
        ended_at,
        arrival_date,
        total_wait_seconds,
        handling_agent_id,
        handling_agent_key,
        handling_team_id,
        handling_team_name,
        handling_agent_tenure_days,
        last_queue_id
    from {{ ref('fct_calls') }}
),

responses_by_call_id as (
    select
        int_survey_responses_latest.survey_response_id,
        fct_calls.call_id,
        case
            when int_survey_responses_latest.call_leg_id is not null then 'uniqueid'
            else 'linkedid'
        end as matched_by
    from int_survey_responses_latest
    left join int_call_legs_linked
        on
            coalesce(
                int_survey_responses_latest.call_leg_id, int_survey_responses_latest.linked_call_id
            )
            = int_call_legs_linked.call_leg_id
    inner join fct_calls
        on
            coalesce(
                int_call_legs_linked.linked_call_id,
                int_survey_responses_latest.call_leg_id,
                int_survey_responses_latest.linked_call_id
            )
            = fct_calls.call_id
),

responses_by_number_ranked as (
    select
        int_survey_responses_latest.survey_response_id,
        fct_calls.call_id,
        'caller_number' as matched_by,
        row_number() over (
            partition by int_survey_responses_latest.survey_response_id
            order by fct_calls.ended_at desc, fct_calls.call_id desc
        ) as call_rank
    from int_survey_responses_latest
    inner join fct_calls
        on
            int_survey_responses_latest.caller_number_e164 = fct_calls.customer_phone_e164
            and fct_calls.is_answered
            and int_survey_responses_latest.submitted_at >= fct_calls.ended_at
            and fct_calls.ended_at
            > {{ dbt.dateadd('hour', -24, 'int_survey_responses_latest.submitted_at') }}
    where
        int_survey_responses_latest.call_leg_id is null
        and int_survey_responses_latest.linked_call_id is null
),

matches as (
    select
        survey_response_id,
        call_id,
        matched_by
    from responses_by_call_id
    union all
    select
        survey_response_id,
        call_id,
        matched_by
    from responses_by_number_ranked
    where call_rank = 1
),

responses_matched as (
    select
        int_survey_responses_latest.survey_response_id,
        matches.call_id,
        matches.matched_by,
        int_survey_responses_latest.channel,
        int_survey_responses_latest.csat_score,
        int_survey_responses_latest.csat_score >= 4 as is_csat_top2,
        int_survey_responses_latest.nps_score,
        case
            when int_survey_responses_latest.nps_score >= 9 then 'promoter'
            when int_survey_responses_latest.nps_score >= 7 then 'passive'
            when int_survey_responses_latest.nps_score >= 0 then 'detractor'
        end as nps_category,
        int_survey_responses_latest.ces_score,
        int_survey_responses_latest.is_resolved,
        int_survey_responses_latest.comment_text,
        int_survey_responses_latest.submitted_at,
        fct_calls.arrival_date as call_arrival_date,
        fct_calls.last_queue_id as queue_id,
        fct_calls.total_wait_seconds as call_wait_seconds,
        fct_calls.is_test_call,
        fct_calls.handling_agent_id as agent_id,
        fct_calls.handling_agent_key as agent_key,
        fct_calls.handling_team_id as team_id,
        fct_calls.handling_team_name as team_name,
        fct_calls.handling_agent_tenure_days as agent_tenure_days
    from matches
    inner join int_survey_responses_latest
        on matches.survey_response_id = int_survey_responses_latest.survey_response_id
    inner join fct_calls
        on matches.call_id = fct_calls.call_id
)

select * from responses_matched
