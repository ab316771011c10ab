{#- Repairs the attended-transfer trap (Asterisk issue 759). After an attended transfer into a
    queue, the new queue's ENTERQUEUE carries the consult leg's uniqueid while CONNECT/COMPLETE
    carry the caller's, and the ATTENDEDTRANSFER line sits in the old queue under the consult
    uniqueid. Pairing alone then yields, in the new queue, an entry with no end (consult leg)
    and an end with no entry (caller), and leaves the caller's stint in the old queue
    unflagged. Here:
    - a consult leg's open entry and a reconstructed stint of the same queue whose implied
      arrival is within 2 s of it become one stint: the caller's call, arriving at the entry;
    - the stint in the old queue that the transferring agent answered last before the
      transfer, that has no hang-up or transfer line of its own and was answered the line's
      logged talk before it, is flagged transferred and ends at the transfer; the stint paired rebuilt from that line alone (under the
      consult uniqueid) is the same call, and goes. An ATTENDEDTRANSFER no stint claims
      stays the answered stint rebuilt from it (its CONNECT is not in the data). -#}

with

int_queue_stints_paired as (
    select * from {{ ref('int_queue_stints_paired') }}
),

stg_pbx__queue_log as (
    select
        queue_log_event_id,
        call_id,
        queue_id,
        agent_id,
        event_at,
        logged_talk_seconds
    from {{ ref('stg_pbx__queue_log') }}
    where event_type = 'ATTENDEDTRANSFER' and call_id is not null
),

consult_entries as (
    select int_queue_stints_paired.*
    from int_queue_stints_paired
    where
        int_queue_stints_paired.outcome in ('in_queue', 'unknown')
        and int_queue_stints_paired.call_id in (
            select stg_pbx__queue_log.call_id from stg_pbx__queue_log
        )
),

consult_entries_matched as (
    select
        consult_entries.stint_id as consult_stint_id,
        orphans.stint_id as orphan_stint_id,
        row_number() over (
            partition by consult_entries.stint_id
            order by abs({{
                dbt.datediff('consult_entries.arrived_at', 'orphans.arrived_at', 'second')
            }})
        ) as match_rank
    from consult_entries
    inner join int_queue_stints_paired as orphans
        on
            consult_entries.queue_id = orphans.queue_id
            and orphans.is_reconstructed
            and abs({{
                dbt.datediff('consult_entries.arrived_at', 'orphans.arrived_at', 'second')
            }}) <= 2
),

matches as (
    select
        consult_stint_id,
        orphan_stint_id
    from consult_entries_matched
    where match_rank = 1
),

{# The consult leg presents the transferring agent's extension; the customer's number is on
    the caller's own first entry. #}
caller_numbers_ranked as (
    select
        call_id,
        caller_number,
        row_number() over (partition by call_id order by arrived_at) as entry_rank
    from int_queue_stints_paired
    where caller_number is not null
),

merged_stints as (
    select
        consult_entries.stint_id,
        orphans.call_id,
        orphans.queue_id,
        orphans.agent_id,
        orphans.terminal_event_id,
        coalesce(caller_numbers_ranked.caller_number, consult_entries.caller_number)
            as caller_number,
        orphans.outcome,
        {{ dbt.datediff('consult_entries.arrived_at', 'orphans.queue_left_at', 'second') }}
            as timestamp_wait_seconds,
        orphans.wait_seconds as logged_wait_seconds,
        orphans.is_transferred,
        orphans.is_wait_from_timestamps,
        consult_entries.arrived_at,
        orphans.queue_left_at,
        orphans.ended_at
    from matches
    inner join int_queue_stints_paired as consult_entries
        on matches.consult_stint_id = consult_entries.stint_id
    inner join int_queue_stints_paired as orphans
        on matches.orphan_stint_id = orphans.stint_id
    left join caller_numbers_ranked
        on
            orphans.call_id = caller_numbers_ranked.call_id
            and caller_numbers_ranked.entry_rank = 1
),

unmatched_stints as (
    select *
    from int_queue_stints_paired
    where
        stint_id not in (select matches.consult_stint_id from matches)
        and stint_id not in (select matches.orphan_stint_id from matches)
),

stints_rejoined as (
    select
        stint_id,
        call_id,
        queue_id,
        agent_id,
        terminal_event_id,
        caller_number,
        outcome,
        wait_seconds,
        is_transferred,
        is_reconstructed,
        is_wait_from_timestamps,
        arrived_at,
        queue_left_at,
        ended_at
    from unmatched_stints
    union all
    select
        stint_id,
        call_id,
        queue_id,
        agent_id,
        terminal_event_id,
        caller_number,
        outcome,
        coalesce(logged_wait_seconds, timestamp_wait_seconds) as wait_seconds,
        is_transferred,
        false as is_reconstructed,
        is_wait_from_timestamps,
        arrived_at,
        queue_left_at,
        ended_at
    from merged_stints
),

attended_transfer_sources as (
    select
        stints_rejoined.stint_id,
        stg_pbx__queue_log.queue_log_event_id as transfer_event_id,
        {#- The talk ends after the logged talk time, else at the transfer line. #}
        coalesce(
            {{ dbt.dateadd(
                'second', 'stg_pbx__queue_log.logged_talk_seconds', 'stints_rejoined.queue_left_at'
            ) }},
            stg_pbx__queue_log.event_at
        ) as transferred_at,
        row_number() over (
            partition by stg_pbx__queue_log.queue_log_event_id
            order by stints_rejoined.queue_left_at desc
        ) as recency_rank
    from stg_pbx__queue_log
    inner join stints_rejoined
        on
            stg_pbx__queue_log.queue_id = stints_rejoined.queue_id
            and stg_pbx__queue_log.agent_id = stints_rejoined.agent_id
            and stints_rejoined.outcome = 'answered'
            {#- Answered (CONNECT) before the transfer: the agent's next caller may already
                be waiting in the queue, but is not yet connected. #}
            and stg_pbx__queue_log.event_at >= stints_rejoined.queue_left_at
            {#- Still talking: its own hang-up or transfer would have ended it. #}
            and stints_rejoined.ended_at = stints_rejoined.queue_left_at
            and stints_rejoined.terminal_event_id <> stg_pbx__queue_log.queue_log_event_id
            {#- The line logs the caller's own talk: answered that long before it (2 s slack). #}
            and (
                stg_pbx__queue_log.logged_talk_seconds is null
                or abs({{ dbt.datediff(
                    'stints_rejoined.queue_left_at',
                    dbt.dateadd(
                        'second',
                        '-stg_pbx__queue_log.logged_talk_seconds',
                        'stg_pbx__queue_log.event_at'
                    ),
                    'second'
                ) }}) <= 2
            )
),

claimed_transfer_sources as (
    select * from attended_transfer_sources
    where recency_rank = 1
),

stints_flagged as (
    select
        stints_rejoined.stint_id,
        stints_rejoined.call_id,
        stints_rejoined.queue_id,
        stints_rejoined.agent_id,
        stints_rejoined.terminal_event_id,
        stints_rejoined.caller_number,
        stints_rejoined.outcome,
        stints_rejoined.wait_seconds,
        stints_rejoined.is_transferred
        or claimed_transfer_sources.stint_id is not null as is_transferred,
        stints_rejoined.is_reconstructed,
        stints_rejoined.is_wait_from_timestamps,
        stints_rejoined.arrived_at,
        stints_rejoined.queue_left_at,
        {#- The ATTENDEDTRANSFER line (under the consult uniqueid) ends the caller's talk. #}
        coalesce(claimed_transfer_sources.transferred_at, stints_rejoined.ended_at) as ended_at
    from stints_rejoined
    left join claimed_transfer_sources
        on stints_rejoined.stint_id = claimed_transfer_sources.stint_id
    where
        stints_rejoined.terminal_event_id not in (
            select claimed_lines.transfer_event_id from claimed_transfer_sources as claimed_lines
        )
        or stints_rejoined.terminal_event_id is null
)

select * from stints_flagged
