{#- The outbound funnel (metric contract, outbound KPIs) per campaign, agent, the agent's team
    at the call, and center-local day: dials, connects, intent, conversions (with pending
    ones, right-censored like FCR), revenue, and the agent's logged time that day for dials
    per logged hour. An agent's logged time is shared among the campaigns they dialled that
    day in proportion to their dials, so it adds up across campaigns. -#}

with

fct_outbound_attempts as (
    select * from {{ ref('fct_outbound_attempts') }}
),

int_agent_logged_time_daily as (
    select agent_id, local_date, logged_seconds
    from {{ ref('int_agent_logged_time_daily') }}
),

funnel as (
    select
        local_date,
        campaign_id,
        agent_id,
        team_id,
        team_name,
        count(*) as dial_count,
        count(case when disposition = 'ANSWERED' then 1 end) as answered_count,
        count(case when is_machine_answer then 1 end) as machine_answer_count,
        count(case when is_connect then 1 end) as connect_count,
        count(case when is_intent then 1 end) as intent_count,
        count(case when conversion_status = 'converted' then 1 end) as conversion_count,
        count(case when conversion_status = 'not_converted' then 1 end) as not_converted_count,
        count(case when conversion_status = 'pending' then 1 end) as conversion_pending_count,
        cast(coalesce(sum(revenue), 0) as decimal(18, 2)) as revenue,
        cast(sum(billed_seconds) as {{ dbt.type_bigint() }}) as billed_seconds
    from fct_outbound_attempts
    group by 1, 2, 3, 4, 5
),

funnel_with_logged_time as (
    select
        funnel.*,
        coalesce(int_agent_logged_time_daily.logged_seconds, 0) * funnel.dial_count * 1.0
        / sum(funnel.dial_count) over (partition by funnel.local_date, funnel.agent_id)
        as logged_seconds
    from funnel
    left join int_agent_logged_time_daily
        on
            funnel.agent_id = int_agent_logged_time_daily.agent_id
            and funnel.local_date = int_agent_logged_time_daily.local_date
)

select * from funnel_with_logged_time
