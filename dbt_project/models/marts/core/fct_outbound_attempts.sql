{#- Outbound attempts (metric contract, outbound KPIs): CDR rows from an agent's extension to
    an external number through one of the configured dial contexts (var
    outbound_dial_contexts), one per uniqueid. Campaign = accountcode. A connect is a human
    answer: ANSWERED with billsec > 0 and no answering-machine verdict (AMD=MACHINE in the
    userfield). The CRM call activity (Task.CallObject = the uniqueid) gives the disposition
    and intent (its CallDisposition in var intent_dispositions); a won Opportunity it links
    (Task.WhatId) converts the call when it closes within attribution_days of the call's
    local date. Like FCR, a connect whose attribution window runs past the end of the data
    and that has not converted yet is `pending`; its day's revenue may still grow
    (is_attribution_open). -#}

with

int_outbound_attempts as (
    select * from {{ ref('int_outbound_attempts') }}
),

int_crm_call_activities as (
    select
        call_leg_id,
        what_id,
        call_disposition,
        row_number() over (partition by call_leg_id order by task_id) as task_rank
    from {{ ref('int_crm_call_activities') }}
),

opportunities as (
    select
        crm_record_id as opportunity_id,
        {{ crm_boolean('IsWon') }} as is_won,
        {{ crm_date('CloseDate') }} as close_date,
        try_cast({{ crm_text('Amount') }} as decimal(18, 2)) as amount,
        {{ crm_text('StageName') }} as stage_name,
        {{ crm_text('CampaignId') }} as crm_campaign_id
    from {{ ref('int_crm_records_latest') }}
    where crm_object = 'Opportunity' and not is_deleted
),

dim_agents as (
    select
        agent_key,
        agent_id,
        team_id,
        team_name,
        valid_from,
        valid_to
    from {{ ref('dim_agents') }}
),

int_queue_log_data_end as (
    select cast({{ to_center_local('data_end_at') }} as date) as data_end_date
    from {{ ref('int_queue_log_data_end') }}
),

attempts_with_crm as (
    select
        int_outbound_attempts.*,
        int_crm_call_activities.call_disposition,
        coalesce(
            int_crm_call_activities.call_disposition
            in ({{ sql_string_list(var('intent_dispositions')) }}),
            false
        ) and int_outbound_attempts.is_connect as is_intent,
        opportunities.opportunity_id,
        opportunities.is_won,
        opportunities.close_date,
        opportunities.amount,
        coalesce(
            opportunities.is_won
            and opportunities.close_date <= {{
                dbt.dateadd('day', var('attribution_days'), 'int_outbound_attempts.local_date')
            }},
            false
        ) and int_outbound_attempts.is_connect as is_converted,
        {{ dbt.dateadd('day', var('attribution_days'), 'int_outbound_attempts.local_date') }}
        > (select int_queue_log_data_end.data_end_date from int_queue_log_data_end)
            as is_attribution_open
    from int_outbound_attempts
    left join int_crm_call_activities
        on
            int_outbound_attempts.attempt_id = int_crm_call_activities.call_leg_id
            and int_crm_call_activities.task_rank = 1
    left join opportunities
        on int_crm_call_activities.what_id = opportunities.opportunity_id
),

attempts_with_status as (
    select
        attempts_with_crm.*,
        case when attempts_with_crm.is_converted then attempts_with_crm.amount end as revenue,
        case
            when not attempts_with_crm.is_connect then null
            when attempts_with_crm.is_converted then 'converted'
            when attempts_with_crm.is_attribution_open then 'pending'
            else 'not_converted'
        end as conversion_status,
        dim_agents.agent_key,
        dim_agents.team_id,
        dim_agents.team_name
    from attempts_with_crm
    left join dim_agents
        on
            attempts_with_crm.agent_id = dim_agents.agent_id
            and {{ valid_at('dim_agents', 'attempts_with_crm.started_at') }}
)

select * from attempts_with_status
