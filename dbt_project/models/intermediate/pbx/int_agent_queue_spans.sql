{#- Agents' logged-in and paused time per queue (metric contract: agent x queue), as spans
    that do not overlap within one agent, queue and state:
    - logged_in: the agent's membership of the queue (a login span with a queue,
      int_agent_login_spans) within the agent's login sessions: all of it when membership
      counts as login, else its part inside agent logins (Wazo: login intersected with
      membership; var membership_counts_as_login, read by int_agent_sessions).
    - paused: a queue's PAUSE (reason = data1) until the next UNPAUSE of that queue, a pause
      with another reason, an UNPAUSEALL, or the end of the membership it started in. A
      PAUSEALL pauses every queue the agent is a member of then; a queue PAUSE and a PAUSEALL
      that overlap count once; an UNPAUSEALL ends every queue's pause. A queue PAUSE counts
      without a membership in the data (static members); a PAUSEALL outside every membership
      pauses no queue (it stays in the agent-wide states).
    A span with no end in the data ends there (is_open, var agent_open_span_end). -#}

with

int_agent_events as (
    select
        agent_id,
        queue_id,
        event_type,
        data1,
        event_at,
        line_number
    from {{ ref('int_agent_events') }}
    where event_type in ('PAUSE', 'UNPAUSE', 'PAUSEALL', 'UNPAUSEALL')
),

int_agent_login_spans as (
    select
        agent_id,
        queue_id,
        logged_in_at,
        logged_out_at,
        is_open
    from {{ ref('int_agent_login_spans') }}
    where queue_id is not null
),

int_agent_sessions as (
    select
        agent_id,
        logged_in_at,
        logged_out_at,
        is_open
    from {{ ref('int_agent_sessions') }}
),

int_queue_log_data_end as (
    select data_end_at from {{ ref('int_queue_log_data_end') }}
),

{# Membership within the agent's login sessions: the membership itself when membership
    counts as login (its span is part of a session), else its part inside agent logins. #}
logged_in as (
    select
        int_agent_login_spans.agent_id,
        int_agent_login_spans.queue_id,
        greatest(int_agent_login_spans.logged_in_at, int_agent_sessions.logged_in_at)
            as started_at,
        least(int_agent_login_spans.logged_out_at, int_agent_sessions.logged_out_at)
            as ended_at,
        {#- Open when what ends it is open: a logoff or removal in the data ends it. #}
        case
            when int_agent_login_spans.logged_out_at < int_agent_sessions.logged_out_at
                then int_agent_login_spans.is_open
            when int_agent_sessions.logged_out_at < int_agent_login_spans.logged_out_at
                then int_agent_sessions.is_open
            else int_agent_login_spans.is_open and int_agent_sessions.is_open
        end as is_open
    from int_agent_login_spans
    inner join int_agent_sessions
        on
            int_agent_login_spans.agent_id = int_agent_sessions.agent_id
            and int_agent_login_spans.logged_in_at < int_agent_sessions.logged_out_at
            and int_agent_login_spans.logged_out_at > int_agent_sessions.logged_in_at
),

{# Every queue the agent appears in: where an UNPAUSEALL ends a pause. #}
agent_queues as (
    select
        agent_id,
        queue_id
    from int_agent_login_spans
    union
    select
        agent_id,
        queue_id
    from int_agent_events
    where queue_id is not null
),

queue_pause_events as (
    select
        agent_id,
        queue_id,
        event_type,
        data1,
        event_at,
        line_number
    from int_agent_events
    where queue_id is not null
    union all
    select
        int_agent_events.agent_id,
        int_agent_login_spans.queue_id,
        int_agent_events.event_type,
        int_agent_events.data1,
        int_agent_events.event_at,
        int_agent_events.line_number
    from int_agent_events
    inner join int_agent_login_spans
        on
            int_agent_events.agent_id = int_agent_login_spans.agent_id
            and int_agent_events.event_at >= int_agent_login_spans.logged_in_at
            and int_agent_events.event_at < int_agent_login_spans.logged_out_at
    where int_agent_events.queue_id is null and int_agent_events.event_type = 'PAUSEALL'
    union all
    select
        int_agent_events.agent_id,
        agent_queues.queue_id,
        int_agent_events.event_type,
        int_agent_events.data1,
        int_agent_events.event_at,
        int_agent_events.line_number
    from int_agent_events
    inner join agent_queues
        on int_agent_events.agent_id = agent_queues.agent_id
    where int_agent_events.queue_id is null and int_agent_events.event_type = 'UNPAUSEALL'
),

{# As in int_agent_activity_spans: keep the events that change a queue's pause state. #}
pause_changes as (
    select
        agent_id,
        queue_id,
        event_at,
        line_number,
        event_type in ('PAUSE', 'PAUSEALL') as is_pause,
        case when event_type in ('PAUSE', 'PAUSEALL') then coalesce(nullif(data1, ''), 'none') end
            as pause_reason
    from queue_pause_events
),

pause_changes_ordered as (
    select
        *,
        lag(is_pause) over (
            partition by agent_id, queue_id order by event_at, line_number
        ) as previous_is_pause,
        lag(pause_reason) over (
            partition by agent_id, queue_id order by event_at, line_number
        ) as previous_pause_reason
    from pause_changes
),

pause_state_changes as (
    select
        agent_id,
        queue_id,
        event_at,
        is_pause,
        pause_reason,
        lead(event_at) over (partition by agent_id, queue_id order by event_at, line_number)
            as next_change_at
    from pause_changes_ordered
    where
        previous_is_pause is null
        or is_pause != previous_is_pause
        or pause_reason is distinct from previous_pause_reason
),

paused as (
    select
        pause_state_changes.agent_id,
        pause_state_changes.queue_id,
        pause_state_changes.pause_reason,
        pause_state_changes.event_at as started_at,
        coalesce(
            least(
                coalesce(pause_state_changes.next_change_at, int_agent_login_spans.logged_out_at),
                coalesce(int_agent_login_spans.logged_out_at, pause_state_changes.next_change_at)
            ),
            {{ agent_open_span_end('int_queue_log_data_end.data_end_at') }}
        ) as ended_at,
        case
            when int_agent_login_spans.agent_id is null
                then pause_state_changes.next_change_at is null
            else
                int_agent_login_spans.is_open
                and coalesce(
                    pause_state_changes.next_change_at > int_agent_login_spans.logged_out_at,
                    true
                )
        end as is_open
    from pause_state_changes
    cross join int_queue_log_data_end
    left join int_agent_login_spans
        on
            pause_state_changes.agent_id = int_agent_login_spans.agent_id
            and pause_state_changes.queue_id = int_agent_login_spans.queue_id
            and pause_state_changes.event_at >= int_agent_login_spans.logged_in_at
            and pause_state_changes.event_at < int_agent_login_spans.logged_out_at
    where pause_state_changes.is_pause
),

spans as (
    select
        agent_id,
        queue_id,
        'logged_in' as queue_state,
        cast(null as varchar) as pause_reason,
        started_at,
        ended_at,
        is_open
    from logged_in
    union all
    select
        agent_id,
        queue_id,
        'paused' as queue_state,
        pause_reason,
        started_at,
        ended_at,
        is_open
    from paused
)

select * from spans
where ended_at > started_at
