{#- mart_contact_mix_daily for readers outside the contact center: cases per day, channel
    and contact type. A group (a row) of fewer than shared_min_group_calls cases is merged
    into the day's Other row, an Other row still that small suppressed (macro
    small_groups_merged), so that no row points at a customer's case. -#}

with

mart_contact_mix_daily as (
    select * from {{ ref('mart_contact_mix_daily') }}
),

{{ small_groups_merged(
    'mart_contact_mix_daily',
    kept=['created_date'],
    dimensions=['channel', 'contact_type_group', 'contact_type'],
    nulled=[],
    measures=['case_count', 'complaint_count', 'call_linked_case_count'],
    size_column='case_count',
) }}

select * from groups_shared
