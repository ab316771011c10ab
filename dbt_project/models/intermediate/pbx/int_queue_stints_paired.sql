{#- Pairs queue_log events into stints by (call_id, queue_id), never by time order across
    calls. A call that entered a queue once owns every event of that call and queue, whatever
    the timestamps say (rows of one call can be out of order by seconds, files can be
    newest-first). A call that entered twice (xivo-dao G) gives each event to the entry nearest
    its implied arrival - event time minus the logged wait - preferring entries not after it.
    A terminal event with no entry still makes a stint (log rotated, window edge), rebuilt
    from its logged wait and flagged is_reconstructed. An entry with no terminal event is
    in_queue until `in_queue_horizon_s` before the newest event in the data, then unknown.
    Door events (JOINEMPTY, FULL, Wazo CLOSED and DIVERT_*) are logged instead of an
    ENTERQUEUE: the call was turned away on arrival, with no wait, and nothing is missing. -#}
{%- set door_events = ['JOINEMPTY', 'FULL', 'CLOSED', 'DIVERT_CA_RATIO', 'DIVERT_HOLDTIME'] %}

with

stg_pbx__queue_log as (
    select
        queue_log_event_id,
        call_id,
        queue_id,
        agent_id,
        event_type,
        data1,
        data2,
        data3,
        data4,
        event_at,
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

data_end as (
    select max(event_at) as last_event_at from {{ ref('stg_pbx__queue_log') }}
),

entries as (
    select
        call_id,
        queue_id,
        queue_log_event_id as enter_event_id,
        nullif(data2, '') as caller_number,
        event_at as entered_at,
        row_number() over (
            partition by call_id, queue_id order by event_at, line_number
        ) as stint_sequence
    from stg_pbx__queue_log
    where event_type = 'ENTERQUEUE'
),

events_with_logged_wait as (
    select
        *,
        event_type in ('TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER') as is_transfer,
        {{ integer_or_null(
            "case event_type
                when 'CONNECT' then data1
                when 'EXITWITHKEY' then data4
                when 'ABANDON' then data3
                when 'EXITWITHTIMEOUT' then data3
                when 'EXITEMPTY' then data3
            end"
        ) }} as logged_wait_field_seconds
    from stg_pbx__queue_log
    where event_type <> 'ENTERQUEUE'
),

events_with_door_waits as (
    select
        *,
        case
            when event_type in ({{ sql_string_list(door_events) }}) then 0
            else logged_wait_field_seconds
        end as logged_wait_seconds
    from events_with_logged_wait
),

events_with_implied_arrival as (
    select
        *,
        {{ dbt.dateadd('second', '-coalesce(logged_wait_seconds, 0)', 'event_at') }}
        as implied_arrival_at
    from events_with_door_waits
),

events_ranked_against_entries as (
    select
        events_with_implied_arrival.*,
        entries.stint_sequence as entry_sequence,
        row_number() over (
            partition by events_with_implied_arrival.queue_log_event_id
            order by
                case
                    when entries.entered_at
                        <= {{ dbt.dateadd('second', 60, 'events_with_implied_arrival.implied_arrival_at') }}
                        then 0
                    else 1
                end,
                abs({{ dbt.datediff(
                    'entries.entered_at', 'events_with_implied_arrival.implied_arrival_at', 'second'
                ) }}),
                entries.entered_at desc
        ) as entry_rank
    from events_with_implied_arrival
    left join entries
        on
            events_with_implied_arrival.call_id = entries.call_id
            and events_with_implied_arrival.queue_id = entries.queue_id
),

events_assigned as (
    select
        *,
        coalesce(entry_sequence, 0) as stint_sequence
    from events_ranked_against_entries
    where entry_rank = 1
),

terminal_events_ranked as (
    select
        call_id,
        queue_id,
        stint_sequence,
        queue_log_event_id as terminal_event_id,
        event_type as terminal_event_type,
        agent_id,
        event_at as ended_at,
        logged_wait_seconds,
        row_number() over (
            partition by call_id, queue_id, stint_sequence
            order by event_at, line_number
        ) as terminal_rank
    from events_assigned
    where not is_transfer
),

first_terminal_events as (
    select * from terminal_events_ranked where terminal_rank = 1
),

transferred_stints as (
    select distinct
        call_id,
        queue_id,
        stint_sequence
    from events_assigned
    where is_transfer
),

stint_keys as (
    select call_id, queue_id, stint_sequence from entries
    union
    select call_id, queue_id, stint_sequence from first_terminal_events
),

stints_joined as (
    select
        stint_keys.call_id,
        stint_keys.queue_id,
        stint_keys.stint_sequence,
        entries.enter_event_id,
        entries.caller_number,
        entries.entered_at,
        first_terminal_events.terminal_event_id,
        first_terminal_events.terminal_event_type,
        first_terminal_events.agent_id,
        first_terminal_events.ended_at,
        first_terminal_events.logged_wait_seconds,
        transferred_stints.call_id is not null as has_transfer_event,
        data_end.last_event_at
    from stint_keys
    cross join data_end
    left join entries
        on
            stint_keys.call_id = entries.call_id
            and stint_keys.queue_id = entries.queue_id
            and stint_keys.stint_sequence = entries.stint_sequence
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
        enter_event_id is null
        and terminal_event_type not in ({{ sql_string_list(door_events) }}) as is_reconstructed,
        logged_wait_seconds is null and terminal_event_id is not null as is_wait_from_timestamps,
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
        caller_number,
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
            else
                case
                    when {{ dbt.datediff('entered_at', 'last_event_at', 'second') }}
                        > {{ var('in_queue_horizon_s') }}
                        then 'unknown'
                    else 'in_queue'
                end
        end as outcome,
        wait_seconds,
        terminal_event_type = 'CONNECT' and has_transfer_event as is_transferred,
        is_reconstructed,
        is_wait_from_timestamps,
        coalesce(
            entered_at,
            {{ dbt.dateadd('second', '-coalesce(wait_seconds, 0)', 'ended_at') }}
        ) as arrived_at,
        ended_at as queue_left_at
    from waits_resolved
)

select * from stints_with_outcome
