{#- Pairs queue_log events into stints. Events are paired by (call_id, queue_id), never by
    time order across calls: every event belongs to the latest ENTERQUEUE of the same call and
    queue at or before it (one call can enter the same queue twice). A terminal event with no
    ENTERQUEUE before it still makes a stint (log rotated, window edge), rebuilt from its
    logged wait and flagged is_reconstructed. -#}

with

stg_pbx__queue_log as (
    select
        queue_log_event_id,
        call_id,
        queue_id,
        agent_id,
        event_type,
        data1,
        data3,
        data4,
        event_at,
        source_file,
        line_number
    from {{ ref('stg_pbx__queue_log') }}
    where
        call_id is not null
        and queue_id is not null
        and event_type in (
            'ENTERQUEUE', 'CONNECT', 'ABANDON', 'EXITWITHTIMEOUT', 'EXITWITHKEY',
            'EXITEMPTY', 'JOINEMPTY', 'FULL', 'CLOSED', 'DIVERT_CA_RATIO', 'DIVERT_HOLDTIME',
            'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER'
        )
),

events_numbered_by_stint as (
    select
        *,
        sum(case when event_type = 'ENTERQUEUE' then 1 else 0 end) over (
            partition by call_id, queue_id
            order by event_at, case when event_type = 'ENTERQUEUE' then 0 else 1 end, line_number
            rows between unbounded preceding and current row
        ) as stint_sequence
    from stg_pbx__queue_log
),

terminal_events as (
    select
        call_id,
        queue_id,
        stint_sequence,
        queue_log_event_id as terminal_event_id,
        event_type as terminal_event_type,
        agent_id,
        event_at as ended_at,
        {{ dbt.safe_cast(
            "case event_type
                when 'CONNECT' then data1
                when 'EXITWITHKEY' then data4
                when 'JOINEMPTY' then '0'
                when 'FULL' then '0'
                else data3
            end",
            api.Column.translate_type("integer")
        ) }} as logged_wait_seconds,
        row_number() over (
            partition by call_id, queue_id, stint_sequence
            order by event_at, line_number
        ) as terminal_rank
    from events_numbered_by_stint
    where event_type not in ('ENTERQUEUE', 'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER')
),

first_terminal_events as (
    select * from terminal_events where terminal_rank = 1
),

stint_entries as (
    select
        call_id,
        queue_id,
        stint_sequence,
        queue_log_event_id as enter_event_id,
        event_at as entered_at
    from events_numbered_by_stint
    where event_type = 'ENTERQUEUE'
),

transferred_stints as (
    select distinct
        call_id,
        queue_id,
        stint_sequence
    from events_numbered_by_stint
    where event_type in ('TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER')
),

stint_keys as (
    select call_id, queue_id, stint_sequence from stint_entries
    union
    select call_id, queue_id, stint_sequence from first_terminal_events
),

stints_joined as (
    select
        stint_keys.call_id,
        stint_keys.queue_id,
        stint_keys.stint_sequence,
        stint_entries.enter_event_id,
        stint_entries.entered_at,
        first_terminal_events.terminal_event_id,
        first_terminal_events.terminal_event_type,
        first_terminal_events.agent_id,
        first_terminal_events.ended_at,
        first_terminal_events.logged_wait_seconds,
        transferred_stints.call_id is not null as has_transfer_event
    from stint_keys
    left join stint_entries
        on
            stint_keys.call_id = stint_entries.call_id
            and stint_keys.queue_id = stint_entries.queue_id
            and stint_keys.stint_sequence = stint_entries.stint_sequence
    left join first_terminal_events
        on
            stint_keys.call_id = first_terminal_events.call_id
            and stint_keys.queue_id = first_terminal_events.queue_id
            and stint_keys.stint_sequence = first_terminal_events.stint_sequence
    left join transferred_stints
        on
            stint_keys.call_id = transferred_stints.call_id
            and stint_keys.queue_id = transferred_stints.queue_id
            and stint_keys.stint_sequence = transferred_stints.stint_sequence
),

waits_resolved as (
    select
        *,
        enter_event_id is null as is_reconstructed,
        logged_wait_seconds is null as is_wait_from_timestamps,
        coalesce(
            logged_wait_seconds,
            {{ dbt.datediff('entered_at', 'ended_at', 'second') }}
        ) as wait_seconds
    from stints_joined
),

stints_with_outcome as (
    select
        {{ dbt.concat([
            'call_id', "'|'", 'queue_id', "'|'",
            'coalesce(enter_event_id, terminal_event_id)'
        ]) }} as stint_id,
        call_id,
        queue_id,
        agent_id,
        case terminal_event_type
            when 'CONNECT' then 'answered'
            when 'ABANDON' then
                case
                    when wait_seconds < {{ var('short_abandon_s') }} then 'short_abandoned'
                    else 'abandoned'
                end
            when 'EXITWITHTIMEOUT' then 'timeout'
            when 'EXITWITHKEY' then 'exit_key'
            when 'EXITEMPTY' then 'exit_empty'
            when 'JOINEMPTY' then 'join_rejected'
            when 'FULL' then 'join_rejected'
            when 'CLOSED' then 'closed'
            when 'DIVERT_CA_RATIO' then 'diverted'
            when 'DIVERT_HOLDTIME' then 'diverted'
            else 'in_queue'
        end as outcome,
        wait_seconds,
        terminal_event_type = 'CONNECT' and has_transfer_event as is_transferred,
        is_reconstructed,
        is_wait_from_timestamps and terminal_event_id is not null as is_wait_from_timestamps,
        coalesce(
            entered_at,
            {{ dbt.dateadd('second', '-coalesce(wait_seconds, 0)', 'ended_at') }}
        ) as arrived_at,
        ended_at as queue_left_at
    from waits_resolved
)

select * from stints_with_outcome
