{#- The outbound funnel (metric contract, outbound KPIs) per campaign, agent, the agent's team
    at the call, and center-local day: dials, connects, intent, conversions (with pending
    ones, right-censored like FCR), revenue, and the agent's logged time that day for dials
    per logged hour. An agent's logged time is shared among the campaigns they dialled that
    day in proportion to their dials, so it adds up across campaigns (macro outbound_funnel). -#}

with

int_agent_logged_time_daily as (
    select
        agent_id,
        local_date,
        logged_seconds
    from {{ ref('int_agent_logged_time_daily') }}
),

funnel as (
    {{- outbound_funnel(['local_date', 'campaign_id', 'agent_id', 'team_id', 'team_name']) }}
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
