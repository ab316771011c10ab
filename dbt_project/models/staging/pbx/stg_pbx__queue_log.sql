with

source as (
    select * from {{ source('pbx', 'queue_log') }}
),

renamed as (
    select
        ---------- ids
        event_hash as queue_log_event_id,
        nullif(callid, 'NONE') as call_id,
        nullif(queuename, 'NONE') as queue_id,
        {#- The agent as dim_agents keys it (the extension: PJSIP/1004 -> 1004); the only place
            the extension rule is applied. #}
        {{ agent_extension("nullif(agent, 'NONE')") }} as agent_id,

        ---------- strings
        nullif(agent, 'NONE') as agent_interface,
        upper(event) as event_type,
        data1,
        data2,
        data3,
        data4,
        data5,
        data_extra,
        extra_columns,
        source_file,

        ---------- numerics
        line_number,
        {#- The wait and talk a line logs, by event and layout as Asterisk's app_queue.c (1.4
            to 22) writes them; ATTENDEDTRANSFER is BRIDGE|<bridge>|hold|talk|pos,
            APP|<app>|hold|talk|pos or LINK|<chan1>|<chan2>|hold|talk|pos, and a realtime
            table holds LINK's talk|pos in data5 (its last column takes the rest). #}
        {{ integer_or_null(
            "case upper(event)
                when 'CONNECT' then data1
                when 'COMPLETECALLER' then data1
                when 'COMPLETEAGENT' then data1
                when 'ABANDON' then data3
                when 'EXITWITHTIMEOUT' then data3
                when 'EXITEMPTY' then data3
                when 'EXITWITHKEY' then data4
                when 'TRANSFER' then data3
                when 'BLINDTRANSFER' then data3
                when 'ATTENDEDTRANSFER' then case when data1 = 'LINK' then data4 else data3 end
            end"
        ) }} as logged_wait_seconds,
        {{ integer_or_null(
            "case upper(event)
                when 'COMPLETECALLER' then data2
                when 'COMPLETEAGENT' then data2
                when 'TRANSFER' then data4
                when 'BLINDTRANSFER' then data4
                when 'ATTENDEDTRANSFER'
                    then case
                        when data1 = 'LINK' then " ~ dbt.split_part('data5', "'|'", 1) ~ "
                        else data4
                    end
            end"
        ) }} as logged_talk_seconds,

        ---------- dates
        event_date,

        ---------- timestamps
        event_at

    from source
)

select * from renamed
