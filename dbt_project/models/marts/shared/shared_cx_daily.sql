{#- mart_cx_daily for readers outside the contact center (product, sales): the same counts
    with no agent key at all, and no group small enough to point at a person. A group (a row:
    day, queue, team, contact type, wait band, tenure band) with fewer than
    shared_min_group_calls calls, or answered by fewer than shared_min_group_agents agents,
    is merged into the day's Other row; an Other row still that small is suppressed (macro
    small_groups_merged). No names, no phone numbers. -#}

{%- set measures = [
    'call_count', 'identified_call_count', 'repeat_count', 'not_repeat_count',
    'repeat_pending_count', 'handled_count', 'fcr_resolved_count', 'fcr_not_resolved_count',
    'fcr_pending_count', 'survey_response_count', 'survey_resolved_answer_count',
    'survey_resolved_count', 'csat_response_count', 'csat_top2_count', 'csat_score_sum',
    'nps_response_count', 'nps_promoter_count', 'nps_detractor_count', 'ces_response_count',
    'ces_score_sum', 'complaint_count',
] %}

with

mart_cx_daily as (
    select * from {{ ref('mart_cx_daily') }}
),

{{ small_groups_merged(
    'mart_cx_daily',
    kept=['arrival_date'],
    dimensions=[
        'queue_id', 'team_id', 'team_name', 'contact_type', 'wait_band', 'wait_band_label',
        'wait_band_order', 'agent_tenure_band', 'agent_tenure_band_label',
        'agent_tenure_band_order',
    ],
    nulled=['wait_band_order', 'agent_tenure_band_order'],
    measures=measures,
    size_column='call_count',
    agent_column='agent_id',
) }}

select * from groups_shared
