{#- Pairs queue_log events into stints by (call_id, queue_id), never by time order across
    calls. A call that entered a queue once owns every event of that call and queue, whatever
    the timestamps say (rows of one call can be out of order by seconds, files can be
    newest-first). A call that entered twice (xivo-dao G) gives each event to the entry nearest
    its implied arrival - event time minus the logged wait - preferring entries not after it.
    A terminal event with no entry still makes a stint (log rotated, window edge), rebuilt
    from its logged wait and flagged is_reconstructed. A hang-up or transfer with no CONNECT
    stands for its lost CONNECT: an answered stint of its agent, answered at the event time
    minus the logged talk, arriving the logged wait before that. An entry with no terminal event is
    in_queue until `in_queue_horizon_s` before the newest event in the data, then unknown.
    Door events (JOINEMPTY, FULL, Wazo CLOSED and DIVERT_*) are logged instead of an
    ENTERQUEUE: the call was turned away on arrival, with no wait, and nothing is missing.

    Partitioned by arrival day (center-local), incremental: a build re-pairs only the days
    that raw.partition_changes says changed since the last build (the day before each too, as
    a stint's events lie on its arrival day or the next), the days of stints whose in_queue /
    unknown status a new end of data can flip, and every day when the settings below changed.
    Rows of other days are kept as they were (built_by_invocation_id shows which build wrote
    them). A rebuilt day with no stints left gets a placeholder row so that delete+insert
    clears it; the post-hook removes placeholders. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='arrival_date',
    on_schema_change='sync_all_columns',
    post_hook="delete from {{ this }} where stint_id is null",
) }}
{%- set door_events = ['JOINEMPTY', 'FULL', 'CLOSED', 'DIVERT_CA_RATIO', 'DIVERT_HOLDTIME'] %}
{#- The events that show a call was answered: a hang-up or transfer stands for a lost CONNECT. #}
{%- set answer_events = [
    'CONNECT', 'COMPLETECALLER', 'COMPLETEAGENT', 'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER'
] %}
{#- The output's version is a setting too: bumped when this model gains a column or changes
    a rule, so that a warehouse built by an older version re-pairs every day. #}
{%- set pairing_version = 4 %}
{%- set pairing_settings = [
    var('timezone'), var('short_abandon_s'), var('in_queue_horizon_s'), 'v' ~ pairing_version
] | join('|') %}

with

data_end as (
    select max(event_at) as last_event_at from {{ ref('stg_pbx__queue_log') }}
),

stg_pbx__partition_changes as (
    select
        change_id,
        event_date
    from {{ ref('stg_pbx__partition_changes') }}
    where raw_source = 'queue_log'
),

{%- if is_incremental() %}

previous_build as (
    select
        coalesce(max(built_through_change_id), 0) as built_through_change_id,
        count(case when pairing_settings <> '{{ pairing_settings }}' then 1 end) > 0
        as has_other_settings
    from {{ this }}
),

days_changed as (
    select stg_pbx__partition_changes.event_date as arrival_date
    from stg_pbx__partition_changes
    cross join previous_build
    where
        stg_pbx__partition_changes.change_id > previous_build.built_through_change_id
        or previous_build.has_other_settings
),

days_with_open_stints as (
    select previous_stints.arrival_date
    from {{ this }} as previous_stints
    cross join data_end
    cross join previous_build
    where
        previous_stints.outcome = 'in_queue'
        or (
            previous_stints.outcome = 'unknown'
            and previous_stints.arrived_at
            > {{ dbt.dateadd('second', -var('in_queue_horizon_s'), 'data_end.last_event_at') }}
        )
        or previous_build.has_other_settings
),

days_to_rebuild as (
    select arrival_date from days_changed
    union
    select cast({{ dbt.dateadd('day', -1, 'arrival_date') }} as date) from days_changed
    union
    select arrival_date from days_with_open_stints
),

days_to_read as (
    select cast({{ dbt.dateadd('day', -1, 'arrival_date') }} as date) as event_date
    from days_to_rebuild
    union
    select arrival_date from days_to_rebuild
    union
    select cast({{ dbt.dateadd('day', 1, 'arrival_date') }} as date) from days_to_rebuild
),
{%- endif %}

stg_pbx__queue_log as (
    select
        queue_log_event_id,
        call_id,
        queue_id,
        agent_id,
        event_type,
        data2,
        logged_wait_seconds as logged_wait_field_seconds,
        logged_talk_seconds,
        event_at,
        line_number
    from {{ ref('stg_pbx__queue_log') }}
    where
        call_id is not null
        and queue_id is not null
        and event_type in (
            'ENTERQUEUE', 'CONNECT', 'ABANDON', 'EXITWITHTIMEOUT', 'EXITWITHKEY',
            'EXITEMPTY', 'JOINEMPTY', 'FULL', 'CLOSED', 'DIVERT_CA_RATIO', 'DIVERT_HOLDTIME',
            'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER', 'COMPLETECALLER', 'COMPLETEAGENT'
        )
    {%- if is_incremental() %}
        and event_date in (select event_date from days_to_read)
        {%- endif %}
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
        {#- A hang-up after a CONNECT: it ends the talk, not the wait, so it is the stint's
            terminal event only when no CONNECT is there; it dates the stint's end (ended_at). #}
        event_type in ('COMPLETECALLER', 'COMPLETEAGENT') as is_hang_up
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
        {{ dbt.dateadd(
            'second',
            '-coalesce(logged_wait_seconds, 0) - coalesce(logged_talk_seconds, 0)',
            'event_at'
        ) }} as implied_arrival_at
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
                    when
                        entries.entered_at <= {{
                            dbt.dateadd('second', 60, 'events_with_implied_arrival.implied_arrival_at')
                        }}
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
        {#- A hang-up or transfer standing for its CONNECT: the talk began the logged talk
            before it. #}
        {{ dbt.dateadd('second', '-coalesce(logged_talk_seconds, 0)', 'event_at') }} as ended_at,
        logged_wait_seconds,
        row_number() over (
            partition by call_id, queue_id, stint_sequence
            order by case when is_transfer or is_hang_up then 1 else 0 end, event_at, line_number
        ) as terminal_rank
    from events_assigned
),

first_terminal_events as (
    select * from terminal_events_ranked
    where terminal_rank = 1
),

{# The stint's last event: the hang-up or transfer after a CONNECT, else the terminal event. #}
stint_last_events as (
    select
        call_id,
        queue_id,
        stint_sequence,
        max(event_at) as last_event_at
    from events_assigned
    group by 1, 2, 3
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
    select
        call_id,
        queue_id,
        stint_sequence
    from entries
    union
    select
        call_id,
        queue_id,
        stint_sequence
    from first_terminal_events
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
        stint_last_events.last_event_at as stint_last_event_at,
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
    left join stint_last_events
        on
            stint_keys.call_id = stint_last_events.call_id
            and stint_keys.queue_id = stint_last_events.queue_id
            and stint_keys.stint_sequence = stint_last_events.stint_sequence
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
        terminal_event_type in ({{ sql_string_list(answer_events) }}) as is_answered,
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
        terminal_event_id,
        caller_number,
        case
            when is_answered then 'answered'
            else
                case terminal_event_type
                    when 'ABANDON'
                        then
                            case
                                when wait_seconds < {{ var('short_abandon_s') }}
                                    then 'short_abandoned'
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
                            when
                                {{ dbt.datediff('entered_at', 'last_event_at', 'second') }}
                                > {{ var('in_queue_horizon_s') }}
                                then 'unknown'
                            else 'in_queue'
                        end
                end
        end as outcome,
        wait_seconds,
        is_answered and has_transfer_event as is_transferred,
        is_reconstructed,
        is_wait_from_timestamps,
        coalesce(
            entered_at,
            {{ dbt.dateadd('second', '-coalesce(wait_seconds, 0)', 'ended_at') }}
        ) as arrived_at,
        ended_at as queue_left_at,
        case when ended_at is not null then stint_last_event_at end as ended_at
    from waits_resolved
),

stints_partitioned as (
    select
        *,
        cast({{ to_center_local('arrived_at') }} as date) as arrival_date,
        (
            select max(stg_pbx__partition_changes.change_id) from stg_pbx__partition_changes
        ) as built_through_change_id,
        '{{ pairing_settings }}' as pairing_settings,
        '{{ invocation_id }}' as built_by_invocation_id
    from stints_with_outcome
)

{%- if is_incremental() %},

stints_of_days_to_rebuild as (
    select
        stints_partitioned.stint_id,
        stints_partitioned.call_id,
        stints_partitioned.queue_id,
        stints_partitioned.agent_id,
        stints_partitioned.terminal_event_id,
        stints_partitioned.caller_number,
        stints_partitioned.outcome,
        stints_partitioned.wait_seconds,
        stints_partitioned.is_transferred,
        stints_partitioned.is_reconstructed,
        stints_partitioned.is_wait_from_timestamps,
        stints_partitioned.arrived_at,
        stints_partitioned.queue_left_at,
        stints_partitioned.ended_at,
        days_to_rebuild.arrival_date,
        stints_partitioned.built_through_change_id,
        stints_partitioned.pairing_settings,
        stints_partitioned.built_by_invocation_id
    from days_to_rebuild
    left join stints_partitioned
        on days_to_rebuild.arrival_date = stints_partitioned.arrival_date
)

select * from stints_of_days_to_rebuild
{%- else %}

    select * from stints_partitioned
{%- endif %}
