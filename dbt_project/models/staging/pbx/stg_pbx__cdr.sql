with

source as (
    select * from {{ source('pbx', 'cdr') }}
),

renamed as (
    select
        ---------- ids
        line_hash as cdr_id,
        uniqueid as call_leg_id,
        {#- linkedid ties the legs of one call (Asterisk 1.8+); a leg without it is its own. #}
        coalesce(linkedid, uniqueid) as linked_call_id,
        accountcode as account_code,
        peeraccount as peer_account_code,

        ---------- strings
        src as source_number,
        dst as destination_number,
        dcontext as destination_context,
        clid as caller_id,
        channel,
        dstchannel as destination_channel,
        lastapp as last_application,
        lastdata as last_application_data,
        upper(disposition) as disposition,
        amaflags as ama_flags,
        userfield as user_field,
        extra as extra_columns,
        source_file,

        ---------- numerics
        line_number,
        sequence as cdr_sequence,
        duration_seconds,
        billsec_seconds as billed_seconds,

        ---------- timestamps
        {{ pbx_local_to_utc('start_local') }} as started_at,
        {{ pbx_local_to_utc('answer_local') }} as answered_at,
        {{ pbx_local_to_utc('end_local') }} as ended_at

    from source
)

select * from renamed
