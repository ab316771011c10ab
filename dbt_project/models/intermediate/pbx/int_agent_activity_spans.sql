{#- What an agent was doing, as overlapping spans (fct_agent_state_intervals decides which
    wins where they overlap):
    - talking: an answered stint from its CONNECT to its hang-up or transfer, and an
      outbound attempt (CDR) from its answer to its end;
    - ringing: the ring before a CONNECT (its ring seconds), a ring-out (RINGNOANSWER, its
      ring milliseconds), and an outbound attempt from its dial to its answer or end;
    - wrap_up: Wazo's WRAPUPSTART, for its data1 seconds;
    - paused: from a PAUSE / PAUSEALL (reason = data1) to the agent's next UNPAUSE /
      UNPAUSEALL, pause with another reason, or logout; a pause whose reason is in acw_pause_reasons (default ACW, Wrapup) and
      that starts within 10 s after one of the agent's calls ends is wrap-up (ACW) instead.
    Asterisk logs a pause once per queue: the same pause in several queues counts once.
    A span with no end in the data ends at the end of the data, flagged is_open. Activity
    outside any login session (a static queue member never logs in) is kept: the state
    model counts it, outside logged time. -#}

with

int_agent_events as (
    select
        agent_id,
        event_type,
        data1,
        data3,
        event_at,
        line_number
    from {{ ref('int_agent_events') }}
    where
        event_type in (
            'CONNECT', 'RINGNOANSWER', 'PAUSE', 'UNPAUSE', 'PAUSEALL', 'UNPAUSEALL', 'WRAPUPSTART'
        )
),

int_queue_log_data_end as (
    select data_end_at from {{ ref('int_queue_log_data_end') }}
),

talk as (
    select
        agent_id,
        'talking' as activity,
        cast(null as varchar) as pause_reason,
        queue_left_at as started_at,
        coalesce(
            ended_at, (select int_queue_log_data_end.data_end_at from int_queue_log_data_end)
        ) as ended_at,
        ended_at is null as is_open
    from {{ ref('int_queue_stints_transfers_joined') }}
    where outcome = 'answered' and agent_id is not null
),

outbound as (
    select
        agent_id,
        started_at,
        answered_at,
        ended_at
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
    from int_agent_events
    where event_type = 'CONNECT' and {{ integer_or_null('data3') }} > 0
    union all
    select
        agent_id,
        'ringing' as activity,
        null as pause_reason,
        {{ dbt.dateadd('millisecond', '-' ~ integer_or_null('data1'), 'event_at') }} as started_at,
        event_at as ended_at,
        false as is_open
    from int_agent_events
    where event_type = 'RINGNOANSWER' and {{ integer_or_null('data1') }} > 0
    union all
    select
        agent_id,
        'ringing' as activity,
        null as pause_reason,
        started_at,
        coalesce(answered_at, ended_at) as ended_at,
        false as is_open
    from outbound
),

{# Wazo logs the wrap-up it imposes after a queue call as WRAPUPSTART, data1 = its seconds
    (no pause: the event's name stands as the reason in the pause-reason mart). #}
wrap_ups as (
    select
        agent_id,
        'wrap_up' as activity,
        'WRAPUPSTART' as pause_reason,
        event_at as started_at,
        {{ dbt.dateadd('second', integer_or_null('data1'), 'event_at') }} as ended_at,
        false as is_open
    from int_agent_events
    where event_type = 'WRAPUPSTART' and {{ integer_or_null('data1') }} > 0
),

{# Asterisk logs a pause once per queue (and PAUSEALL once per queue too): keep the
    events that change the agent's pause state (paused or not, and the reason), in log
    order, so a pause that ends and a pause that starts in the same second pair correctly. #}
pause_events as (
    select
        agent_id,
        event_at,
        line_number,
        event_type in ('PAUSE', 'PAUSEALL') as is_pause,
        case when event_type in ('PAUSE', 'PAUSEALL') then coalesce(nullif(data1, ''), 'none') end
            as pause_reason
    from int_agent_events
    where event_type in ('PAUSE', 'UNPAUSE', 'PAUSEALL', 'UNPAUSEALL')
),

pause_changes as (
    select
        *,
        lag(is_pause) over (partition by agent_id order by event_at, line_number)
            as previous_is_pause,
        lag(pause_reason) over (partition by agent_id order by event_at, line_number)
            as previous_pause_reason
    from pause_events
),

pause_state_changes as (
    select
        agent_id,
        event_at,
        is_pause,
        pause_reason,
        lead(event_at) over (partition by agent_id order by event_at, line_number)
            as next_change_at
    from pause_changes
    where
        previous_is_pause is null
        or is_pause != previous_is_pause
        or pause_reason is distinct from previous_pause_reason
),

int_agent_sessions as (
    select
        agent_id,
        logged_in_at,
        logged_out_at,
        is_open
    from {{ ref('int_agent_sessions') }}
),

{# A pause ends at the next UNPAUSE, at a pause with another reason (the later reason
    wins), or at the logout of the session it started in: Asterisk cannot unpause a member
    it removed, and a member added again starts unpaused. #}
pauses as (
    select
        pause_state_changes.agent_id,
        pause_state_changes.pause_reason,
        pause_state_changes.event_at as started_at,
        least(
            coalesce(pause_state_changes.next_change_at, int_agent_sessions.logged_out_at),
            coalesce(int_agent_sessions.logged_out_at, pause_state_changes.next_change_at)
        ) as ended_at,
        {#- Open: nothing ended it before the data did (the session, if any, is open). #}
        case
            when int_agent_sessions.agent_id is null then pause_state_changes.next_change_at is null
            else
                int_agent_sessions.is_open
                and coalesce(
                    pause_state_changes.next_change_at > int_agent_sessions.logged_out_at, true
                )
        end as is_open
    from pause_state_changes
    left join int_agent_sessions
        on
            pause_state_changes.agent_id = int_agent_sessions.agent_id
            and pause_state_changes.event_at >= int_agent_sessions.logged_in_at
            and pause_state_changes.event_at < int_agent_sessions.logged_out_at
    where pause_state_changes.is_pause
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
        coalesce(
            pauses.ended_at,
            (
                select {{ agent_open_span_end('int_queue_log_data_end.data_end_at') }}
                from int_queue_log_data_end
            )
        ) as ended_at,
        pauses.is_open
    from pauses
)

select * from talk
union all
select * from outbound_talk
union all
select * from ringing
union all
select * from pauses_classified
union all
select * from wrap_ups
