{#- What an agent was doing, as overlapping spans (fct_agent_state_intervals decides which
    wins where they overlap):
    - talking: an answered stint from its CONNECT to its hang-up or transfer, and an
      outbound attempt (CDR) from its answer to its end;
    - ringing: the ring before a CONNECT (its ring seconds), a ring-out (RINGNOANSWER, its
      ring milliseconds), and an outbound attempt from its dial to its answer or end;
    - paused: from a PAUSE / PAUSEALL (reason = data1) to the agent's next UNPAUSE /
      UNPAUSEALL; a pause whose reason is in acw_pause_reasons (default ACW, Wrapup) and
      that starts within 10 s after one of the agent's calls ends is wrap-up (ACW) instead.
    Asterisk logs a pause once per queue: the same pause in several queues counts once.
    A span with no end in the data ends at the end of the data, flagged is_open. -#}

with

stg_pbx__queue_log as (
    select
        {{ agent_extension('agent_id') }} as agent_id,
        event_type,
        data1,
        data3,
        event_at
    from {{ ref('stg_pbx__queue_log') }}
    where
        agent_id is not null
        and event_type in (
            'CONNECT', 'RINGNOANSWER', 'PAUSE', 'UNPAUSE', 'PAUSEALL', 'UNPAUSEALL'
        )
),

int_queue_log_data_end as (
    select data_end_at from {{ ref('int_queue_log_data_end') }}
),

talk as (
    select
        {{ agent_extension('agent_id') }} as agent_id,
        'talking' as activity,
        cast(null as varchar) as pause_reason,
        queue_left_at as started_at,
        coalesce(ended_at, (select data_end_at from int_queue_log_data_end)) as ended_at,
        ended_at is null as is_open
    from {{ ref('int_queue_stints_transfers_joined') }}
    where outcome = 'answered' and agent_id is not null
),

outbound as (
    select agent_id, started_at, answered_at, ended_at
    from {{ ref('int_outbound_attempts') }}
    where ended_at is not null
),

outbound_talk as (
    select
        agent_id,
        'talking' as activity,
        cast(null as varchar) as pause_reason,
        answered_at as started_at,
        ended_at,
        false as is_open
    from outbound
    where answered_at is not null and ended_at > answered_at
),

ringing as (
    select
        agent_id,
        'ringing' as activity,
        cast(null as varchar) as pause_reason,
        {{ dbt.dateadd('second', '-' ~ integer_or_null('data3'), 'event_at') }} as started_at,
        event_at as ended_at,
        false as is_open
    from stg_pbx__queue_log
    where event_type = 'CONNECT' and {{ integer_or_null('data3') }} > 0
    union all
    select
        agent_id,
        'ringing',
        null,
        {{ dbt.dateadd('millisecond', '-' ~ integer_or_null('data1'), 'event_at') }},
        event_at,
        false
    from stg_pbx__queue_log
    where event_type = 'RINGNOANSWER' and {{ integer_or_null('data1') }} > 0
    union all
    select agent_id, 'ringing', null, started_at, coalesce(answered_at, ended_at), false
    from outbound
),

pause_events as (
    select distinct
        agent_id,
        event_type in ('PAUSE', 'PAUSEALL') as is_pause,
        case when event_type in ('PAUSE', 'PAUSEALL') then coalesce(nullif(data1, ''), 'none') end
        as pause_reason,
        event_at
    from stg_pbx__queue_log
    where event_type in ('PAUSE', 'UNPAUSE', 'PAUSEALL', 'UNPAUSEALL')
),

pauses as (
    select
        pause_events.agent_id,
        pause_events.pause_reason,
        pause_events.event_at as started_at,
        min(unpauses.event_at) as ended_at
    from pause_events
    left join pause_events as unpauses
        on
            pause_events.agent_id = unpauses.agent_id
            and not unpauses.is_pause
            and unpauses.event_at >= pause_events.event_at
    where pause_events.is_pause
    group by 1, 2, 3
),

pauses_classified as (
    select
        pauses.agent_id,
        case
            when
                pauses.pause_reason in ({{ sql_string_list(var('acw_pause_reasons')) }})
                and exists (
                    select 1
                    from talk
                    where
                        talk.agent_id = pauses.agent_id
                        and talk.ended_at <= pauses.started_at
                        and talk.ended_at
                        >= {{ dbt.dateadd('second', -10, 'pauses.started_at') }}
                )
                then 'wrap_up'
            else 'paused'
        end as activity,
        pauses.pause_reason,
        pauses.started_at,
        coalesce(pauses.ended_at, (select data_end_at from int_queue_log_data_end)) as ended_at,
        pauses.ended_at is null as is_open
    from pauses
)

select * from talk
union all
select * from outbound_talk
union all
select * from ringing
union all
select * from pauses_classified
