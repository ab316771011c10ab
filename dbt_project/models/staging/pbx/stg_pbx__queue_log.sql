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

        ---------- dates
        event_date,

        ---------- timestamps
        event_at

    from source
)

select * from renamed
